"""The History page: every revision of an article or snippet, a readable diff between any
two, and a one-click restore (which is itself a new revision)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.common import author, confirm, muted, show_error
from desktop.editor.models import RowsModel

KINDS = (("article", "Articles"), ("snippet", "Snippets"))


def _saved_at(revision) -> str:  # noqa: ANN001 - kb.store.Revision
    return (revision.saved_at or "").replace("T", " ")[:16]


class HistoryPage(QWidget):
    changes_made = Signal(object)
    status_message = Signal(str)

    def __init__(self, kb, tasks, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks = kb, tasks
        self._wanted: str | None = None
        self.kind = QComboBox()
        self.kind.setAccessibleName("Show the history of")
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.item = QComboBox()
        self.item.setAccessibleName("Article or snippet")
        self.item.setMinimumContentsLength(30)
        self.item.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model = RowsModel([
            ("Rev", lambda r: r.rev),
            ("Saved", _saved_at),
            ("By", lambda r: r.author or "—"),
            ("Note", lambda r: r.note),
            ("Status", lambda r: r.data.get("status", "")),
        ], self, tooltip=lambda r: f"Revision {r.rev}: {r.note}")
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Revisions")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column in (0, 1, 2, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.diff = QTextBrowser()
        self.diff.setOpenLinks(False)
        self.diff.setAccessibleName("Differences between the selected revisions")
        self.hint = muted("Select one revision to see what it changed, or two (Ctrl+click) to compare them.")
        self.restore_button = QPushButton("&Restore this revision…")
        self.restore_button.setToolTip("Make the selected revision the current content again (saved as a new revision)")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)

        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.item, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.hint)
        left_layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignRight)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        for first, second in ((self.kind, self.item), (self.item, self.view),
                              (self.view, self.restore_button), (self.restore_button, self.diff)):
            QWidget.setTabOrder(first, second)

        self.kind.currentIndexChanged.connect(lambda _i: self.refresh_items())
        self.item.currentIndexChanged.connect(lambda _i: self.load_revisions())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    # -- choosing what to show -------------------------------------------------------

    def current_kind(self) -> str:
        return self.kind.currentData()

    def current_slug(self) -> str | None:
        return self.item.currentData()

    def show_item(self, kind: str, slug: str) -> None:
        """Show the history of one article or snippet."""
        self._wanted = slug
        if self.current_kind() != kind:
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))  # refreshes the items
        else:
            self.refresh_items()

    def refresh_items(self) -> None:
        kb, kind = self.kb, self.current_kind()

        def load():
            items = kb.articles(None) if kind == "article" else kb.snippets(None)
            return kind, sorted(((i.title, i.slug) for i in items), key=lambda t: t[0].lower())

        self.tasks.read(load, key="editor-history-items", on_done=self._items_loaded)

    def _items_loaded(self, result) -> None:  # noqa: ANN001
        kind, items = result
        if kind != self.current_kind():
            return
        wanted = self._wanted or self.current_slug()
        self._wanted = None
        self.item.blockSignals(True)
        self.item.clear()
        for title, slug in items:
            self.item.addItem(f"{title}  ({slug})", slug)
        self.item.setCurrentIndex(max(0, self.item.findData(wanted)))
        self.item.blockSignals(False)
        self.load_revisions()

    def load_revisions(self) -> None:
        slug, kind = self.current_slug(), self.current_kind()
        if not slug:
            self.model.set_rows([])
            self.diff.clear()
            return
        self.tasks.read(self.kb.revisions, slug, kind, key="editor-history-revisions",
                        on_done=lambda revs: self._revisions_loaded(kind, slug, revs),
                        on_error=lambda err: show_error(self, err))

    def _revisions_loaded(self, kind: str, slug: str, revisions: list) -> None:
        if (kind, slug) != (self.current_kind(), self.current_slug()):
            return
        self.model.set_rows(list(reversed(revisions)))  # newest first
        if revisions:
            self.view.selectRow(0)
        else:
            self.diff.clear()
        self._selection_changed()

    # -- diff and restore ------------------------------------------------------------

    def selected(self) -> list:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return sorted((self.model.row_data(r) for r in rows), key=lambda r: r.rev)

    def select_revisions(self, *revs: int) -> None:
        """Select revisions by number (for the keyboard-free path and tests)."""
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for row, revision in enumerate(self.model.rows()):
            if revision.rev in revs:
                selection.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        latest = max((r.rev for r in self.model.rows()), default=0)
        self.restore_button.setEnabled(len(chosen) == 1 and chosen[0].rev != latest)
        if not chosen:
            self.diff.clear()
            return
        kb, kind, slug = self.kb, self.current_kind(), self.current_slug()
        if len(chosen) == 1:
            new = chosen[0]
            older = [r for r in self.model.rows() if r.rev < new.rev]
            old = max(older, key=lambda r: r.rev) if older else None
        else:
            old, new = chosen[0], chosen[-1]

        def render() -> str:
            from kb.diff import diff_html, diff_revisions

            if old is None:
                title = f"Revision {new.rev}: the first version"
                empty = {k: type(v)() if isinstance(v, (str, list, dict)) else None for k, v in new.data.items()}
                lines = diff_revisions(empty, new.data, kind, context=None)
            else:
                title = f"Changes from revision {old.rev} to revision {new.rev}"
                lines = kb.revision_diff(slug, old.rev, new.rev, kind, context=3)
            if not lines or all(line.kind in ("unchanged", "skip") for line in lines):
                return f"<h3>{title}</h3><p>No differences.</p>"
            return f"<h3>{title}</h3>" + diff_html(lines)

        self.tasks.read(render, key="editor-history-diff", on_done=self.diff.setHtml,
                        on_error=lambda err: show_error(self, err))

    def restore_selected(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            return
        revision, kind, slug = chosen[0], self.current_kind(), self.current_slug()
        if not confirm(self, "Restore revision",
                       f"Make revision {revision.rev} of “{slug}” the current version?\n\n"
                       "Nothing is lost: the restore is saved as a new revision.", "Restore"):
            return
        kb, who = self.kb, author()
        self.tasks.write(lambda: kb.restore_revision(slug, revision.rev, kind, author=who),
                         on_done=lambda changes: self._restored(revision.rev, changes),
                         on_error=lambda err: show_error(self, err))

    def _restored(self, rev: int, changes) -> None:  # noqa: ANN001
        self.status_message.emit(f"Revision {rev} restored as a new revision.")
        self.changes_made.emit(changes)
        self.load_revisions()

    def on_changes(self, changes) -> None:  # noqa: ANN001
        kind, slug = self.current_kind(), self.current_slug()
        touched = changes.articles if kind == "article" else changes.snippets
        if touched:
            if slug in touched:
                self.load_revisions()
            if not slug or any(s != slug for s in touched):
                self.refresh_items()
