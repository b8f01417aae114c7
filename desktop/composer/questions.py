"""The three key questions, jotted down before (or while) writing the reply.

Why is the customer upset? What do they want from this transaction? How can I help?
The answers are the rep's own notes: saved with the draft, never copied into the reply.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("why", "Why is the customer upset?", "What went wrong for them, in a few words"),
    ("want", "What do they want from this?", "A refund, an answer, to be heard…"),
    ("help", "How can I help?", "What you can actually do for them"),
)
"""(key in ``Draft.questions``, question, placeholder) in the order they are asked."""


class QuestionsPanel(QGroupBox):
    """Three short answers; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Three key questions", parent)
        self.setObjectName("keyQuestions")
        self.setAccessibleName("Three key questions")
        self.setToolTip("Your own notes, saved with the draft and never copied (Ctrl+Shift+Q)")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, question, hint in QUESTIONS:
            edit = QLineEdit()
            edit.setObjectName(f"question_{key}")
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(question)
            edit.setClearButtonEnabled(True)
            edit.textEdited.connect(lambda _text: self.changed.emit())
            label = QLabel(question)
            label.setBuddy(edit)
            label.setWordWrap(True)
            form.addRow(label, edit)
            self.fields[key] = edit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 6)
        layout.addLayout(form)

    def answers(self) -> dict[str, str]:
        """The non-empty answers, keyed ``why``/``want``/``help``."""
        return {key: edit.text().strip() for key, edit in self.fields.items() if edit.text().strip()}

    def set_answers(self, answers: dict[str, str]) -> None:
        for key, edit in self.fields.items():
            edit.setText(answers.get(key, ""))

    def focus_first(self) -> None:
        """Focus the first unanswered question (or the first one)."""
        edits = list(self.fields.values())
        target = next((e for e in edits if not e.text().strip()), edits[0])
        target.setFocus()
        target.selectAll()

    def widgets_in_order(self) -> list[QWidget]:
        return list(self.fields.values())
