"""Reply recipes: choose the situation, then follow its stages.

``choose_recipe`` lists the situations ("We got it wrong", "The customer blames me", …)
with a preview of each one's stages. ``RecipeGuide`` is the panel the composer shows
beside the reply while a recipe is in use: every stage with its hint and its suggested
snippets as buttons, and the articles worth reading for the situation.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kb.errors import NotFound
from kb.models import Recipe

Index = QModelIndex | QPersistentModelIndex
RecipeRole = Qt.ItemDataRole.UserRole + 1


class RecipeListModel(QAbstractListModel):
    """The recipes, in the order the playbook lists them."""

    def __init__(self, recipes: list[Recipe], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._recipes = list(recipes)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._recipes)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._recipes):
            return None
        recipe = self._recipes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return recipe.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return recipe.summary or None
        if role == RecipeRole:
            return recipe
        return None


def _article_titles(kb: Any, slugs: list[str]) -> list[tuple[str, str]]:
    titles = []
    for slug in slugs:
        try:
            titles.append((slug, kb.article(slug).title))
        except NotFound:
            continue
    return titles


class RecipeChooser(QDialog):
    """Choose a situation; ``selected_recipe()`` after it is accepted."""

    def __init__(self, kb: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.setWindowTitle("Start from a recipe")
        self.setAccessibleName("Start from a recipe")
        intro = QLabel("What is the situation? Pick one to get a reply scaffold, stage by stage.")
        intro.setWordWrap(True)

        self.model = RecipeListModel(kb.recipes(), self)
        self.list = QListView()
        self.list.setAccessibleName("Situations")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setStyleSheet("QListView::item { padding: 4px 2px; }")
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Recipe stages")
        self.preview.setOpenLinks(False)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.start_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("&Start")
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(720, 460)

        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.list.doubleClicked.connect(lambda _index: self.accept())
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0, 0))
        else:
            self._current_changed(QModelIndex(), QModelIndex())
        self.list.setFocus()

    def selected_recipe(self) -> Recipe | None:
        index = self.list.currentIndex()
        return index.data(RecipeRole) if index.isValid() else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        recipe = current.data(RecipeRole) if current.isValid() else None
        self.start_button.setEnabled(recipe is not None)
        if recipe is None:
            self.preview.setHtml("<p>There are no reply recipes yet.</p>")
            return
        stages = "".join(
            f"<li><b>{html.escape(s.title)}</b>" + (f" — {html.escape(s.hint)}" if s.hint else "") + "</li>"
            for s in recipe.stages
        )
        parts = [f"<h3>{html.escape(recipe.title)}</h3>"]
        if recipe.summary:
            parts.append(f"<p>{html.escape(recipe.summary)}</p>")
        parts.append(f"<p>Stages:</p><ol>{stages}</ol>")
        articles = _article_titles(self.kb, recipe.articles)
        if articles:
            parts.append("<p>Worth reading: " + ", ".join(f"<i>{html.escape(t)}</i>" for _, t in articles) + "</p>")
        self.preview.setHtml("".join(parts))

    def accept(self) -> None:
        if self.selected_recipe() is not None:
            super().accept()


def choose_recipe(kb: Any, parent: QWidget | None = None) -> Recipe | None:
    """Ask the rep for the situation; ``None`` if they cancel."""
    dialog = RecipeChooser(kb, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.selected_recipe()
        return None
    finally:
        dialog.deleteLater()


class RecipeGuide(QWidget):
    """The stages of the recipe in use, each with buttons for its suggested snippets.

    Only vetted snippets are offered. Showing and hiding the guide is up to its owner;
    the close button emits ``closed``.
    """

    insert_snippet_requested = Signal(str)
    open_article_requested = Signal(str)
    closed = Signal()

    def __init__(self, kb: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self._recipe: Recipe | None = None
        self.setAccessibleName("Recipe guide")

        self.title = _plain_label()
        self.title.setProperty("role", "heading")
        self.title.setWordWrap(True)
        self.close_button = QToolButton()
        self.close_button.setText("Close")
        self.close_button.setToolTip("Close the recipe guide")
        self.close_button.setAccessibleName("Close the recipe guide")
        self.close_button.clicked.connect(self.closed)
        self.summary = _plain_label()
        self.summary.setProperty("role", "muted")
        self.summary.setWordWrap(True)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The plan reads top to bottom: wrap to the width instead of scrolling sideways.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)
        self.set_recipe(None)

    def recipe(self) -> Recipe | None:
        return self._recipe

    def set_recipe(self, recipe: Recipe | None) -> None:
        self._recipe = recipe
        self.title.setText(recipe.title if recipe else "")
        self.summary.setText(recipe.summary if recipe else "")
        self.summary.setVisible(bool(recipe and recipe.summary))
        self.scroll.setWidget(self._body(recipe))  # the old body is deleted

    def snippet_buttons(self) -> list[QPushButton]:
        """The insert buttons, in stage order (for keyboard tests and focus handling)."""
        body = self.scroll.widget()
        return [b for b in body.findChildren(QPushButton) if b.property("snippet")] if body else []

    def _body(self, recipe: Recipe | None) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 4, 4, 4)
        if recipe is None:
            layout.addStretch(1)
            return body
        vetted = {s.slug: s for s in self.kb.snippets()}
        for number, stage in enumerate(recipe.stages, 1):
            if number > 1:
                layout.addSpacing(10)
            heading = _plain_label(f"{number}. {stage.title}")
            heading.setProperty("role", "heading")
            heading.setWordWrap(True)
            layout.addWidget(heading)
            if stage.hint:
                hint = _plain_label(stage.hint)
                hint.setProperty("role", "muted")
                hint.setWordWrap(True)
                layout.addWidget(hint)
            offered = [vetted[s] for s in stage.snippets if s in vetted]
            for snippet in offered:
                button = _link_button(snippet.title)
                button.setProperty("snippet", snippet.slug)
                button.setToolTip(snippet.text)
                button.setAccessibleName(f"Insert snippet: {snippet.title}")
                button.clicked.connect(lambda _checked=False, slug=snippet.slug: self.insert_snippet_requested.emit(slug))
                layout.addWidget(button)
            if not offered:
                none = QLabel("No vetted snippet for this stage: write it in your own words.")
                none.setProperty("role", "muted")
                none.setWordWrap(True)
                layout.addWidget(none)
        articles = _article_titles(self.kb, recipe.articles)
        if articles:
            layout.addSpacing(10)
            heading = QLabel("Worth reading")
            heading.setProperty("role", "heading")
            layout.addWidget(heading)
            for slug, title in articles:
                button = _link_button(title)
                button.setProperty("article", slug)
                button.setToolTip("Open this article")
                button.setAccessibleName(f"Open article: {title}")
                button.clicked.connect(lambda _checked=False, slug=slug: self.open_article_requested.emit(slug))
                layout.addWidget(button)
        layout.addStretch(1)
        return body


def _link_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setStyleSheet("text-align: left; padding-left: 10px;")
    # Follow the guide's width (the full title is in the tooltip and the accessible name).
    button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    button.setMinimumWidth(80)
    return button


def _plain_label(text: str = "") -> QLabel:
    """A label for text from the playbook, never read as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
