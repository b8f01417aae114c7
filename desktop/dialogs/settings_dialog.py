"""The settings dialog, built from the declared table in ``desktop.settings``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QFileDialog,
)

from desktop.settings import SETTINGS, Setting, Settings


class SettingsDialog(QDialog):
    """One tab per section; changes apply when the user presses OK."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        self.editors: dict[str, QWidget] = {}
        self.locks: dict[str, QLabel] = {}
        """The "locked by your organisation" note under each setting the policy fixes."""
        tabs = QTabWidget()
        sections: dict[str, QFormLayout] = {}
        for setting in SETTINGS:
            if setting.section not in sections:
                page = QWidget()
                form = QFormLayout(page)
                form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
                sections[setting.section] = form
                tabs.addTab(page, setting.section)
            editor = self._editor(setting)
            editor.setToolTip(setting.help)
            editor.setAccessibleName(setting.label)
            editor.setAccessibleDescription(setting.help)
            self.editors[setting.name] = editor
            help_label = QLabel(setting.help)
            help_label.setWordWrap(True)
            help_label.setProperty("role", "muted")
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(help_label)
            reason = settings.locked_reason(setting.name)
            if reason is not None:
                editor.setEnabled(False)
                editor.setToolTip(f"Locked by your organisation: {reason}")
                lock = QLabel(f"Locked by your organisation: {reason}")
                lock.setObjectName(f"locked:{setting.name}")
                lock.setWordWrap(True)
                lock.setProperty("role", "notice")
                column.addWidget(lock)
                self.locks[setting.name] = lock
            if setting.type is bool:
                sections[setting.section].addRow(column)  # the check box carries the label
            else:
                label = QLabel(setting.label)
                line = editor.findChild(QLineEdit, "value")
                label.setBuddy(line if line is not None else editor)
                sections[setting.section].addRow(label, column)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.policy_note = self._policy_note()
        if self.policy_note is not None:
            layout.addWidget(self.policy_note)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.resize(560, 460)

    def _policy_note(self) -> QWidget | None:
        """What the organisation's policy does here, and what was wrong with its file."""
        policy = self.settings.policy
        if policy is None or not (policy.active or policy.problems):
            return None
        note = QWidget()
        note.setObjectName("policyNote")
        column = QVBoxLayout(note)
        column.setContentsMargins(0, 0, 0, 6)
        lines = []
        if policy.active:
            locked = sum(1 for s in SETTINGS if self.settings.locked_reason(s.name) is not None)
            where = ", ".join(str(p) for p in policy.sources)
            lines.append((f"Some settings are managed by your organisation ({locked} locked), "
                          f"from {where}.", "notice"))
        if policy.problems:
            shown = "\n".join(f"• {problem}" for problem in policy.problems[:8])
            lines.append((f"Parts of the policy file could not be used and were ignored:\n{shown}", "error"))
        for text, role in lines:
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setProperty("role", role)
            column.addWidget(label)
        return note

    def policy_text(self) -> str:
        """Everything the policy note says (empty without a policy)."""
        if self.policy_note is None:
            return ""
        return "\n".join(label.text() for label in self.policy_note.findChildren(QLabel))

    def _editor(self, setting: Setting) -> QWidget:
        value = self.settings.get(setting.name)
        if setting.choices:
            combo = QComboBox()
            for data, label in setting.choices:
                combo.addItem(label, data)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if setting.type is bool:
            box = QCheckBox(setting.label)
            box.setChecked(bool(value))
            return box
        if setting.type is int:
            spin = QSpinBox()
            spin.setRange(setting.minimum or 0, setting.maximum or 1_000_000)
            spin.setValue(int(value))
            return spin
        if setting.name.endswith("folder"):
            row = QWidget()
            line = QLineEdit(str(value))
            line.setCursorPosition(0)
            line.setObjectName("value")
            line.setAccessibleName(setting.label)
            browse = QPushButton("Choose…")
            browse.clicked.connect(lambda: self._choose_folder(line))
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(line, 1)
            h.addWidget(browse)
            return row
        return QLineEdit(str(value))

    def _choose_folder(self, line: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose the shared folder", line.text())
        if folder:
            line.setText(folder)

    def value(self, name: str):
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text()
        line = editor.findChild(QLineEdit)
        return line.text() if line is not None else ""

    def accept(self) -> None:
        for setting in SETTINGS:
            self.settings.set(setting.name, self.value(setting.name))
        super().accept()
