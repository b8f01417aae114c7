"""The snippet list: filter by text and status."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kb.models import STAGE_TITLES, STATUSES, Snippet

from desktop.editor.common import STATUS_LABELS, list_view
from desktop.editor.models import RowsModel


class SnippetList(QWidget):
    """Filters above a table of snippets; ``chosen(slug)`` when the user picks one."""

    chosen = Signal(str)
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[Snippet] = []
        self._quiet = False
        self._current: str | None = None
        self.search = QLineEdit()
        self.search.setAccessibleName("Filter snippets")
        self.search.setPlaceholderText("Filter by title, slug or text")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName("Show snippets with status")
        self.status.addItem("All statuses", None)
        for status in STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.model = RowsModel([("Title", lambda s: s.title),
                                ("Status", lambda s: STATUS_LABELS.get(s.status, s.status))], self,
                               tooltip=lambda s: f"{s.slug}\n{STAGE_TITLES.get(s.stage, s.stage)}")
        self.view = list_view(self.model, "Snippets")
        self.new_button = QPushButton("&New snippet")
        self.new_button.clicked.connect(self.new_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignRight)
        for first, second in ((self.search, self.status), (self.status, self.view), (self.view, self.new_button)):
            QWidget.setTabOrder(first, second)
        self.search.textChanged.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)

    def set_snippets(self, snippets: list[Snippet]) -> None:
        self._all = sorted(snippets, key=lambda s: s.title.lower())
        self.apply_filter()

    def all_snippets(self) -> list[Snippet]:
        return list(self._all)

    def slugs(self) -> set[str]:
        return {s.slug for s in self._all}

    def apply_filter(self) -> None:
        words = self.search.text().lower().split()
        status = self.status.currentData()
        rows = [s for s in self._all if (status is None or s.status == status)
                and all(w in f"{s.title} {s.slug} {s.text} {' '.join(s.tags)}".lower() for w in words)]
        self._quiet = True
        self.model.set_rows(rows)
        self._quiet = False
        self.select(self._current)

    def select(self, slug: str | None) -> None:
        """Highlight ``slug`` without emitting ``chosen``."""
        self._current = slug
        quiet, self._quiet = self._quiet, True
        self.view.clearSelection()
        for row, snippet in enumerate(self.model.rows()):
            if snippet.slug == slug:
                self.view.selectRow(row)
        self._quiet = quiet

    def _row_changed(self, current, _previous) -> None:  # noqa: ANN001 - Qt indexes
        snippet = self.model.row_data(current.row())
        if not self._quiet and snippet is not None and snippet.slug != self._current:
            self.chosen.emit(snippet.slug)
