"""The editor window: wiring and what an editor sees, driven through real widgets on a
real knowledge base and the real task runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from desktop.editor import EditorWindow
from desktop.editor.models import FieldsModel, RowsModel
from desktop.settings import Settings
from desktop.tasks import Tasks
from kb import KnowledgeBase
from kb.models import Snippet, SnippetField

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen platform

SLUG = "three-key-questions"


@pytest.fixture
def kb(tmp_path: Path):
    base = KnowledgeBase.open(tmp_path / "kb")
    yield base
    base.close()


@pytest.fixture
def tasks(qtbot):
    runner = Tasks()
    yield runner
    runner.shutdown()


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> dict:
    """Message boxes answer without blocking; tests set ``answer`` and read ``shown``."""
    seen: dict = {"shown": [], "answer": QMessageBox.StandardButton.Discard}

    def record(_parent, title, text, *args, **kwargs):
        seen["shown"].append((title, text))
        return QMessageBox.StandardButton.Ok

    def question(_parent, title, text, *args, **kwargs):
        seen["shown"].append((title, text))
        return seen["answer"]

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(record))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(record))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return seen


def make_window(qtbot, kb, tasks) -> EditorWindow:
    window = EditorWindow(kb, tasks, Settings(kb.paths.settings_file))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.articles.list.model.rowCount() > 0)
    return window


@pytest.fixture
def window(qtbot, kb, tasks, messages) -> EditorWindow:
    return make_window(qtbot, kb, tasks)


def open_article(qtbot, window: EditorWindow, slug: str = SLUG) -> None:
    window.open_article(slug)
    qtbot.waitUntil(lambda: window.articles.current_slug() == slug)


def type_at_end(qtbot, editor, text: str) -> None:
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor, line)


def test_editing_a_body_and_saving_makes_a_revision_that_search_finds(qtbot, window, kb) -> None:
    open_article(qtbot, window)
    page = window.articles
    assert not page.save_button.isEnabled()
    type_at_end(qtbot, page.source, "\n\nZephyrine parcels deserve a plain answer.")
    assert page.is_dirty() and page.save_button.isEnabled()
    with qtbot.waitSignal(window.changes_made, timeout=10_000) as saved:
        window.save_action.trigger()
    assert SLUG in saved.args[0].articles
    assert len(kb.revisions(SLUG)) == 2
    assert "Zephyrine" in kb.article(SLUG).body
    assert SLUG in [hit.slug for hit in kb.search("zephyrine")]
    qtbot.waitUntil(lambda: not page.is_dirty() and page.state.text() == "Saved")


def test_a_bad_or_taken_slug_blocks_save_with_a_message(qtbot, window, kb) -> None:
    page = window.articles
    window.new_article()
    qtbot.keyClicks(page.title, "Late parcels")
    assert page.slug.text() == "late-parcels"
    page.slug.clear()
    qtbot.keyClicks(page.slug, "Late Parcels!")
    assert not page.save_button.isEnabled()
    assert "not URL-safe" in page.problem.text() and page.problem.isVisible()
    assert page.save() is False
    page.slug.clear()
    qtbot.keyClicks(page.slug, SLUG)
    assert "already exists" in page.problem.text()
    assert page.save() is False
    page.slug.clear()
    qtbot.keyClicks(page.slug, "late-parcels")
    assert page.problem_text() is None and page.save_button.isEnabled()
    with qtbot.waitSignal(window.changes_made, timeout=10_000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert kb.article("late-parcels").status == "draft"
    qtbot.waitUntil(lambda: page.slug.isReadOnly())  # a saved slug never changes silently


def test_preview_follows_the_source(qtbot, window) -> None:
    open_article(qtbot, window)
    page = window.articles
    qtbot.waitUntil(lambda: "angry message" in page.preview.toPlainText())
    type_at_end(qtbot, page.source, "\n\n## A freshly written heading\n")
    qtbot.waitUntil(lambda: "A freshly written heading" in page.preview.toPlainText(), timeout=5_000)
    assert "##" not in page.preview.toPlainText().split("A freshly written heading")[0][-5:]
    assert page.preview.openLinks() is False


def test_status_filter_hides_retired_and_due_lists_stale_articles(qtbot, kb, tasks, messages) -> None:
    kb.set_status("offering-options", "retired")
    stale = kb.article("handling-grey-areas")
    stale.reviewed = "2001-01-01"
    kb.save_article(stale, note="old review")
    window = make_window(qtbot, kb, tasks)
    articles = window.articles.list

    def listed() -> set[str]:
        return {a.slug for a in articles.model.rows()}

    assert "offering-options" in listed()
    articles.set_status_filter("vetted")
    assert "offering-options" not in listed() and SLUG in listed()
    articles.set_status_filter("retired")
    assert listed() == {"offering-options"}
    window.show_due()
    assert "handling-grey-areas" in listed() and "offering-options" not in listed()
    articles.set_status_filter(None)
    qtbot.keyClicks(articles.search, "handling grey")
    assert "handling-grey-areas" in listed() and SLUG not in listed()


def test_switching_articles_asks_about_unsaved_changes(qtbot, window, messages) -> None:
    open_article(qtbot, window)
    page = window.articles
    type_at_end(qtbot, page.source, " more")
    messages["answer"] = QMessageBox.StandardButton.Cancel
    window.open_article("analyse-dont-blame")
    assert page.current_slug() == SLUG and page.is_dirty()
    assert messages["shown"][-1][0] == "Unsaved changes"
    messages["answer"] = QMessageBox.StandardButton.Discard
    window.open_article("analyse-dont-blame")
    qtbot.waitUntil(lambda: page.current_slug() == "analyse-dont-blame")
    assert not page.is_dirty()


def test_restoring_a_revision_from_history_makes_a_new_revision(qtbot, window, kb, messages) -> None:
    original = kb.article(SLUG)
    changed = kb.article(SLUG)
    changed.body = "A rewrite that lost everything useful."
    kb.save_article(changed, note="oops")
    window.show_history("article", SLUG)
    history = window.history
    qtbot.waitUntil(lambda: history.current_slug() == SLUG and history.model.rowCount() == 2)
    history.select_revisions(1, 2)
    qtbot.waitUntil(lambda: "revision 1 to revision 2" in history.diff.toPlainText())
    assert "A rewrite that lost everything useful." in history.diff.toPlainText()
    history.select_revisions(1)
    assert history.restore_button.isEnabled()
    messages["answer"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(window.changes_made, timeout=10_000):
        qtbot.mouseClick(history.restore_button, Qt.MouseButton.LeftButton)
    revisions = kb.revisions(SLUG)
    assert len(revisions) == 3 and "Restored revision 1" in revisions[-1].note
    assert kb.article(SLUG).body == original.body
    qtbot.waitUntil(lambda: history.model.rowCount() == 3)


def test_a_team_rule_added_in_the_gui_applies_at_once(qtbot, window, kb) -> None:
    text = "Per my last email, the parcel left on Monday."
    assert not [f for f in kb.lint(text) if f.rule.startswith("team.")]
    window.tabs.setCurrentWidget(window.rules)
    rules = window.rules
    qtbot.keyClicks(rules.phrases, "per my last email")
    rules.category.setCurrentText("dismissive")
    qtbot.keyClicks(rules.suggestions, "as I mentioned")
    with qtbot.waitSignal(window.changes_made, timeout=10_000) as saved:
        qtbot.mouseClick(rules.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].rules
    found = [f for f in kb.lint(text) if f.rule.startswith("team.")]
    assert found and [s.lower() for s in found[0].suggestions] == ["as i mentioned"]
    qtbot.waitUntil(lambda: rules.model.rowCount() == 1)


def test_a_snippet_with_error_findings_cannot_be_vetted(qtbot, window, kb) -> None:
    window.new_snippet()
    page = window.snippets
    qtbot.keyClicks(page.title, "Calm the customer")
    type_at_end(qtbot, page.text, "Calm down, {name}. The parcel is on its way.")
    page.declare_fields()
    assert [f.name for f in page.fields.fields()] == ["name"]
    page.fields.setData(page.fields.index(0, 6), "Sam")
    qtbot.waitUntil(lambda: "Calm down, Sam." in page.preview.toPlainText())
    page.status.setCurrentIndex(page.status.findData("vetted"))
    qtbot.waitUntil(lambda: "can't be marked vetted" in page.problem.text())
    assert not page.save_button.isEnabled() and page.save() is False
    page.status.setCurrentIndex(page.status.findData("in-review"))
    assert page.problem_text() is None
    with qtbot.waitSignal(window.changes_made, timeout=10_000):
        page.save()
    assert kb.snippet("calm-the-customer").status == "in-review"


def test_importing_a_folder_shows_the_broken_file(qtbot, window, kb, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "late-parcels.md").write_text(
        "---\ntitle: Late parcels\nslug: late-parcels\ntags: [delivery]\n---\n\nWhat to say.\n", encoding="utf-8"
    )
    (folder / "broken.md").write_bytes(b"\xff\xfe\x00\x00 not text \x00\x01")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
    publishing = window.publishing
    with qtbot.waitSignal(window.changes_made, timeout=15_000):
        qtbot.mouseClick(publishing.import_folder_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: publishing.report_dialog is not None and publishing.report_dialog.isVisible())
    problems = publishing.report_dialog.problems()
    assert [Path(path).name for path, _ in problems] == ["broken.md"]
    assert "1 new" in publishing.report_dialog.summary.text()
    assert kb.article("late-parcels").title == "Late parcels"
    qtbot.waitUntil(lambda: "late-parcels" in window.articles.list.slugs())


def test_pack_export_then_import_through_the_gui(qtbot, window, kb, tasks, tmp_path, monkeypatch, messages) -> None:
    pytest.importorskip("kb.packs")
    pack = tmp_path / "team.tactpack"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pack), "")))
    qtbot.mouseClick(window.publishing.export_pack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pack.is_file() and window.publishing.last_task.done, timeout=15_000)

    other = KnowledgeBase.open(tmp_path / "other", seed=False)
    try:
        second = make_window_empty(qtbot, other, tasks)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(pack), "")))
        messages["answer"] = QMessageBox.StandardButton.Yes
        with qtbot.waitSignal(second.changes_made, timeout=20_000):
            qtbot.mouseClick(second.publishing.import_pack_button, Qt.MouseButton.LeftButton)
        assert {a.slug for a in other.articles(None)} == {a.slug for a in kb.articles(None)}
        qtbot.waitUntil(lambda: SLUG in second.articles.list.slugs())
    finally:
        other.close()


def make_window_empty(qtbot, kb, tasks) -> EditorWindow:
    window = EditorWindow(kb, tasks, Settings(kb.paths.settings_file))
    qtbot.addWidget(window)
    window.show()
    return window


def test_list_models_behave(qtmodeltester) -> None:
    rows = RowsModel([("Slug", lambda a: a), ("Length", len)])
    rows.set_rows(["one", "three"])
    qtmodeltester.check(rows)
    fields = FieldsModel()
    fields.set_fields([SnippetField(name="order", label="Order", sample="A-1")])
    qtmodeltester.check(fields)
    assert fields.fields()[0].sample == "A-1"


def test_snippet_helpers_keep_declared_fields_unflagged(qtbot, window) -> None:
    page = window.snippets
    page._show(Snippet(slug="x", title="X", text="Hi {name}", stage="greeting",
                       fields=[SnippetField(name="name", label="Name")]), "x")
    finding = type("F", (), {"category": "unfilled-placeholder", "match": "{name}"})()
    assert page._keep_finding(finding, "") is False
    other = type("F", (), {"category": "unfilled-placeholder", "match": "{order}"})()
    assert page._keep_finding(other, "") is True


def test_closing_with_unsaved_changes_asks_first(qtbot, window, messages) -> None:
    open_article(qtbot, window)
    type_at_end(qtbot, window.articles.source, " unsaved")
    messages["answer"] = QMessageBox.StandardButton.Cancel
    window.close()
    assert window.isVisible() and window.articles.is_dirty()
    messages["answer"] = QMessageBox.StandardButton.Discard
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())


def test_long_work_shows_progress_and_cancel_stops_it(qtbot, window, tasks, messages) -> None:
    from desktop.editor.common import run_long
    from kb.errors import Cancelled

    def slow(progress, cancel):
        progress(1, 10, "Reading files")
        if not cancel._event.wait(10):  # noqa: SLF001 - waits for the dialog's Cancel
            return "finished"
        raise Cancelled()

    done = []
    task = run_long(window, tasks, slow, title="Importing articles", on_done=done.append)
    qtbot.waitUntil(lambda: task.dialog.labelText() == "Reading files" and task.dialog.maximum() == 10)
    cancel = [b for b in task.dialog.findChildren(QPushButton) if b.text() == "Cancel"][0]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: task.done)
    assert done == [] and messages["shown"] == []
