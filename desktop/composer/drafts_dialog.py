"""Recent drafts: return to a reply by case reference, customer name or time.

The dialog is given the drafts (loaded off the GUI thread by the panel) and reports the
rep's choice with signals; the panel does the opening and the deleting.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kb.drafts import Draft

Index = QModelIndex | QPersistentModelIndex


def local_time(stamp: str | None) -> datetime | None:
    """A stored UTC stamp (``2026-05-12T14:03:00Z``) as local time."""
    if not stamp:
        return None
    try:
        parsed = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return None
    return parsed.astimezone()


def when(stamp: str | None, *, now: datetime | None = None) -> str:
    """``14:03`` today, ``Tue 12 May, 14:03`` otherwise."""
    moment = local_time(stamp)
    if moment is None:
        return ""
    now = now or datetime.now().astimezone()
    if moment.date() == now.date():
        return moment.strftime("%H:%M")
    if moment.year == now.year:
        return moment.strftime("%a %d %b, %H:%M")
    return moment.strftime("%d %b %Y, %H:%M")


def first_line(text: str, limit: int = 60) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


class DraftsModel(QAbstractTableModel):
    """Drafts, newest first: case reference, customer, time, and how the reply begins."""

    HEADERS = ("Case", "Customer", "Saved", "Reply")
    DraftIdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, drafts: list[Draft], parent: Any = None) -> None:
        super().__init__(parent)
        self._drafts = list(drafts)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._drafts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._drafts):
            return None
        draft = self._drafts[index.row()]
        if role == self.DraftIdRole:
            return draft.id
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            values = (
                draft.case_ref or "—",
                draft.customer or "—",
                when(draft.updated_at) + ("" if draft.closed_at else " (open)"),
                first_line(draft.body) or "(empty)",
            )
            return values[column] if 0 <= column < len(values) else None
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return draft.body[:600] or None
        return None

    def draft(self, row: int) -> Draft | None:
        return self._drafts[row] if 0 <= row < len(self._drafts) else None

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._drafts):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._drafts[row]
            self.endRemoveRows()


class RecentDraftsDialog(QDialog):
    """Pick a draft to open (Enter or double-click) or delete (Delete key or button)."""

    open_requested = Signal(int)  # draft id
    delete_requested = Signal(int)  # draft id

    def __init__(self, drafts: list[Draft], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recent drafts")
        self.setAccessibleName("Recent drafts")
        self.resize(680, 420)
        self.model = DraftsModel(drafts, self)
        self.table = QTableView()
        self.table.setObjectName("draftsTable")
        self.table.setAccessibleName("Recent drafts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        intro = QLabel("Replies you were writing, newest first. Open one to carry on.")
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setDefault(True)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected draft for good (Del)")
        self.delete_button.setAccessibleName("Delete draft")
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self.delete_selected)
        self.empty = QLabel("No saved drafts yet. Replies are saved automatically while you type.")
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.model.rowsRemoved.connect(self._update_state)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_state()
        self.table.setFocus()

    def _update_state(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.table.setVisible(has_rows)
        self.open_button.setEnabled(has_rows)
        self.delete_button.setEnabled(has_rows)

    def selected_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_id(self) -> int | None:
        draft = self.model.draft(self.selected_row())
        return draft.id if draft is not None else None

    def accept(self) -> None:
        draft_id = self.selected_id()
        if draft_id is None:
            return
        super().accept()
        self.open_requested.emit(draft_id)

    def delete_selected(self) -> None:
        row = self.selected_row()
        draft = self.model.draft(row)
        if draft is None or draft.id is None:
            return
        name = draft.case_ref or draft.customer or first_line(draft.body, 40) or "this draft"
        answer = QMessageBox.question(
            self, "Delete draft?", f"Delete the draft “{name}”? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.model.remove(row)
        self.delete_requested.emit(draft.id)
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt API
        if event.key() == Qt.Key.Key_Delete and self.table.hasFocus():
            self.delete_selected()
            return
        super().keyPressEvent(event)
