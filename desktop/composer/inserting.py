"""Snippets and recipes in the reply: fill in the fields, insert, scaffold, guide.

A mixin of ``ComposerPanel``. The dialogs live beside it (``snippet_picker``,
``fields_dialog``, ``recipe_dialog``) and are imported only when first used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QTextCursor

if TYPE_CHECKING:
    from kb.models import Recipe, Snippet


STATUS_MS = 5000


class SnippetActions:
    kb: Any
    tasks: Any
    settings: Any
    editor: Any
    customer: Any
    guide_box: Any
    guide_layout: Any
    open_article_requested: Any
    _values: dict[str, str]
    _recipe: str | None
    _guide: Any

    def choose_snippet(self) -> None:
        """Pick a snippet (Ctrl+I) and insert it at the cursor after filling in its fields."""
        try:
            from desktop.composer.snippet_picker import choose_snippet
        except ImportError:
            self._say("The snippet picker is not available in this build.", "error", timeout=STATUS_MS)
            return
        snippet = choose_snippet(self.kb, self.tasks, self.settings, self)
        if snippet is not None:
            self._insert_snippet(snippet)

    def insert_snippet(self, slug: str) -> None:
        """Insert snippet ``slug`` (asked for by another panel) at the cursor."""
        kb = self.kb  # attributes are looked up on the worker (kb may still be opening)
        self.tasks.read(lambda: kb.snippet(slug), on_done=self._insert_snippet,
                        on_error=lambda e: self._say(str(e), "error", timeout=STATUS_MS))

    def _insert_snippet(self, snippet: Snippet) -> None:
        from desktop.composer.fields_dialog import ask_values

        values = ask_values(snippet, self._known_values(), self)
        if values is None:
            return
        for name, value in values.items():
            if str(value).strip():
                self._values[name] = str(value).strip()
        if values.get("customer_name", "").strip() and not self.customer.text().strip():
            self.customer.setText(values["customer_name"].strip())
        kb = self.kb
        self.tasks.read(lambda: kb.render_snippet(snippet, values), on_done=self.insert_text,
                        on_error=lambda e: self._say(str(e), "error", timeout=STATUS_MS))

    def insert_text(self, text: str) -> None:
        """Insert ``text`` at the cursor as one undoable edit, as its own paragraph if sensible."""
        cursor = self.editor.textCursor()
        if not cursor.hasSelection():
            block = cursor.block().text()
            before, after = block[: cursor.positionInBlock()], block[cursor.positionInBlock():]
            mid_sentence = bool(before.strip() and after.strip()) and not re.search(r"[.!?:]\s*$", before)
            if mid_sentence:
                text = ("" if before.endswith(" ") else " ") + text + ("" if after.startswith(" ") else " ")
            else:
                if before.strip():
                    text = ("\n\n" if not before.endswith("\n") else "\n") + text
                    while cursor.positionInBlock() > 0 and block[cursor.positionInBlock() - 1] in " \t":
                        cursor.movePosition(QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor)
                elif cursor.block().previous().isValid() and cursor.block().previous().text().strip():
                    text = "\n" + text
                if after.strip():
                    text += "\n\n"
        cursor.beginEditBlock()
        cursor.insertText(text)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)
        self.editor.setFocus()

    def choose_recipe(self) -> None:
        """Start the reply from a recipe (Ctrl+Shift+R): a scaffold plus a plan beside it."""
        try:
            from desktop.composer.recipe_dialog import choose_recipe
        except ImportError:
            self._say("Reply recipes are not available in this build.", "error", timeout=STATUS_MS)
            return
        recipe = choose_recipe(self.kb, self)
        if recipe is None:
            return
        if self.editor.toPlainText().strip():
            from PySide6.QtWidgets import QMessageBox  # kept off the start-up path

            answer = QMessageBox.question(
                self, "Replace your reply?",
                f"Replace what you have written with the outline for “{recipe.title}”? "
                "Ctrl+Z brings your text back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        statuses = None if self.settings.get("snippets/show_unvetted") else ("vetted",)
        values, kb = self._known_values(), self.kb

        def build() -> str:
            from kb.compose import scaffold

            return scaffold(recipe, {s.slug: s for s in kb.snippets(statuses)}, values)

        self.tasks.read(build, on_done=lambda text: self._apply_recipe(recipe, text),
                        on_error=lambda e: self._say(str(e), "error", timeout=STATUS_MS))

    def _apply_recipe(self, recipe: Recipe, text: str) -> None:
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self._recipe = recipe.slug
        self._edited()
        self.editor.moveCursor(QTextCursor.MoveOperation.Start)
        self.editor.setFocus()
        self._show_guide(recipe)
        self._say(f"Started from “{recipe.title}”. Fill in each {{field}} before copying.", "muted",
                  timeout=STATUS_MS)

    def _restore_guide(self, slug: str) -> None:
        kb = self.kb
        self.tasks.read(lambda: kb.recipe(slug), on_done=self._show_guide, on_error=lambda _e: None)

    def _show_guide(self, recipe: Recipe) -> None:
        try:
            from desktop.composer.recipe_dialog import RecipeGuide
        except ImportError:
            return
        if self._guide is None:
            self._guide = RecipeGuide(self.kb)
            self._guide.closed.connect(self.guide_box.hide)
            self._guide.insert_snippet_requested.connect(self.insert_snippet)
            self._guide.open_article_requested.connect(self.open_article_requested)
            self.guide_layout.addWidget(self._guide, 1)
        self._guide.set_recipe(recipe)
        self.guide_box.show()

