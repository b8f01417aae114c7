"""The results list: a real list model of hits and a delegate that draws them.

Each row is a title, an excerpt with the matched words in bold (HTML-safe, straight from
the search index) and the article's tags. The delegate lays a row out as one small rich
text document so long titles and excerpts wrap instead of being clipped.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem

from desktop import theme

_TAGS = re.compile(r"<[^>]*>")

SlugRole = Qt.ItemDataRole.UserRole + 1
ExcerptRole = Qt.ItemDataRole.UserRole + 2
TagsRole = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ResultRow:
    """One article in the list. ``excerpt`` is HTML-safe (escaped text, matches in ``<b>``)."""

    slug: str
    title: str
    excerpt: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def excerpt_text(self) -> str:
        return html.unescape(_TAGS.sub("", self.excerpt))


class ResultsModel(QAbstractListModel):
    """The articles currently listed, best first."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001 - QObject | None
        super().__init__(parent)
        self._rows: list[ResultRow] = []

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: ANN201
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == SlugRole:
            return row.slug
        if role == ExcerptRole:
            return row.excerpt
        if role == TagsRole:
            return list(row.tags)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.excerpt_text or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [row.title, row.excerpt_text]
            if row.tags:
                parts.append("Topics: " + ", ".join(row.tags))
            return ". ".join(p for p in parts if p)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # -- ours ----------------------------------------------------------------------------

    def set_rows(self, rows: list[ResultRow]) -> None:
        if rows == self._rows:
            return  # same answer again (e.g. a refresh): keep selection and scroll position
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ResultRow]:
        return list(self._rows)

    def row_of(self, slug: str) -> int:
        for number, row in enumerate(self._rows):
            if row.slug == slug:
                return number
        return -1

    def slug_at(self, row: int) -> str | None:
        return self._rows[row].slug if 0 <= row < len(self._rows) else None


class _SafeDocument(QTextDocument):
    """A document that never loads anything (no images, no files)."""

    def loadResource(self, type: int, name) -> None:  # noqa: A002, N802, ANN001 - Qt API
        return None


class ResultDelegate(QStyledItemDelegate):
    """Draws title, excerpt and tags as one wrapped rich-text block."""

    PAD_X = 10
    PAD_Y = 8

    def _document(self, option: QStyleOptionViewItem, index: AnyIndex, width: int,
                  selected: bool) -> QTextDocument:
        colours = theme.current()
        muted = colours.accent_text if selected else colours.muted
        title = html.escape(index.data(Qt.ItemDataRole.DisplayRole) or "")
        excerpt = index.data(ExcerptRole) or ""
        tags = index.data(TagsRole) or []
        parts = [f"<div style='font-weight:600'>{title}</div>"]
        if excerpt:
            parts.append(f"<div style='margin-top:3px'>{excerpt}</div>")
        if tags:
            tag_text = " · ".join(html.escape(t) for t in tags)
            parts.append(f"<div style='margin-top:4px; color:{muted}; font-size:small'>{tag_text}</div>")
        doc = _SafeDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(option.font)
        doc.setHtml("".join(parts))
        doc.setTextWidth(max(40, width))
        return doc

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        view = option.widget
        if isinstance(view, QAbstractItemView):
            width = view.viewport().width()
        else:
            width = option.rect.width()
        return max(60, width) - 2 * self.PAD_X

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = self._text_width(opt)
        doc = self._document(opt, index, width, selected=False)
        height = int(doc.size().height() + 0.999) + 2 * self.PAD_Y
        return QSize(width + 2 * self.PAD_X, height)

    def paint(self, painter, option: QStyleOptionViewItem, index: AnyIndex) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QStyle  # not at the top: see theme.application_argv

        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        opt.text = ""  # the style draws the background and focus only
        style = opt.widget.style() if opt.widget is not None else None
        painter.save()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect: QRect = opt.rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, -self.PAD_Y)
        doc = self._document(opt, index, rect.width(), selected)
        painter.translate(rect.topLeft())
        painter.setClipRect(QRect(0, 0, rect.width(), rect.height()))
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        doc.documentLayout().draw(painter, context)
        painter.restore()
