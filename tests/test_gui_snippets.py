"""Snippet picker, fill-in form and reply recipes, driven like a rep would drive them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QWidget

from desktop.composer.fields_dialog import FieldsDialog, ask_values
from desktop.composer.recipe_dialog import RecipeChooser, RecipeGuide, RecipeListModel, choose_recipe
from desktop.composer.snippet_picker import SnippetPicker, SnippetRole, choose_snippet
from desktop.settings import Settings
from desktop.tasks import Tasks
from kb.facade import KnowledgeBase
from kb.models import Article, Recipe, RecipeStage, Snippet, SnippetField

# The offscreen platform says so whenever a window is shown; nothing to fix on our side.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _snippet(slug: str, stage: str, title: str, text: str, *fields: SnippetField,
             tags: tuple[str, ...] = (), status: str = "vetted", article: str | None = None) -> Snippet:
    return Snippet(slug=slug, title=title, text=text, stage=stage, fields=list(fields),
                   tags=list(tags), status=status, article=article)


NAME = SnippetField("customer_name", "Customer name", help="As they signed their message")
SNIPPETS = [
    _snippet("greeting-by-name", "greeting", "Hi by name", "Hi {customer_name},", NAME),
    _snippet("greeting-thanks", "greeting", "Thanks for writing", "Thanks for writing to us."),
    _snippet("apologise-late-delivery", "apologise", "Sorry your order is late",
             "I'm sorry order {order_number} is late. I've asked the courier to prioritise it.",
             SnippetField("order_number", "Order number", sample="A-10442"),
             tags=("delivery",), article="apologising-dos-and-donts"),
    _snippet("apologise-wrong-item", "apologise", "Sorry we sent the wrong item",
             "I'm sorry we sent the wrong item.", tags=("returns",)),
    _snippet("options-refund-or-replace", "options", "Refund or replacement",
             "I can offer you a {remedy} today.",
             SnippetField("remedy", "What to offer", choices=["refund", "replacement"], default="refund")),
    _snippet("close-sign-off", "close", "Sign off", "{sign_off}\n{agent_name}{team}",
             SnippetField("sign_off", "Sign-off", choices=["Kind regards,", "Best wishes,"]),
             SnippetField("agent_name", "Your name"),
             SnippetField("team", "Team", required=False, choices=[", Support", ", Billing"])),
    _snippet("explain-draft-courier", "explain", "Courier explanation (draft)",
             "The courier had a backlog.", tags=("delivery",), status="draft"),
    _snippet("close-retired", "close", "Old sign-off", "Yours faithfully", status="retired"),
]
RECIPES = [
    Recipe(slug="late-order", title="A late order", summary="When a parcel is late.",
           articles=["apologising-dos-and-donts", "no-such-article"],
           stages=[
               RecipeStage("greeting", "Greet them by name", "Short and warm.",
                           ["greeting-by-name", "greeting-thanks"]),
               RecipeStage("apologise", "Say sorry for the delay", "Name the order.",
                           ["apologise-late-delivery", "missing-snippet"]),
               RecipeStage("explain", "Explain", "One sentence.", ["explain-draft-courier"]),
           ]),
    Recipe(slug="we-got-it-wrong", title="We got it wrong", summary="When the mistake was ours.",
           stages=[RecipeStage("apologise", "Apologise", snippets=["apologise-wrong-item"])]),
]


@pytest.fixture
def kb(tactful_home: Path):
    base = KnowledgeBase.open(tactful_home, seed=False)
    base.store.save_snippets(SNIPPETS)
    base.store.save_recipes(RECIPES)
    base.store.save_articles([Article(slug="apologising-dos-and-donts", title="Apologising: dos and don'ts",
                                       body="Say sorry once.", status="vetted")])
    yield base
    base.close()


@pytest.fixture
def tasks(qtbot):
    runner = Tasks()
    yield runner
    runner.shutdown()


@pytest.fixture
def settings(tactful_home: Path) -> Settings:
    tactful_home.mkdir(parents=True, exist_ok=True)
    return Settings(tactful_home / "settings.ini")


def _picker(qtbot, kb, tasks, settings) -> SnippetPicker:
    picker = SnippetPicker(kb, tasks, settings)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitUntil(lambda: picker.loaded)
    return picker


def _shown(picker: SnippetPicker) -> dict[str, list[str]]:
    """Stage heading -> slugs of the snippets shown beneath it, in view order."""
    proxy, shown = picker.proxy, {}
    for r in range(proxy.rowCount()):
        group = proxy.index(r, 0)
        shown[group.data()] = [proxy.index(c, 0, group).data(SnippetRole).slug for c in range(proxy.rowCount(group))]
    return shown


def _when_modal(kind: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Run ``act`` on the next modal dialog of ``kind`` once ``exec()`` has opened it."""

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(5, attempt)
            return
        try:
            act(dialog)
        except BaseException:
            dialog.reject()  # never leave the test stuck in exec()
            raise

    QTimer.singleShot(0, attempt)


# -- the picker ----------------------------------------------------------------------


def test_models_pass_the_model_tester(qtbot, qtmodeltester, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    qtmodeltester.check(picker.model)
    qtmodeltester.check(picker.proxy)
    qtmodeltester.check(RecipeListModel(kb.recipes()))


def test_vetted_snippets_grouped_by_stage_in_reply_order(qtbot, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    assert list(_shown(picker).items()) == [  # stages in reply order, snippets by title
        ("Greeting", ["greeting-by-name", "greeting-thanks"]),
        ("Apologise", ["apologise-wrong-item", "apologise-late-delivery"]),
        ("Offer options", ["options-refund-or-replace"]),
        ("Close", ["close-sign-off"]),
    ]
    assert picker.selected_snippet().slug == "greeting-by-name"
    qtbot.waitUntil(picker.search.hasFocus)  # the rep can type straight away


def test_typing_filters_by_title_text_and_tag(qtbot, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    qtbot.keyClicks(picker.search, "wrong")  # title
    assert _shown(picker) == {"Apologise": ["apologise-wrong-item"]}
    picker.search.clear()
    qtbot.keyClicks(picker.search, "courier prioritise")  # words from the text, any order
    assert _shown(picker) == {"Apologise": ["apologise-late-delivery"]}
    picker.search.clear()
    qtbot.keyClicks(picker.search, "returns")  # only a tag says so
    assert _shown(picker) == {"Apologise": ["apologise-wrong-item"]}
    assert picker.selected_snippet().slug == "apologise-wrong-item"
    assert "Sorry we sent the wrong item" in picker.preview.toPlainText()
    picker.search.clear()
    qtbot.keyClicks(picker.search, "nothing like this")
    assert _shown(picker) == {} and picker.selected_snippet() is None
    assert not picker.insert_button.isEnabled()
    assert "No snippets match" in picker.preview.toPlainText()


def test_unvetted_snippets_only_when_asked(qtbot, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    qtbot.keyClicks(picker.search, "delivery")
    assert _shown(picker) == {"Apologise": ["apologise-late-delivery"]}
    picker.show_unvetted.click()
    assert _shown(picker) == {"Apologise": ["apologise-late-delivery"], "Explain simply": ["explain-draft-courier"]}
    assert "(draft)" in picker.proxy.index(0, 0, picker.proxy.index(1, 0)).data()
    picker.search.clear()
    assert "close-retired" not in sum(_shown(picker).values(), [])


def test_show_unvetted_starts_from_the_setting(qtbot, kb, tasks, settings) -> None:
    settings.set("snippets/show_unvetted", True)
    picker = _picker(qtbot, kb, tasks, settings)
    assert picker.show_unvetted.isChecked()
    assert "explain-draft-courier" in sum(_shown(picker).values(), [])


def test_arrow_keys_move_through_snippets_skipping_stage_headings(qtbot, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    seen = [picker.selected_snippet().slug]
    for _ in range(6):
        qtbot.keyClick(picker.search, Qt.Key.Key_Down)
        seen.append(picker.selected_snippet().slug)
    assert seen == ["greeting-by-name", "greeting-thanks", "apologise-wrong-item", "apologise-late-delivery",
                    "options-refund-or-replace", "close-sign-off", "close-sign-off"]
    for _ in range(6):
        qtbot.keyClick(picker.tree, Qt.Key.Key_Up)  # the same from the list itself
    assert picker.selected_snippet().slug == "greeting-by-name"
    qtbot.keyClick(picker.tree, Qt.Key.Key_Up)
    assert picker.selected_snippet().slug == "greeting-by-name"
    assert picker.preview.toPlainText().startswith("Hi by name")
    qtbot.keyClick(picker.tree, Qt.Key.Key_End)
    qtbot.keyClick(picker.tree, Qt.Key.Key_Return)  # Enter from the list inserts too
    assert picker.result() == QDialog.DialogCode.Accepted
    assert picker.selected_snippet().slug == "close-sign-off"


def test_preview_highlights_fields_and_names_the_article(qtbot, kb, tasks, settings) -> None:
    picker = _picker(qtbot, kb, tasks, settings)
    qtbot.keyClicks(picker.search, "late")
    text = picker.preview.toPlainText()
    assert "{order_number}" in text and "Order number (required)" in text
    assert "Puts into practice: Apologising: dos and don'ts" in text
    assert "background-color" in picker.preview.toHtml()


def test_keyboard_only_choice_returns_the_snippet(qtbot, kb, tasks, settings) -> None:
    def act(picker: SnippetPicker) -> None:
        qtbot.waitUntil(lambda: picker.loaded)
        qtbot.keyClicks(picker.search, "sorry")
        qtbot.keyClick(picker.search, Qt.Key.Key_Down)
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    _when_modal(SnippetPicker, act)
    chosen = choose_snippet(kb, tasks, settings)
    assert chosen is not None and chosen.slug == "apologise-late-delivery"


def test_escape_cancels(qtbot, kb, tasks, settings) -> None:
    _when_modal(SnippetPicker, lambda picker: qtbot.keyClick(picker.search, Qt.Key.Key_Escape))
    assert choose_snippet(kb, tasks, settings) is None


# -- the fill-in form ----------------------------------------------------------------


def _form(qtbot, slug: str, known: dict[str, str] | None = None) -> FieldsDialog:
    dialog = FieldsDialog(next(s for s in SNIPPETS if s.slug == slug), known or {})
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_required_fields_are_enforced_with_a_hint(qtbot) -> None:
    dialog = _form(qtbot, "apologise-late-delivery")
    editor = dialog.editors["order_number"]
    assert isinstance(editor, QLineEdit)
    assert not dialog.ok_button.isEnabled()
    assert "Order number" in dialog.hint.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter does not insert while something is missing
    assert dialog.isVisible() and dialog.result() == 0
    qtbot.keyClicks(editor, "A-10442")
    assert dialog.ok_button.isEnabled() and "Order number" not in dialog.hint.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.values() == {"order_number": "A-10442"}


def test_choices_are_offered_and_defaults_filled(qtbot) -> None:
    dialog = _form(qtbot, "options-refund-or-replace")
    combo = dialog.editors["remedy"]
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["refund", "replacement"]
    assert combo.currentText() == "refund" and dialog.ok_button.isEnabled()
    combo.setCurrentIndex(1)
    assert dialog.values() == {"remedy": "replacement"}
    assert "I can offer you a replacement today." in dialog.preview.toPlainText()


def test_required_choice_starts_unchosen_and_optional_choice_can_stay_empty(qtbot) -> None:
    dialog = _form(qtbot, "close-sign-off", {"agent_name": "Sam"})
    sign_off, team = dialog.editors["sign_off"], dialog.editors["team"]
    assert sign_off.currentIndex() == -1 and not dialog.ok_button.isEnabled()
    assert team.currentText() == "(none)"
    assert dialog.editors["agent_name"].text() == "Sam"
    sign_off.setCurrentIndex(sign_off.findText("Best wishes,"))
    assert dialog.ok_button.isEnabled()
    assert dialog.values() == {"sign_off": "Best wishes,", "agent_name": "Sam", "team": ""}
    assert dialog.preview.toPlainText() == "Best wishes,\nSam"


def test_known_values_are_reused_and_only_this_snippets_fields_returned(qtbot) -> None:
    dialog = _form(qtbot, "greeting-by-name", {"customer_name": "Priya", "order_number": "A-1"})
    assert dialog.editors["customer_name"].text() == "Priya"
    assert dialog.editors["customer_name"].toolTip() == "As they signed their message"
    assert dialog.ok_button.isEnabled()
    assert dialog.values() == {"customer_name": "Priya"}


def test_preview_updates_as_you_type(qtbot) -> None:
    dialog = _form(qtbot, "greeting-by-name")
    assert dialog.preview.toPlainText() == "Hi {customer_name},"
    qtbot.keyClicks(dialog.editors["customer_name"], "Jo")
    assert dialog.preview.toPlainText() == "Hi Jo,"


def test_ask_values_skips_the_form_without_fields_and_returns_typed_values(qtbot) -> None:
    assert ask_values(SNIPPETS[1], {"customer_name": "x"}) == {}

    def act(dialog: FieldsDialog) -> None:
        qtbot.keyClicks(dialog.editors["customer_name"], "Priya")
        qtbot.keyClick(dialog.editors["customer_name"], Qt.Key.Key_Return)

    _when_modal(FieldsDialog, act)
    assert ask_values(SNIPPETS[0], {}) == {"customer_name": "Priya"}
    _when_modal(FieldsDialog, lambda d: qtbot.keyClick(d.editors["customer_name"], Qt.Key.Key_Escape))
    assert ask_values(SNIPPETS[0], {}) is None


# -- recipes -------------------------------------------------------------------------


def test_recipe_chooser_previews_stages_and_returns_the_choice(qtbot, kb) -> None:
    def act(dialog: RecipeChooser) -> None:
        text = dialog.preview.toPlainText()
        assert "A late order" in text and "Greet them by name — Short and warm." in text
        assert "Apologising: dos and don'ts" in text
        qtbot.keyClick(dialog.list, Qt.Key.Key_Down)
        assert "When the mistake was ours." in dialog.preview.toPlainText()
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    _when_modal(RecipeChooser, act)
    chosen = choose_recipe(kb)
    assert chosen is not None and chosen.slug == "we-got-it-wrong"


def test_recipe_guide_offers_vetted_snippets_and_articles(qtbot, kb) -> None:
    guide = RecipeGuide(kb)
    qtbot.addWidget(guide)
    guide.set_recipe(kb.recipe("late-order"))
    guide.show()
    assert guide.title.text() == "A late order"
    buttons = guide.snippet_buttons()
    assert [b.text() for b in buttons] == ["Hi by name", "Thanks for writing", "Sorry your order is late"]
    labels = [label.text() for label in guide.scroll.widget().findChildren(QLabel)]
    assert "3. Explain" in labels and "Name the order." in labels
    with qtbot.waitSignal(guide.insert_snippet_requested) as inserted:
        qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)
    assert inserted.args == ["apologise-late-delivery"]
    article = next(b for b in guide.scroll.widget().findChildren(QWidget) if b.property("article"))
    with qtbot.waitSignal(guide.open_article_requested) as opened:
        article.setFocus()
        qtbot.keyClick(article, Qt.Key.Key_Space)
    assert opened.args == ["apologising-dos-and-donts"]
    with qtbot.waitSignal(guide.closed):
        qtbot.mouseClick(guide.close_button, Qt.MouseButton.LeftButton)
    guide.set_recipe(None)
    assert guide.snippet_buttons() == [] and guide.recipe() is None
