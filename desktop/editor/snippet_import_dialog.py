"""Bring a team's saved replies in (as drafts), and send vetted snippets out.

Choose a file, check the detected format (and, for CSV, which column is which), read the
preview (fields mapped, placeholders that cannot be fields, duplicates, problems), then
import. Reading and importing run off the GUI thread; nothing is written before Import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.common import error_text

FORMAT_LABELS = {
    "csv": "CSV (a spreadsheet of replies)",
    "espanso": "espanso match file (YAML)",
    "zendesk": "Zendesk macros (JSON)",
    "textblaze": "Text Blaze (CSV)",
    "textexpander": "TextExpander (CSV)",
}
OPEN_FILTER = "Saved replies (*.csv *.tsv *.txt *.yml *.yaml *.json);;All files (*)"
NO_COLUMN = "(none)"
Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """One row per reply in the file: title, fields, and what the editor should know."""

    HEADERS = ("Title", "Fill-in fields", "Notes")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if index.column() == 0:
            return item.text if role == Qt.ItemDataRole.ToolTipRole else item.title
        if index.column() == 1:
            return ", ".join(f.name for f in item.fields) or "—"
        notes = ([f"Duplicate of {item.duplicate_of}: skipped"] if item.duplicate_of else []) + item.problems
        return ("\n" if role == Qt.ItemDataRole.ToolTipRole else "; ").join(notes) or "Ready"


class SnippetImportDialog(QDialog):
    changes_made = Signal(object)  # kb.models.Changes
    preview_ready = Signal()

    def __init__(self, kb, tasks, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.kb, self.tasks = kb, tasks
        self.path: str | None = None
        self.preview = None
        self.setWindowTitle("Import saved replies")
        self.setAccessibleName("Import saved replies")
        self.file_label = QLabel("Choose a file exported from your current tool.")
        self.file_label.setWordWrap(True)
        choose = QPushButton("&Choose file…")
        choose.clicked.connect(self.choose_file)
        self.format = QComboBox()
        self.format.setAccessibleName("Format")
        for value, label in FORMAT_LABELS.items():
            self.format.addItem(label, value)
        self.format.activated.connect(lambda _i: self.reload(keep_mapping=False))
        self.columns: dict[str, QComboBox] = {}
        self.mapping_row = QWidget()
        mapping_layout = QHBoxLayout(self.mapping_row)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        for role, label in (("title", "Title column"), ("text", "Reply text column"), ("tags", "Tags or folder column")):
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.activated.connect(lambda _i: self.reload(keep_mapping=True))
            mapping_layout.addWidget(QLabel(label + ":"))
            mapping_layout.addWidget(combo, 1)
            self.columns[role] = combo
        self.mapping_row.hide()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Replies in the file")
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 220)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(choose)
        fmt_row = QHBoxLayout()
        fmt_row.addWidget(QLabel("Format:"))
        fmt_row.addWidget(self.format, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(fmt_row)
        layout.addWidget(self.mapping_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        note = QLabel("Replies come in as drafts: review them in Snippets (the phrasing checks run there) "
                      "and vet them before reps see them.")
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.resize(900, 560)

    # -- reading -----------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Import saved replies", "", OPEN_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        from kb.interchange import detect_format

        self.path = str(path)
        self.file_label.setText(Path(path).name)
        self.file_label.setToolTip(str(path))
        detected = detect_format(path) or "csv"
        self.format.setCurrentIndex(max(0, self.format.findData(detected)))
        self.reload(keep_mapping=False)

    def _mapping(self) -> dict[str, str | None]:
        return {role: (None if combo.currentText() == NO_COLUMN else combo.currentText())
                for role, combo in self.columns.items()}

    def reload(self, *, keep_mapping: bool) -> None:
        if self.path is None:
            return
        kb, path, fmt = self.kb, self.path, self.format.currentData()
        mapping = self._mapping() if keep_mapping and fmt == "csv" else None

        def work() -> tuple[list[str], dict[str, str | None] | None, Any]:
            from kb import interchange

            columns: list[str] = []
            chosen = mapping
            if fmt == "csv":
                columns = interchange.csv_columns(path)
                chosen = mapping or interchange.guess_mapping(columns)
            return columns, chosen, kb.preview_snippet_import(path, fmt, chosen)

        self.import_button.setEnabled(False)
        self.summary.setText("Reading the file…")
        self.tasks.read(work, on_done=self._show, on_error=self._failed, key="snippet-import-preview")

    def _fill_columns(self, columns: list[str], mapping: dict[str, str | None] | None) -> None:
        for role, combo in self.columns.items():
            combo.clear()
            combo.addItems([NO_COLUMN, *columns])
            chosen = (mapping or {}).get(role)
            combo.setCurrentIndex(combo.findText(chosen) if chosen else 0)

    def _show(self, result: tuple[list[str], dict[str, str | None] | None, Any]) -> None:
        columns, mapping, preview = result
        self.mapping_row.setVisible(bool(columns))
        if columns:
            self._fill_columns(columns, mapping)
        self.preview = preview
        self.model.set_items(preview.items)
        count = len(preview.items) - len(preview.duplicates)
        lines = [f"{len(preview.items)} repl{'ies' if len(preview.items) != 1 else 'y'} found."]
        if preview.mapped_fields:
            lines.append("Fill-in fields: " + ", ".join(
                f"{theirs} → {{{ours}}}" for theirs, ours in list(preview.mapped_fields.items())[:8]))
        if preview.unmapped:
            lines.append("Not fill-ins (left in the text to rewrite): " + ", ".join(preview.unmapped[:6]))
        if preview.duplicates:
            lines.append(f"{len(preview.duplicates)} duplicate{'s' if len(preview.duplicates) != 1 else ''} "
                         "of existing snippets will be skipped.")
        lines.extend(preview.problems[:4])
        from desktop import theme

        theme.set_role(self.summary, "")  # repolished: a good file after a bad one loses the error colour
        self.summary.setText("\n".join(lines))
        self.import_button.setText(f"&Import {count} as drafts")
        self.import_button.setEnabled(count > 0)
        self.preview_ready.emit()

    def _failed(self, error: object) -> None:
        from desktop import theme

        self.preview = None
        self.model.set_items([])
        theme.set_role(self.summary, "error")
        self.summary.setText(f"{error_text(error)}\nNothing was imported.")
        self.import_button.setEnabled(False)
        self.preview_ready.emit()

    # -- importing ---------------------------------------------------------------------

    def apply(self) -> None:
        if self.preview is None:
            return
        self.import_button.setEnabled(False)
        self.tasks.write(self.kb.import_snippets, self.preview, on_done=self._imported, on_error=self._failed)

    def _imported(self, report) -> None:  # noqa: ANN001 - kb.models.ImportReport
        self.summary.setText(f"Imported {len(report.created)} as drafts ({len(report.problems)} skipped). "
                             "Find them in Snippets with the Draft filter.")
        self.import_button.setText("Imported")
        self.changes_made.emit(report.changes)


def export_vetted_snippets(parent: QWidget, kb, tasks, on_message) -> None:  # noqa: ANN001
    """Ask where, then write the vetted snippets as espanso YAML or CSV off the GUI thread."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export vetted snippets", "tactful-snippets.yml",
        "espanso match file (*.yml);;CSV for spreadsheets and other tools (*.csv)")
    if not path:
        return
    fmt = "csv" if path.lower().endswith(".csv") or "CSV" in chosen else "espanso"
    tasks.read(kb.export_snippets, path, fmt,
               on_done=lambda count: on_message(f"Exported {count} vetted snippets to {Path(path).name}."),
               on_error=lambda err: on_message(f"Export failed: {error_text(err)}"))
