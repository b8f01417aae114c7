"""The Compose panel: live checks, quick fixes, ignoring, copying, drafts that survive a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMessageBox

from desktop.composer import analysis
from desktop.composer.drafts_dialog import DraftsModel, RecentDraftsDialog
from desktop.composer.findings import FindingsModel
from desktop.composer.panel import ComposerPanel
from desktop.settings import Settings
from desktop.tasks import Tasks
from kb.drafts import Draft
from kb.facade import KnowledgeBase
from kb.lint import finding_key

REPO = Path(__file__).resolve().parent.parent
RUDE = "Calm down, you should have read the terms"


def open_kb(home: Path) -> KnowledgeBase:
    try:
        return KnowledgeBase.open(home)
    except ImportError:  # bundled snippets not loadable yet: an empty knowledge base will do
        return KnowledgeBase.open(home, seed=False)


@pytest.fixture
def kb(tactful_home: Path):
    base = open_kb(tactful_home)
    yield base
    base.close()


@pytest.fixture
def settings(tactful_home: Path) -> Settings:
    tactful_home.mkdir(parents=True, exist_ok=True)
    found = Settings(tactful_home / "settings.ini")
    found.set("checks/delay_ms", 150)
    return found


@pytest.fixture
def tasks(qtbot):
    runner = Tasks()
    yield runner
    runner.shutdown()


@pytest.fixture
def make_panel(qtbot, kb, tasks, settings):
    def make() -> ComposerPanel:
        panel = ComposerPanel(kb, tasks, settings)
        qtbot.addWidget(panel)
        panel.resize(1000, 700)
        qtbot.waitUntil(lambda: panel.restore_done)
        return panel

    return make


def type_reply(qtbot, panel: ComposerPanel, text: str, findings: int) -> None:
    qtbot.keyClicks(panel.editor, text)
    qtbot.waitUntil(lambda: panel.checker.is_current(panel.checker.latest)
                    and len(panel.findings()) == findings, timeout=10000)


def rules(panel: ComposerPanel) -> list[str]:
    return [f.rule for f in panel.findings()]


# -- live checks -----------------------------------------------------------------------


def test_typing_underlines_findings_and_lists_them(make_panel, qtbot) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    assert [f.category for f in panel.findings()] == ["dismissive", "blame"]
    selections = panel.editor.extraSelections()
    assert [(s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in selections] == [(0, 9), (11, 31)]
    assert all(s.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline for s in selections)
    error, warning = (s.format.underlineColor().name() for s in selections)
    assert error != warning  # coloured by severity
    model = panel.model
    assert model.rowCount() == 2
    assert "Calm down" in model.data(model.index(0))
    assert "Error" in model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert "frustrating" in model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)  # the suggestion
    assert panel.words.text() == "8 words"


def test_strictness_setting_filters_severities(make_panel, qtbot, settings) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    settings.set("checks/strictness", "relaxed")
    qtbot.waitUntil(lambda: rules(panel) == ["dismissive.calm-down"])


def test_quick_fix_replaces_the_phrase_and_undo_brings_it_back(make_panel, qtbot) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    panel.editor.moveCursor(QTextCursor.MoveOperation.Start)
    panel.quick_fix()
    text = panel.editor.toPlainText()
    assert text.startswith("I can see why this is frustrating, you should have read")
    assert rules(panel) == ["blame.should-have"]  # the fixed one is gone at once
    panel.editor.undo()
    assert panel.editor.toPlainText() == RUDE  # one undo step
    qtbot.waitUntil(lambda: len(panel.findings()) == 2)


def test_f8_moves_between_findings_and_enter_in_the_list_applies(make_panel, qtbot) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    panel.editor.moveCursor(QTextCursor.MoveOperation.Start)
    panel.next_finding()
    assert panel.editor.textCursor().selectedText() == "Calm down"
    panel.next_finding()
    assert panel.editor.textCursor().selectedText() == "you should have read"
    panel.previous_finding()
    assert panel.editor.textCursor().selectedText() == "Calm down"
    assert panel.findings_view.currentIndex().row() == 0
    panel.findings_view.setFocus()
    panel.findings_view.setCurrentIndex(panel.model.index(1))
    qtbot.keyClick(panel.findings_view, Qt.Key.Key_Return)
    assert "you should have read" not in panel.editor.toPlainText()


def test_context_menu_offers_fixes_ignore_and_why(make_panel, qtbot) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    menu = panel.editor.context_menu(3)
    texts = [a.text() for a in menu.actions()]
    assert "Replace with “I can see why this is frustrating”" in texts
    assert "Ignore here" in texts and "Why? – open article" in texts
    assert "Copy" in " ".join(texts) or "&Copy" in " ".join(texts)  # the standard edit actions stay
    why = next(a for a in menu.actions() if a.text().startswith("Why?"))
    with qtbot.waitSignal(panel.open_article_requested) as blocker:
        why.trigger()
    assert blocker.args == ["when-a-customer-blames-you"]
    replace = next(a for a in menu.actions() if a.text().startswith("Replace with"))
    replace.trigger()
    assert panel.editor.toPlainText().startswith("I can see why this is frustrating,")


def test_ignore_here_removes_the_finding_and_survives_a_restore(make_panel, qtbot, kb) -> None:
    panel = make_panel()
    type_reply(qtbot, panel, RUDE, 2)
    menu = panel.editor.context_menu(3)
    next(a for a in menu.actions() if a.text() == "Ignore here").trigger()
    assert rules(panel) == ["blame.should-have"]
    key = "dismissive.calm-down:calm down"
    qtbot.waitUntil(lambda: (d := kb.drafts.latest_open()) is not None and d.ignored == [key])
    qtbot.wait(300)  # a check past the debounce delay must not bring it back
    assert rules(panel) == ["blame.should-have"]
    panel.close()

    again = make_panel()
    assert again.editor.toPlainText() == RUDE
    qtbot.waitUntil(lambda: again.checker.latest is not None)
    assert rules(again) == ["blame.should-have"]


# -- copy ------------------------------------------------------------------------------


def test_copy_refuses_while_a_placeholder_is_unfilled_and_says_where(make_panel, qtbot) -> None:
    panel = make_panel()
    QGuiApplication.clipboard().setText("before")
    type_reply(qtbot, panel, "Hi Sam,", 0)
    qtbot.keyClick(panel.editor, Qt.Key.Key_Return)
    type_reply(qtbot, panel, "Your order {order_number} is on its way.", 1)
    panel.copy_reply()
    assert "{order_number}" in panel.status_text() and "line 2" in panel.status_text()
    assert panel.editor.textCursor().selectedText() == "{order_number}"
    assert QGuiApplication.clipboard().text() == "before"


def test_copy_checks_text_typed_after_the_last_check(make_panel, qtbot) -> None:
    panel = make_panel()
    QGuiApplication.clipboard().setText("before")
    panel.editor.setPlainText("Order {order_number} ships today.")
    panel.copy_reply()  # no check has run on this text yet
    qtbot.waitUntil(lambda: "{order_number}" in panel.status_text())
    assert QGuiApplication.clipboard().text() == "before"


def test_copy_asks_before_copying_a_reply_with_errors(make_panel, qtbot, monkeypatch) -> None:
    panel = make_panel()
    QGuiApplication.clipboard().setText("before")
    type_reply(qtbot, panel, RUDE, 2)
    asked = []
    answer = [QMessageBox.StandardButton.No]

    def question(parent, title, text, *args):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    panel.copy_reply()
    assert len(asked) == 1 and "Calm down" in asked[0]
    assert QGuiApplication.clipboard().text() == "before"
    answer[0] = QMessageBox.StandardButton.Yes
    panel.copy_reply()
    assert QGuiApplication.clipboard().text() == RUDE


def test_copy_puts_clean_plain_text_on_the_clipboard(make_panel, qtbot) -> None:
    panel = make_panel()
    panel.editor.setPlainText("Hi Ana,   \n\n\n\nYour refund is on its way.  \n\n")
    with qtbot.waitSignal(panel.copied):
        panel.copy_reply()
    assert QGuiApplication.clipboard().text() == "Hi Ana,\n\nYour refund is on its way."
    assert QGuiApplication.clipboard().mimeData().hasHtml() is False
    assert "Copied" in panel.status_text()


# -- drafts ----------------------------------------------------------------------------


def test_drafts_autosave_and_come_back_in_a_new_panel(make_panel, qtbot, kb, settings) -> None:
    settings.set("drafts/autosave_seconds", 1)
    panel = make_panel()
    qtbot.keyClicks(panel.case_ref, "C-1042")
    qtbot.keyClicks(panel.customer, "Ana")
    qtbot.keyClicks(panel.questions.fields["why"], "parcel late twice")
    qtbot.keyClicks(panel.editor, "Hi Ana, your parcel left our warehouse today.")
    qtbot.waitUntil(lambda: (d := kb.drafts.latest_open()) is not None
                    and d.body.endswith("today.") and "why" in d.questions, timeout=5000)
    assert len(kb.drafts.recent()) == 1  # one row, updated in place

    again = make_panel()
    assert again.editor.toPlainText() == "Hi Ana, your parcel left our warehouse today."
    assert again.case_ref.text() == "C-1042" and again.customer.text() == "Ana"
    assert again.questions.answers() == {"why": "parcel late twice"}
    assert again._known_values()["customer_name"] == "Ana"
    assert again.status_text().startswith("Restored your unsaved reply from ")


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, when a dialog opens
def test_new_reply_keeps_the_old_one_in_recent_drafts(make_panel, qtbot, kb) -> None:
    panel = make_panel()
    panel.case_ref.setText("C-7")
    panel.editor.setPlainText("First reply")
    panel.save_now()
    qtbot.waitUntil(lambda: kb.drafts.latest_open() is not None)
    first_id = panel.keeper.draft_id
    panel.new_reply()
    assert panel.editor.toPlainText() == "" and panel.case_ref.text() == ""
    qtbot.waitUntil(lambda: kb.drafts.latest_open() is None)
    assert [d.body for d in kb.drafts.recent()] == ["First reply"]

    panel.editor.setPlainText("Second reply")
    panel.save_now()
    qtbot.waitUntil(lambda: panel.keeper.draft_id is not None)
    panel.show_recent_drafts()
    qtbot.waitUntil(lambda: isinstance(getattr(panel, "drafts_dialog", None), RecentDraftsDialog))
    dialog = panel.drafts_dialog
    assert dialog.model.rowCount() == 1  # the reply in view is not offered
    assert dialog.model.data(dialog.model.index(0, 0)) == "C-7"
    dialog.accept()
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == "First reply")
    assert panel.case_ref.text() == "C-7" and panel.keeper.draft_id == first_id
    qtbot.waitUntil(lambda: (d := kb.drafts.latest_open()) is not None and d.id == first_id)
    assert {d.body: d.closed_at is None for d in kb.drafts.recent()} == {
        "First reply": True, "Second reply": False}


def test_deleting_a_draft_from_the_dialog(qtbot, kb, tasks, monkeypatch) -> None:
    saved = kb.drafts.save(Draft(case_ref="C-9", customer="Bo", body="Old reply"))
    dialog = RecentDraftsDialog([saved])
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.delete_requested) as blocker:
        dialog.delete_button.click()
    assert blocker.args == [saved.id] and dialog.model.rowCount() == 0
    assert dialog.empty.isVisibleTo(dialog)


CRASH_SCRIPT = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from kb.facade import KnowledgeBase
from desktop.composer.panel import ComposerPanel
from desktop.settings import Settings
from desktop.tasks import Tasks

home = Path(sys.argv[1])
app = QApplication([])
kb = KnowledgeBase.open(home, seed=False)
settings = Settings(home / "settings.ini")
settings.set("drafts/autosave_seconds", 1)
tasks = Tasks()
panel = ComposerPanel(kb, tasks, settings)
more = iter("and more words typed until the power goes " * 200)
typer = QTimer()
typer.setInterval(5)
typer.timeout.connect(lambda: QTest.keyClicks(panel.editor, next(more)))

def saved(draft):
    if len(draft.body) > 60:
        print("SAVED", flush=True)

def start(_draft):
    QTest.keyClicks(panel.editor, "Hi Ana, I have refunded order A-1 today. ")
    typer.start()

panel.keeper.saved.connect(saved)
panel.draft_loaded.connect(start)
app.exec()
"""


def test_a_draft_survives_a_killed_process(make_panel, tactful_home: Path, qtbot) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TACTFUL_HOME=str(tactful_home),
               PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CRASH_SCRIPT, str(tactful_home)], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = child.stdout.readline()  # blocks until the first autosave while typing
        assert line.strip() == "SAVED"
        child.kill()  # SIGKILL mid-typing: no close event, no last save
        assert child.wait(timeout=10) != 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()

    panel = make_panel()
    text = panel.editor.toPlainText()
    assert text.startswith("Hi Ana, I have refunded order A-1 today. and more words")
    assert panel.status_text().startswith("Restored your unsaved reply")


# -- snippets and recipes (their dialogs are built in parallel) --------------------------------


def test_inserting_a_snippet_fills_fields_and_remembers_values(make_panel, qtbot, monkeypatch, kb) -> None:
    fields_dialog = pytest.importorskip("desktop.composer.fields_dialog")
    if "apologise-late-delivery" not in {s.slug for s in kb.snippets()}:
        pytest.skip("the bundled snippets are not seeded")
    seen = {}

    def ask_values(snippet, known, parent):
        seen.update(known)
        return {"order_number": "A-10442", "delivery_date": "Thursday"}

    monkeypatch.setattr(fields_dialog, "ask_values", ask_values)
    panel = make_panel()
    panel.customer.setText("Ana")
    qtbot.keyClicks(panel.customer, "")  # the field feeds {customer_name}
    panel._customer_edited("Ana")
    panel.editor.setPlainText("Hi Ana,")
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    panel.insert_snippet("apologise-late-delivery")
    qtbot.waitUntil(lambda: "A-10442" in panel.editor.toPlainText())
    assert seen.get("customer_name") == "Ana"
    assert panel.editor.toPlainText().startswith("Hi Ana,\n\nI'm sorry order A-10442 is late.")
    assert panel._snapshot().values["order_number"] == "A-10442"
    panel.editor.undo()
    assert panel.editor.toPlainText() == "Hi Ana,"


def test_a_recipe_scaffold_replaces_the_reply_after_asking(make_panel, qtbot, monkeypatch, kb) -> None:
    recipe_dialog = pytest.importorskip("desktop.composer.recipe_dialog")
    compose = pytest.importorskip("kb.compose")
    recipes = kb.recipes()
    if not recipes:
        pytest.skip("no bundled recipes yet")
    monkeypatch.setattr(recipe_dialog, "choose_recipe", lambda kb, parent: recipes[0])
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: asked.append(a) or QMessageBox.StandardButton.Yes)
    panel = make_panel()
    panel.editor.setPlainText("something")
    panel.choose_recipe()
    expected = compose.scaffold(recipes[0], {s.slug: s for s in kb.snippets()}, {})
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == expected)
    assert len(asked) == 1 and panel.guide_box.isVisibleTo(panel)
    assert panel._snapshot().recipe == recipes[0].slug


# -- models and helpers ------------------------------------------------------------------


def test_models_pass_the_model_tester(qtmodeltester, kb) -> None:
    findings = FindingsModel()
    findings.set_findings(kb.lint(RUDE))
    qtmodeltester.check(findings)
    drafts = DraftsModel([Draft(id=1, case_ref="C-1", customer="Ana", body="Hi",
                                updated_at="2026-05-12T14:03:00Z")])
    qtmodeltester.check(drafts)


def test_offsets_map_past_emoji_and_placeholders_are_found() -> None:
    text = "Thanks 🙂 for {order_number}"
    positions = analysis.Positions(text)
    start = text.index("{")
    assert positions.to_qt(start) == start + 1
    assert positions.from_qt(positions.to_qt(start)) == start
    assert analysis.clean_text("a \n\n\n\nb <!-- tactful-ignore -->\n") == "a\n\nb"


def test_underlines_land_on_the_right_words_after_an_emoji(make_panel, qtbot) -> None:
    panel = make_panel()
    panel.editor.insertPlainText("🙂 Calm down please")  # keyClicks cannot type astral characters
    qtbot.waitUntil(lambda: len(panel.findings()) == 1)
    selections = panel.editor.extraSelections()
    assert selections[0].cursor.selectedText() == "Calm down"
    assert finding_key(panel.findings()[0]) == "dismissive.calm-down:calm down"


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")  # offscreen, a tooltip opening
def test_hovering_a_finding_shows_message_why_and_suggestion(make_panel, qtbot) -> None:
    from PySide6.QtCore import QEvent, QPoint
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    panel = make_panel()
    panel.show()
    qtbot.waitExposed(panel)
    type_reply(qtbot, panel, RUDE, 2)
    rect = panel.editor.cursorRect(QTextCursor(panel.editor.document()))  # the start of "Calm down"
    pos = QPoint(rect.x() + 12, rect.center().y())
    viewport = panel.editor.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    tip = QToolTip.text()
    assert "tells the customer how to feel" in tip  # message
    assert "calmed down because they were told to" in tip  # why
    assert "I can see why this is frustrating" in tip  # suggestion
    QToolTip.hideText()
