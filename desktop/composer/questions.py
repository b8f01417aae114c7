"""The three key questions, jotted down before (or while) writing the reply.

Why is the customer upset? What do they want from this transaction? How can I help?
The answers are the rep's own notes: saved with the draft, never copied into the reply.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("why", "Why is the customer upset?", "What went wrong for them, in a few words"),
    ("want", "What do they want from this?", "A refund, an answer, to be heard…"),
    ("help", "How can I help?", "What you can actually do for them"),
)
"""(key in ``Draft.questions``, question, placeholder) in the order they are asked."""


class QuestionsPanel(QFrame):
    """Three short answers under a header that folds them away; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyQuestions")
        self.setAccessibleName("Three key questions")
        self.toggle = QToolButton()
        self.toggle.setObjectName("keyQuestionsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setToolTip("Your own notes, saved with the draft and never copied (Ctrl+Shift+Q). "
                               "Click to fold them away.")
        self.toggle.setAccessibleName("Show the three key questions")
        self.toggle.toggled.connect(self.set_expanded)
        self.body = QWidget()
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout(self.body)
        form.setContentsMargins(8, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, question, hint in QUESTIONS:
            edit = QLineEdit()
            edit.setObjectName(f"question_{key}")
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(question)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(lambda _text: self._update_title())
            edit.textEdited.connect(lambda _text: self.changed.emit())
            label = QLabel(question)
            label.setBuddy(edit)
            label.setWordWrap(True)
            form.addRow(label, edit)
            self.fields[key] = edit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        self._update_title()
        self.set_expanded(True)

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def _update_title(self) -> None:
        answered = sum(1 for edit in self.fields.values() if edit.text().strip())
        self.toggle.setText(f"Three key questions ({answered} of {len(self.fields)} answered)")

    def answers(self) -> dict[str, str]:
        """The non-empty answers, keyed ``why``/``want``/``help``."""
        return {key: edit.text().strip() for key, edit in self.fields.items() if edit.text().strip()}

    def set_answers(self, answers: dict[str, str]) -> None:
        for key, edit in self.fields.items():
            edit.setText(answers.get(key, ""))

    def focus_first(self) -> None:
        """Focus the first unanswered question (or the first one)."""
        self.set_expanded(True)
        edits = list(self.fields.values())
        target = next((e for e in edits if not e.text().strip()), edits[0])
        target.setFocus()
        target.selectAll()

    def widgets_in_order(self) -> list[QWidget]:
        return [self.toggle, *self.fields.values()]
