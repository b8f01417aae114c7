"""The snippet picker: find a snippet by title, text or tag, grouped by reply stage.

Everything works from the keyboard: typing filters (the search field keeps the focus),
Up/Down move through the snippets skipping the stage headings, Enter inserts and Esc
cancels. Only vetted snippets are offered unless "Show unvetted" is ticked (its starting
value is the ``snippets/show_unvetted`` setting). Retired snippets are never offered.

The list is a real model (``SnippetTreeModel``: stages with their snippets beneath)
behind a ``SnippetFilter`` proxy; with ~100 snippets filtering in memory on every
keystroke is instant. The snippets are loaded once, through ``tasks``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.composer.fields_dialog import snippet_html
from kb.errors import NotFound
from kb.models import STAGE_TITLES, Snippet

Index = QModelIndex | QPersistentModelIndex
SnippetRole = Qt.ItemDataRole.UserRole + 1
"""The ``Snippet`` of a row (None for a stage heading)."""
_GROUP = 0  # internalId of a stage heading; a snippet's is its heading's row + 1


class SnippetTreeModel(QAbstractItemModel):
    """Stage headings (in reply order) with their snippets, by title, beneath."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[Snippet]]] = []

    def set_snippets(self, snippets: list[Snippet]) -> None:
        order = {stage: n for n, stage in enumerate(STAGE_TITLES)}
        by_stage: dict[str, list[Snippet]] = {}
        for snippet in snippets:
            by_stage.setdefault(snippet.stage, []).append(snippet)
        self.beginResetModel()
        self._groups = [
            (stage, sorted(items, key=lambda s: (s.title.casefold(), s.slug)))
            for stage, items in sorted(by_stage.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
        ]
        self.endResetModel()

    # -- QAbstractItemModel ------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _GROUP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _GROUP or parent.row() >= len(self._groups):
            return QModelIndex()
        if row >= len(self._groups[parent.row()][1]):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.column() == 0 and parent.internalId() == _GROUP:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            stage, items = self._groups[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return STAGE_TITLES.get(stage, stage)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        snippet = self._groups[index.internalId() - 1][1][index.row()]
        if role == SnippetRole:
            return snippet
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return snippet.title if snippet.status == "vetted" else f"{snippet.title} ({snippet.status})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return snippet.text
        return None

    def is_group(self, index: Index) -> bool:
        return index.isValid() and index.internalId() == _GROUP


class SnippetFilter(QSortFilterProxyModel):
    """Shows the snippets matching every typed word (in title, text or tags) and status.

    A stage heading shows when any of its snippets does (recursive filtering).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._terms: list[str] = []
        self._show_unvetted = False

    def set_query(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._terms:
            self.beginFilterChange()
            self._terms = terms
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_show_unvetted(self, show: bool) -> None:
        if show != self._show_unvetted:
            self.beginFilterChange()
            self._show_unvetted = show
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not source_parent.isValid():
            return False  # a heading: shown only through its snippets
        snippet = self.sourceModel().index(source_row, 0, source_parent).data(SnippetRole)
        if snippet is None or snippet.status == "retired":
            return False
        if snippet.status != "vetted" and not self._show_unvetted:
            return False
        if not self._terms:
            return True
        haystack = _haystack(snippet)
        return all(term in haystack for term in self._terms)


def _haystack(snippet: Snippet) -> str:
    tags = " ".join(snippet.tags)
    hashed = " ".join(f"#{t}" for t in snippet.tags)
    return f"{snippet.title}\n{snippet.text}\n{tags}\n{hashed}".casefold()


class SnippetTree(QTreeView):
    """A tree whose cursor keys land on snippets only, never on a stage heading."""

    _BACKWARD = (
        QAbstractItemView.CursorAction.MoveUp,
        QAbstractItemView.CursorAction.MovePageUp,
        QAbstractItemView.CursorAction.MovePrevious,
        QAbstractItemView.CursorAction.MoveLeft,
        QAbstractItemView.CursorAction.MoveEnd,
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setStyleSheet("QTreeView::item { padding: 3px 2px; }")

    def is_snippet(self, index: QModelIndex) -> bool:
        return index.isValid() and index.data(SnippetRole) is not None

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        current = self.currentIndex()
        index = super().moveCursor(action, modifiers)
        if self.is_snippet(index):
            return index
        backward = action in self._BACKWARD
        found = self._step(index, backward) or self._step(index, not backward)
        if found is not None:
            return found
        return current if self.is_snippet(current) else QModelIndex()

    def _step(self, index: QModelIndex, backward: bool) -> QModelIndex | None:
        while index.isValid() and not self.is_snippet(index):
            index = self.indexAbove(index) if backward else self.indexBelow(index)
        return index if self.is_snippet(index) else None

    def step(self, action: QAbstractItemView.CursorAction) -> None:
        """Move the current snippet as a cursor key would (used from the search field)."""
        index = self.moveCursor(action, Qt.KeyboardModifier.NoModifier)
        if index.isValid():
            self.setCurrentIndex(index)

    def first_snippet(self) -> QModelIndex:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return QModelIndex()
        return self._step(model.index(0, 0), backward=False) or QModelIndex()


_KEY_ACTIONS = {
    Qt.Key.Key_Up: QAbstractItemView.CursorAction.MoveUp,
    Qt.Key.Key_Down: QAbstractItemView.CursorAction.MoveDown,
    Qt.Key.Key_PageUp: QAbstractItemView.CursorAction.MovePageUp,
    Qt.Key.Key_PageDown: QAbstractItemView.CursorAction.MovePageDown,
}


class SnippetPicker(QDialog):
    """Choose one snippet; ``selected_snippet()`` after it is accepted."""

    def __init__(self, kb: Any, tasks: Any, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.loaded = False
        self._articles: dict[str, str] = {}
        self.setWindowTitle("Insert a snippet")
        self.setAccessibleName("Insert a snippet")

        self.search = QLineEdit()
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText("Search snippets by title, text or tag…")
        self.search.setAccessibleName("Search snippets")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)

        self.show_unvetted = QCheckBox("Show &unvetted")
        self.show_unvetted.setToolTip("Also offer snippets that are still drafts or in review.")
        self.show_unvetted.setChecked(bool(settings.get("snippets/show_unvetted")))

        self.model = SnippetTreeModel(self)
        self.proxy = SnippetFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.set_show_unvetted(self.show_unvetted.isChecked())
        self.tree = SnippetTree()
        self.tree.setAccessibleName("Snippets by reply stage")
        self.tree.setModel(self.proxy)

        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Snippet preview")
        self.preview.setOpenLinks(False)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setHtml("<p>Loading snippets…</p>")

        self.count = QLabel()
        self.count.setProperty("role", "muted")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.insert_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.insert_button.setText("&Insert")
        self.insert_button.setDefault(True)
        self.insert_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.show_unvetted)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.preview)
        splitter.setSizes([320, 420])
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.search, self.tree)
        self.setTabOrder(self.tree, self.show_unvetted)
        self.resize(780, 500)

        self.search.textChanged.connect(self._query_changed)
        self.show_unvetted.toggled.connect(self._show_unvetted_toggled)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.search.setFocus()

        task = tasks.read(_load, kb)
        task.finished.connect(self._loaded)  # disconnected for us if the dialog is gone

    # -- loading ---------------------------------------------------------------------

    def _loaded(self, result: tuple[list[Snippet], dict[str, str]]) -> None:
        snippets, self._articles = result
        self.model.set_snippets(snippets)
        self.loaded = True
        self._refresh(reset_current=True)

    # -- filtering -------------------------------------------------------------------

    def _query_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        self._refresh(reset_current=True)

    def _show_unvetted_toggled(self, show: bool) -> None:
        self.proxy.set_show_unvetted(show)
        self._refresh(reset_current=False)

    def _refresh(self, *, reset_current: bool) -> None:
        self.tree.expandAll()
        current = self.tree.currentIndex()
        if reset_current or not self.tree.is_snippet(current):
            current = self.tree.first_snippet()
            self.tree.setCurrentIndex(current)
        shown = sum(self.proxy.rowCount(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        self.count.setText(f"{shown} snippet{'s' if shown != 1 else ''}" if self.loaded else "")
        self._show_preview(current)

    # -- selection -------------------------------------------------------------------

    def selected_snippet(self) -> Snippet | None:
        index = self.tree.currentIndex()
        return index.data(SnippetRole) if self.tree.is_snippet(index) else None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_preview(current)

    def _show_preview(self, index: QModelIndex) -> None:
        snippet = index.data(SnippetRole) if self.tree.is_snippet(index) else None
        self.insert_button.setEnabled(snippet is not None)
        if snippet is not None:
            self.preview.setHtml(self._preview_html(snippet))
        elif not self.loaded:
            self.preview.setHtml("<p>Loading snippets…</p>")
        elif self.search.text().strip():
            self.preview.setHtml(
                f"<p>No snippets match “{html.escape(self.search.text().strip())}”.</p>"
                + ("" if self.show_unvetted.isChecked() else "<p>Tick “Show unvetted” to search drafts too.</p>")
            )
        else:
            self.preview.setHtml("<p>There are no snippets to offer yet.</p>")

    def _preview_html(self, snippet: Snippet) -> str:
        parts = [f"<h3>{html.escape(snippet.title)}</h3>"]
        stage = STAGE_TITLES.get(snippet.stage, snippet.stage)
        status = "" if snippet.status == "vetted" else f" · <b>{html.escape(snippet.status)}</b>, not vetted yet"
        parts.append(f"<p>{html.escape(stage)}{status}</p>")
        parts.append(snippet_html(snippet))
        if snippet.fields:
            items = "".join(
                f"<li><code>{{{html.escape(f.name)}}}</code> {html.escape(f.label)}"
                + (" (required)" if f.required else " (optional)")
                + (f" — {html.escape(f.help)}" if f.help else "")
                + "</li>"
                for f in snippet.fields
            )
            parts.append(f"<p>Fields to fill in:</p><ul>{items}</ul>")
        if snippet.article:
            title = self._articles.get(snippet.article, snippet.article)
            parts.append(f"<p>Puts into practice: <i>{html.escape(title)}</i></p>")
        if snippet.tags:
            parts.append(f"<p>Tags: {html.escape(', '.join(snippet.tags))}</p>")
        return "".join(parts)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.tree.is_snippet(index):
            self.accept()

    def accept(self) -> None:
        if self.selected_snippet() is not None:
            super().accept()

    # -- keyboard --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            action = _KEY_ACTIONS.get(event.key())
            if action is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                self.tree.step(action)
                return True
        return super().eventFilter(watched, event)


def _load(kb: Any) -> tuple[list[Snippet], dict[str, str]]:
    """Every snippet that could be offered, and the titles of the articles they apply."""
    snippets = [s for s in kb.snippets(statuses=None) if s.status != "retired"]
    titles = {}
    for slug in {s.article for s in snippets if s.article}:
        try:
            titles[slug] = kb.article(slug).title
        except NotFound:
            pass  # shown by its slug
    return snippets, titles


def choose_snippet(kb: Any, tasks: Any, settings: Any, parent: QWidget | None = None) -> Snippet | None:
    """Ask the rep for a snippet; ``None`` if they cancel."""
    picker = SnippetPicker(kb, tasks, settings, parent)
    try:
        if picker.exec() == QDialog.DialogCode.Accepted:
            return picker.selected_snippet()
        return None
    finally:
        picker.deleteLater()
