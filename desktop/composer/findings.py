"""The findings list beside the reply: a real list model, its view and a details box.

Each row is one phrasing finding with a severity icon (shape and colour, so it does
not rely on colour alone) and the message. Enter on a row applies its first suggestion;
the details box below says why it matters and offers the same actions as buttons.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from desktop.composer.analysis import PLACEHOLDER
from desktop.composer.editor import SEVERITY_LABELS, severity_colour, tooltip_html

if TYPE_CHECKING:
    from kb.models import Finding

Index = QModelIndex | QPersistentModelIndex


def severity_icon(severity: str, size: int = 16) -> QIcon:
    """A filled circle (error), triangle (warning) or ring (suggestion) in the severity colour."""
    from PySide6.QtGui import QPainter, QPixmap, QPolygonF  # kept off the start-up path

    colour = severity_colour(severity)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    m = size * 0.15
    if severity == "error":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - m, size / 2 - m)
    elif severity == "warning":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(QPolygonF([QPointF(size / 2, m), QPointF(size - m, size - m), QPointF(m, size - m)]))
    else:
        pen = painter.pen()
        pen.setColor(colour)
        pen.setWidthF(max(1.5, size / 8))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(size / 2, size / 2), size / 2 - m - 1, size / 2 - m - 1)
    painter.end()
    return QIcon(pixmap)


class FindingsModel(QAbstractListModel):
    """The findings currently shown for the reply, in text order."""

    FindingRole = Qt.ItemDataRole.UserRole + 1
    SeverityRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._findings: list[Finding] = []
        self._icons: dict[tuple[str, str], QIcon] = {}

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self._findings = list(findings)
        self.endResetModel()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._findings):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._findings[row]
            self.endRemoveRows()

    def finding(self, row: int) -> Finding | None:
        return self._findings[row] if 0 <= row < len(self._findings) else None

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._findings)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._findings) or index.column() != 0:
            return None
        finding = self._findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return finding.message
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(finding.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip_html(finding)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            label = SEVERITY_LABELS.get(finding.severity, finding.severity)
            return f"{label}, line {finding.line}: {finding.message}"
        if role == self.FindingRole:
            return finding
        if role == self.SeverityRole:
            return finding.severity
        return None

    def _icon(self, severity: str) -> QIcon:
        key = (severity, severity_colour(severity).name())
        if key not in self._icons:
            self._icons[key] = severity_icon(severity)
        return self._icons[key]

    def refresh_icons(self) -> None:
        """After a theme change: redraw the icons in the new colours."""
        self._icons.clear()
        if self._findings:
            self.dataChanged.emit(self.index(0), self.index(len(self._findings) - 1),
                                  [Qt.ItemDataRole.DecorationRole])


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped message at the list's current width (nothing elided)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt API
        view = self.parent()
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        from PySide6.QtWidgets import QStyle  # not at the top: see theme.application_argv

        style = view.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        icon = opt.decorationSize.width() + 2 * margin if opt.icon and not opt.icon.isNull() else 0
        width = max(80, view.viewport().width() - 2 * view.spacing() - icon - 4 * margin - 4)
        text = opt.fontMetrics.boundingRect(QRect(0, 0, width, 100_000),
                                            int(Qt.TextFlag.TextWordWrap), opt.text)
        height = max(text.height(), opt.decorationSize.height()) + 2 * margin + 4
        return QSize(view.viewport().width() - 2 * view.spacing(), height)


class FindingsView(QListView):
    """The list of findings; Enter applies the current row's first suggestion."""

    apply_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsList")
        self.setAccessibleName("Phrasing findings")
        self.setToolTip("Phrasing findings in the reply (F8 / Shift+F8 to move between them; "
                        "Enter applies the suggestion)")
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSpacing(2)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrap, never cut a message short
        self.setItemDelegate(_WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # row heights depend on the width

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.apply_requested.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class FindingDetails(QWidget):
    """Why the selected finding matters, with buttons for its fix, ignoring it and the article."""

    apply_clicked = Signal()
    ignore_clicked = Signal()
    article_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finding: Finding | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("About the selected finding")
        self.text.setProperty("role", "muted")  # set_finding(None) below keeps it
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.apply = QPushButton("&Apply")
        self.apply.setToolTip("Replace the phrase with the first suggestion (Ctrl+.)")
        self.apply.setAccessibleName("Apply suggestion")
        self.ignore = QPushButton("I&gnore")
        self.ignore.setToolTip("Ignore here: stop flagging this phrase in this reply")
        self.ignore.setAccessibleName("Ignore here")
        self.why = QPushButton("&Why?")
        self.why.setToolTip("Why? Open the playbook article behind this finding")
        self.why.setAccessibleName("Why? Open the article")
        self.apply.clicked.connect(self.apply_clicked)
        self.ignore.clicked.connect(self.ignore_clicked)
        self.why.clicked.connect(lambda: self._finding and self._finding.article
                                 and self.article_clicked.emit(self._finding.article))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.apply, self.ignore, self.why):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)
        self.scroll.setWidget(self.text)  # once the scroll area has its place (see ComposerPanel)
        self.set_finding(None)

    def set_finding(self, finding: Finding | None, *, empty_text: str = "") -> None:
        self._finding = finding
        if finding is None:
            self.text.setText(html.escape(empty_text))
            theme.set_role(self.text, "muted")
        else:
            colour = severity_colour(finding.severity).name()
            label = SEVERITY_LABELS.get(finding.severity, finding.severity)
            parts = [f"<b style='color:{colour}'>{html.escape(label)}</b> · line {finding.line}"]
            if finding.why:
                parts.append(html.escape(finding.why))
            if finding.suggestions:
                parts.append("<i>Try:</i> " + " or ".join(f"“{html.escape(s)}”" for s in finding.suggestions[:3]))
            self.text.setText("<br>".join(parts))
            theme.set_role(self.text, "")
        self.apply.setVisible(bool(finding and finding.suggestions))
        self.ignore.setVisible(bool(finding and finding.category != PLACEHOLDER))
        self.why.setVisible(bool(finding and finding.article))

    def finding(self) -> Finding | None:
        return self._finding


__all__ = ["FindingsModel", "FindingsView", "FindingDetails", "severity_icon"]
