"""Table models for the editor's lists (STYLE.md #7): rows are plain objects, columns
are (header, getter) pairs, so each list is a few lines where it is used."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from kb.models import SnippetField

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], Any]]


class RowsModel(QAbstractTableModel):
    """Read-only rows with named columns; ``row_data(i)`` gives the object back."""

    def __init__(self, columns: Sequence[Column], parent: Any = None,
                 tooltip: Callable[[Any], str] | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._tooltip = tooltip

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_data(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        item = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            value = self._columns[index.column()][1](item)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip is not None:
            return self._tooltip(item)
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return self._columns[section][0]
        return None


FIELD_COLUMNS = ("Name", "Label", "Required", "Default", "Choices", "Help", "Sample")


class FieldsModel(QAbstractTableModel):
    """The fill-in field declarations of a snippet, editable in place."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._fields: list[SnippetField] = []

    def set_fields(self, fields: Sequence[SnippetField]) -> None:
        self.beginResetModel()
        self._fields = [SnippetField.from_dict(f.to_dict()) for f in fields]
        self.endResetModel()

    def fields(self) -> list[SnippetField]:
        return [SnippetField.from_dict(f.to_dict()) for f in self._fields]

    def add(self, name: str = "", label: str = "") -> int:
        row = len(self._fields)
        self.beginInsertRows(QModelIndex(), row, row)
        self._fields.append(SnippetField(name=name, label=label or name))
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._fields):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._fields[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._fields)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(FIELD_COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 2:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._fields)):
            return None
        f, col = self._fields[index.row()], index.column()
        if col == 2:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if f.required else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "required" if f.required else "optional"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.AccessibleTextRole):
            value = (f.name, f.label, None, f.default, ", ".join(f.choices), f.help, f.sample)[col]
            return "" if value is None else value
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not (0 <= index.row() < len(self._fields)):
            return False
        f, col = self._fields[index.row()], index.column()
        if col == 2:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            f.required = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole:
            text = str(value or "").strip()
            if col == 0:
                f.name = text
            elif col == 1:
                f.label = text
            elif col == 3:
                f.default = text or None
            elif col == 4:
                f.choices = [c.strip() for c in text.split(",") if c.strip()]
            elif col == 5:
                f.help = text
            elif col == 6:
                f.sample = text or None
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(FIELD_COLUMNS):
                return FIELD_COLUMNS[section]
        return None
