"""The article list: filter by text, status, tag, or "due for review"."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kb.models import STATUSES, Article

from desktop.editor.common import STATUS_LABELS, list_view, muted
from desktop.editor.models import RowsModel

DUE = "due"


def due_slugs(articles: list[Article], days: int, today: dt.date | None = None) -> set[str]:
    """Articles (not retired) last reviewed — or, never reviewed, last saved — over ``days`` ago."""
    cutoff = (today or dt.date.today()) - dt.timedelta(days=days)
    due = set()
    for article in articles:
        if article.status == "retired":
            continue
        stamp = (article.reviewed or article.updated_at or article.created_at or "")[:10]
        try:
            when = dt.date.fromisoformat(stamp)
        except ValueError:
            due.add(article.slug)  # never reviewed and no date: worth a look
            continue
        if when < cutoff:
            due.add(article.slug)
    return due


class ArticleList(QWidget):
    """Filters above a table of articles; ``chosen(slug)`` when the selection moves."""

    chosen = Signal(str)
    new_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[Article] = []
        self._due: set[str] = set()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by title, slug, tag or text")
        self.search.setAccessibleName("Filter articles")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName("Show articles with status")
        self.status.addItem("All statuses", None)
        for status in STATUSES:
            self.status.addItem(STATUS_LABELS[status], status)
        self.status.addItem("Due for review", DUE)
        self.tag = QComboBox()
        self.tag.setAccessibleName("Show articles with tag")
        self.tag.addItem("All tags", None)
        self.model = RowsModel(
            [("Title", lambda a: a.title), ("Status", lambda a: STATUS_LABELS.get(a.status, a.status))],
            self, tooltip=lambda a: f"{a.slug}\n{a.summary}" if a.summary else a.slug,
        )
        self.view = list_view(self.model, "Articles")
        self.count = muted()
        self.new_button = QPushButton("&New article")
        self.new_button.setAccessibleName("New article")
        self.new_button.clicked.connect(self.new_requested)

        filters = QHBoxLayout()
        filters.addWidget(self.status, 1)
        filters.addWidget(self.tag, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.new_button)
        layout.addLayout(bottom)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.tag)
        self.setTabOrder(self.tag, self.view)
        self.setTabOrder(self.view, self.new_button)

        self.search.textChanged.connect(self.apply_filter)
        self.status.currentIndexChanged.connect(self.apply_filter)
        self.tag.currentIndexChanged.connect(self.apply_filter)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self._quiet = False

    # -- data ------------------------------------------------------------------------

    def set_articles(self, articles: list[Article], due: set[str], tags: list[tuple[str, int]]) -> None:
        current = self.current_slug()
        self._all = sorted(articles, key=lambda a: a.title.lower())
        self._due = set(due)
        chosen_tag = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("All tags", None)
        for name, count in sorted(tags, key=lambda t: t[0].lower()):
            self.tag.addItem(f"{name} ({count})", name)
        index = self.tag.findData(chosen_tag)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)
        self.apply_filter()
        if current:
            self.select(current)

    def slugs(self) -> set[str]:
        return {a.slug for a in self._all}

    def all_articles(self) -> list[Article]:
        return list(self._all)

    def apply_filter(self) -> None:
        current = self.current_slug()
        words = self.search.text().lower().split()
        status, tag = self.status.currentData(), self.tag.currentData()
        rows = []
        for a in self._all:
            if status == DUE and a.slug not in self._due:
                continue
            if status not in (None, DUE) and a.status != status:
                continue
            if tag and tag not in a.tags:
                continue
            if words:
                hay = " ".join((a.title, a.slug, a.summary, " ".join(a.tags), a.body)).lower()
                if not all(w in hay for w in words):
                    continue
            rows.append(a)
        self._quiet = True
        self.model.set_rows(rows)
        self._quiet = False
        shown = len(rows)
        self.count.setText(f"{shown} of {len(self._all)} articles" if shown != len(self._all)
                           else f"{shown} articles")
        if current:
            self.select(current)

    # -- selection -------------------------------------------------------------------

    def current_slug(self) -> str | None:
        article = self.model.row_data(self.view.currentIndex().row())
        return article.slug if article is not None else None

    def select(self, slug: str | None) -> None:
        """Highlight ``slug`` without emitting ``chosen``."""
        self._quiet = True
        try:
            if slug is None:
                self.view.clearSelection()
                self.view.setCurrentIndex(self.model.index(-1, 0))
                return
            for row, article in enumerate(self.model.rows()):
                if article.slug == slug:
                    self.view.selectionModel().setCurrentIndex(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                    )
                    self.view.scrollTo(self.model.index(row, 0))
                    return
            self.view.clearSelection()
        finally:
            self._quiet = False

    def _row_changed(self, current, _previous) -> None:  # noqa: ANN001 - Qt indexes
        if self._quiet:
            return
        article = self.model.row_data(current.row())
        if article is not None:
            self.chosen.emit(article.slug)

    def set_status_filter(self, status: str | None) -> None:
        self.status.setCurrentIndex(max(0, self.status.findData(status)))
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
