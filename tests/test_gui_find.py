"""Find panel: search as you type, "did you mean", topics, the article view and its links."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextCursor, QTextDocument

from desktop.search import FindPanel
from desktop.settings import Settings
from desktop.tasks import Tasks
from kb.facade import KnowledgeBase
from kb.models import Article, Snippet, SnippetField

# The offscreen platform says this whenever a top-level window is shown; it is not ours.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

APOLOGY = "apologising-dos-and-donts"
LINKS = "links-for-testing"

LINKS_ARTICLE = Article(
    slug=LINKS,
    title="Links for testing",
    summary="An article whose links go everywhere.",
    tags=["testing"],
    status="vetted",
    body=(
        "Read [the apology guide](apologising-dos-and-donts.md) first.\n\n"
        "The [outside site](https://example.com/help) and [write to us](mailto:help@example.com).\n\n"
        "A [local file](file:///etc/passwd) and [a script](javascript:alert(1)).\n\n"
        "![a picture](file:///etc/hostname)\n"
    ),
)
TEST_SNIPPET = Snippet(
    slug="test-sorry-late",
    title="Sorry your order is late",
    text="I'm sorry order {order_number} is late. It is now due on Thursday.",
    stage="apologise",
    fields=[SnippetField(name="order_number", label="Order number")],
    article=APOLOGY,
    status="vetted",
)


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded and indexed data folder; each test works on its own copy."""
    home = tmp_path_factory.mktemp("find") / "home"
    kb = KnowledgeBase.open(home)  # seeded from the bundled playbook
    kb.store.save_articles([LINKS_ARTICLE], author="test")
    kb.store.save_snippets([TEST_SNIPPET], author="test")
    kb.ensure_index()
    kb.close()
    return home


@pytest.fixture
def env(qtbot, seeded_home: Path, tmp_path: Path):  # noqa: ANN001, ANN201
    home = tmp_path / "kb"
    shutil.copytree(seeded_home, home)
    kb = KnowledgeBase.open(home, seed=False)
    tasks = Tasks()
    crashes: list[object] = []
    tasks.unexpected.connect(lambda exc, tb: crashes.append(tb))
    settings = Settings(tmp_path / "settings.ini")
    panel = FindPanel(kb, tasks, settings)
    qtbot.addWidget(panel)
    panel.resize(900, 760)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() > 0)
    yield panel, kb, settings, tasks
    tasks.shutdown()
    kb.close()
    assert not crashes, crashes


def _type(qtbot, panel: FindPanel, text: str) -> None:  # noqa: ANN001
    panel.field.clear()
    if text.isascii():
        qtbot.keyClicks(panel.field, text)
    else:  # QTest cannot synthesise key presses for every character
        panel.field.setText(text)
    query = " ".join(text.split())
    qtbot.waitUntil(lambda: panel.last_result is not None and panel.last_result.query == query)


def _slugs(panel: FindPanel) -> list[str]:
    return [row.slug for row in panel.model.rows()]


def _open(qtbot, panel: FindPanel, slug: str) -> None:  # noqa: ANN001
    panel.open_article(slug)
    qtbot.waitUntil(lambda: panel.viewer.slug == slug)


def _link_point(panel: FindPanel, wanted: Callable[[str], bool]) -> QPoint:
    """Where on screen the first link whose href satisfies ``wanted`` is (scrolled into view)."""
    browser = panel.viewer.browser
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and wanted(fmt.anchorHref()):
                cursor = QTextCursor(doc)
                cursor.setPosition(fragment.position() + max(1, fragment.length() // 2))
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                return browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError("link not found in the article")


def _click_link(qtbot, panel: FindPanel, wanted: Callable[[str], bool]) -> None:  # noqa: ANN001
    point = _link_point(panel, wanted)
    qtbot.mouseClick(panel.viewer.browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


# -- searching --------------------------------------------------------------------------


def test_empty_query_lists_every_vetted_article(env, qtmodeltester) -> None:  # noqa: ANN001
    panel, kb, _, _ = env
    assert panel.field.placeholderText() == "Search the playbook (Ctrl+K)"
    assert panel.field.isClearButtonEnabled()
    assert sorted(_slugs(panel)) == sorted(a.slug for a in kb.articles())
    assert "three-key-questions" in _slugs(panel)
    assert "All 15 articles" in panel.status.text()
    qtmodeltester.check(panel.model)


def test_typing_apologize_puts_the_apology_article_first(qtbot, env, qtmodeltester) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "apologize")
    first = panel.model.rows()[0]
    assert first.slug == APOLOGY
    assert "<b>" in first.excerpt
    assert "match" in panel.status.text()
    assert panel.result_stack.currentWidget() is panel.results
    qtmodeltester.check(panel.model)


def test_a_new_question_shows_its_best_match_in_view(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "customer blames me")
    last = panel.model.rows()[-1].slug
    _open(qtbot, panel, last)
    _type(qtbot, panel, "apologize")
    top = panel.results.visualRect(panel.model.index(0, 0))
    assert panel.results.viewport().rect().intersects(top)
    assert panel.results.verticalScrollBar().value() == 0


def test_only_the_newest_answer_is_shown(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    for text in ("refund", "customer blames me", "vent", "apologize"):
        panel.field.setText(text)
        panel._search()  # submit at once, faster than anyone types
    qtbot.waitUntil(lambda: panel.last_result is not None and panel.last_result.query == "apologize")
    assert _slugs(panel)[0] == APOLOGY


def test_typo_offers_a_suggestion_that_searches_when_clicked(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "apolgise")
    qtbot.waitUntil(panel.suggestion_button.isVisible)
    assert "apologise" in panel.suggestion_button.text()
    qtbot.mouseClick(panel.suggestion_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.last_result.query == "apologise")
    assert panel.field.text() == "apologise"
    assert _slugs(panel)[0] == APOLOGY
    assert not panel.suggestion_button.isVisible()


def test_no_match_says_so_plainly(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "zzqxv wibblequux")
    assert panel.result_stack.currentWidget() is panel.empty
    assert "No articles match “zzqxv wibblequux”" in panel.empty.text()
    assert "fewer words" in panel.empty.text()
    _type(qtbot, panel, "")
    assert panel.result_stack.currentWidget() is panel.results


@pytest.mark.parametrize("query", ['"(AND', "AND", "c++", 'foo"bar', "*", "NOT OR (", "ümlaut ß"])
def test_odd_queries_never_error(qtbot, env, query: str) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, query)
    assert panel.last_result.query == query
    assert "error" not in panel.status.text().lower()


def test_topic_filter_narrows_the_list(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    everything = len(_slugs(panel))
    qtbot.waitUntil(lambda: panel.tag_filter.findData("refund") > 0)
    panel.tag_filter.setCurrentIndex(panel.tag_filter.findData("refund"))
    qtbot.waitUntil(lambda: panel.last_result.tag == "refund")
    assert 0 < len(_slugs(panel)) < everything
    assert all("refund" in row.tags for row in panel.model.rows())
    _type(qtbot, panel, "sorry")
    assert all("refund" in row.tags for row in panel.model.rows())
    panel.tag_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.last_result.tag is None)
    assert len(_slugs(panel)) > 0


def test_typing_stays_smooth_while_a_slow_search_runs(qtbot, env, monkeypatch) -> None:  # noqa: ANN001
    panel, kb, _, _ = env
    real = kb.search_results
    release = threading.Event()

    def slow(query, *args, **kwargs):  # noqa: ANN001, ANN202 - runs on a reader thread
        release.wait(5)
        return real(query, *args, **kwargs)

    monkeypatch.setattr(kb, "search_results", slow)
    try:
        panel.field.setText("refund")
        panel._search()
        started = time.perf_counter()
        panel.field.clear()
        qtbot.keyClicks(panel.field, "customer blames me")
        assert time.perf_counter() - started < 1.0
        assert panel.field.text() == "customer blames me"
        qtbot.waitUntil(lambda: panel.status.text() == "Searching…")  # a quiet hint
        assert panel.model.rowCount() > 0  # the previous rows stay until the answer comes
    finally:
        release.set()
    qtbot.waitUntil(lambda: panel.last_result.query == "customer blames me")
    assert panel.status.text() != "Searching…"


# -- keyboard ---------------------------------------------------------------------------


def test_down_then_enter_opens_the_article(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    panel.focus_search()
    _type(qtbot, panel, "apologize")
    qtbot.keyClick(panel.field, Qt.Key.Key_Down)
    assert panel.results.hasFocus()
    assert panel.results.currentIndex().row() == 0
    qtbot.keyClick(panel.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.viewer.slug == APOLOGY)
    assert "Apologising" in panel.viewer.browser.toPlainText()
    qtbot.keyClick(panel.results, Qt.Key.Key_Escape)
    assert panel.field.hasFocus()


def test_enter_in_the_field_opens_the_best_match_even_before_results_arrive(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    panel.focus_search()
    qtbot.keyClicks(panel.field, "apologize")
    qtbot.keyClick(panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.viewer.slug == APOLOGY)


# -- the article view -------------------------------------------------------------------


def test_in_app_links_navigate_and_back_forward_work(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _open(qtbot, panel, APOLOGY)
    assert not panel.viewer.back_button.isEnabled()
    _click_link(qtbot, panel, lambda href: href == "tactful://article/accepting-blame-and-moving-on")
    qtbot.waitUntil(lambda: panel.viewer.slug == "accepting-blame-and-moving-on")
    assert panel.viewer.back_button.isEnabled()
    assert not panel.viewer.forward_button.isEnabled()

    qtbot.mouseClick(panel.viewer.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.viewer.slug == APOLOGY)
    assert panel.viewer.forward_button.isEnabled()
    panel.forward()
    qtbot.waitUntil(lambda: panel.viewer.slug == "accepting-blame-and-moving-on")
    panel.back()
    qtbot.waitUntil(lambda: panel.viewer.slug == APOLOGY)

    # Visiting something new after going back drops the forward entries.
    _open(qtbot, panel, "three-key-questions")
    assert not panel.viewer.forward_button.isEnabled()
    assert panel.history.slugs() == [APOLOGY, "three-key-questions"]


def test_outside_links_are_copied_not_opened(qtbot, env, monkeypatch) -> None:  # noqa: ANN001
    panel, *_ = env

    def refuse(url: QUrl) -> bool:
        raise AssertionError(f"tried to open {url.toString()}")

    monkeypatch.setattr(QDesktopServices, "openUrl", refuse)
    _open(qtbot, panel, LINKS)
    html = panel.viewer.browser.toHtml()
    assert "file:" not in html and "javascript:" not in html

    _click_link(qtbot, panel, lambda href: href.startswith("https:"))
    qtbot.waitUntil(panel.viewer.notice.isVisible)
    assert "outside Tactful" in panel.viewer.notice.text()
    assert QGuiApplication.clipboard().text() == "https://example.com/help"
    assert panel.viewer.slug == LINKS

    # Links that slipped through any other way are simply not followed.
    panel.viewer.hide_notice()
    for url in ("file:///etc/passwd", "javascript:alert(1)", "tactful://article/../../etc", "ftp://x/y"):
        panel.viewer.browser.anchorClicked.emit(QUrl(url))
    assert not panel.viewer.notice.isVisible()
    assert panel.history.slugs() == [LINKS]
    # And the browser never loads a resource itself.
    image = QTextDocument.ResourceType.ImageResource.value
    assert panel.viewer.browser.loadResource(image, QUrl("file:///etc/hostname")) is None
    assert not panel.viewer.browser.openLinks()
    assert not panel.viewer.browser.openExternalLinks()


def test_insert_on_a_snippet_emits_its_slug(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _open(qtbot, panel, APOLOGY)
    snippets = panel.viewer.snippets
    qtbot.waitUntil(lambda: TEST_SNIPPET.slug in snippets.slugs())
    assert panel.viewer.snippet_scroll.isVisible()
    card = snippets.cards[snippets.slugs().index(TEST_SNIPPET.slug)]
    with qtbot.waitSignal(panel.insert_snippet_requested, timeout=2000) as blocker:
        qtbot.mouseClick(card.insert_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [TEST_SNIPPET.slug]

    _open(qtbot, panel, "three-causes-of-dissatisfaction")
    assert TEST_SNIPPET.slug not in snippets.slugs()


def test_zoom_changes_the_text_size_and_persists(qtbot, env, tmp_path: Path) -> None:  # noqa: ANN001
    panel, _, settings, _ = env
    _open(qtbot, panel, APOLOGY)
    before = panel.viewer.browser.font().pointSizeF()
    panel.zoom_in()
    assert settings.get("appearance/text_size") == 110
    assert panel.viewer.browser.font().pointSizeF() > before
    assert Settings(tmp_path / "settings.ini").get("appearance/text_size") == 110
    panel.zoom_out()
    panel.zoom_out()
    assert settings.get("appearance/text_size") == 90
    assert panel.viewer.browser.font().pointSizeF() < before
    panel.zoom_reset()
    assert settings.get("appearance/text_size") == 100
    assert panel.viewer.browser.font().pointSizeF() == pytest.approx(before)


def test_changes_refresh_the_list_and_the_open_article(qtbot, env) -> None:  # noqa: ANN001
    panel, kb, _, _ = env
    _open(qtbot, panel, LINKS)
    updated = kb.article(LINKS)
    updated.title = "Links, retitled"
    changes = kb.save_article(updated)
    changes = changes | kb.save_article(
        Article(slug="brand-new", title="A brand new article", body="Fresh words.", status="vetted")
    )
    panel.on_changes(changes)
    qtbot.waitUntil(lambda: "brand-new" in _slugs(panel))
    qtbot.waitUntil(lambda: "Links, retitled" in panel.viewer.browser.toPlainText())


def test_status_says_how_many_articles_have_every_word(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "apologise customer")
    text = panel.status.text()
    assert "with every word" in text and "with some" in text
    complete = int(text.split()[0])
    assert 0 < complete < panel.last_result.total


def test_did_you_mean_sits_under_the_count_not_beside_it(qtbot, env) -> None:  # noqa: ANN001
    panel, *_ = env
    _type(qtbot, panel, "how to apolgise when the customer is angry about a late delivery")
    qtbot.waitUntil(panel.suggestion_button.isVisible)
    status = panel.status.geometry()
    link = panel.suggestion_button.geometry()
    assert link.top() >= status.bottom()  # its own line: the count keeps the pane's width
    assert panel.status.height() < 3 * panel.status.fontMetrics().height()
    assert panel.suggestion_button.width() <= panel.width()


def test_status_when_no_article_has_every_word() -> None:
    from desktop.search.jobs import FindResult, ResultRow, status_text

    rows = [ResultRow("a", "A", "", ())]
    assert status_text(FindResult("refund vent", None, rows, total=7, complete=0)) == (
        "7 articles with some of the words, none with all")
    assert status_text(FindResult("refund", None, rows, total=1, complete=1)) == "1 article matches"
