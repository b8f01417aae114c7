"""The small form that fills a snippet's fields before it goes into the reply.

One row per field: a line edit, or a drop-down when the field offers choices. Rows start
from the values already typed for this reply (the customer's name, say), else the
field's default. "Insert" stays disabled, with a line saying what is still needed, until
every required field has a value; a preview shows the text exactly as it will go in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import theme
from kb.compose import fill, value_for
from kb.models import Snippet, SnippetField

_HOLE_OPEN, _HOLE_CLOSE = "\ue000", "\ue001"  # a field still to fill
_VALUE_OPEN, _VALUE_CLOSE = "\ue002", "\ue003"  # a value the rep gave
_MARKS = re.compile("[\ue000-\ue003]")


def snippet_html(
    snippet: Snippet, values: Mapping[str, str] | None = None, *, keep_optional: bool = False
) -> str:
    """The snippet's text as HTML for a preview, fields still to fill highlighted.

    With ``values`` None every field shows as a highlighted ``{name}`` (the template as
    written); otherwise given values are filled in (in bold) and fields without one are
    highlighted, or, for optional fields unless ``keep_optional``, left out.
    """
    if values is None:
        text = _template(snippet)
    else:
        marked = {
            f.name: f"{_VALUE_OPEN}{_MARKS.sub('', v)}{_VALUE_CLOSE}"
            for f in snippet.fields
            if (v := value_for(f, values))
        }
        text = fill(snippet, marked, keep_optional=keep_optional, unfilled=_hole)
    colours = theme.current()
    body = (
        html.escape(text)
        .replace(_HOLE_OPEN, f'<span style="background-color:{colours.highlight_bg}; color:{colours.text};">')
        .replace(_HOLE_CLOSE, "</span>")
        .replace(_VALUE_OPEN, "<b>")
        .replace(_VALUE_CLOSE, "</b>")
    )
    return f'<div style="white-space: pre-wrap;">{body}</div>'


def _hole(field: SnippetField) -> str:
    return f"{_HOLE_OPEN}{{{field.name}}}{_HOLE_CLOSE}"


def _template(snippet: Snippet) -> str:
    """The text with every field, defaults included, shown as a marked ``{name}``."""
    from kb.snippets import render

    return render(snippet, {f.name: _hole(f) for f in snippet.fields})


class FieldsDialog(QDialog):
    """Asks for the values of one snippet's fields; ``values()`` after it is accepted."""

    def __init__(
        self, snippet: Snippet, known: Mapping[str, str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.snippet = snippet
        known = known or {}
        self.setWindowTitle(f"Fill in: {snippet.title}")
        self.setAccessibleName(f"Fill in the snippet {snippet.title}")

        intro = QLabel(f"Fill in the fields for “{snippet.title}”. Fields marked * are required.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        form = QFormLayout()
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        for field in snippet.fields:
            editor = self._editor(field, known)
            label = QLabel(f"{field.label} *" if field.required else field.label)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(editor)
            if field.help:
                label.setToolTip(field.help)
            form.addRow(label, editor)
            self.editors[field.name] = editor

        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("What is still needed")

        preview_label = QLabel("Preview")
        preview_label.setProperty("role", "heading")
        self.preview = QTextBrowser()
        self.preview.setAccessibleName("Preview of the snippet")
        self.preview.setOpenLinks(False)
        self.preview.setMinimumHeight(90)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Insert")
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(preview_label)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self.resize(520, 300 + 34 * len(snippet.fields))
        self._update()
        self._focus_first_needed()

    def _editor(self, field: SnippetField, known: Mapping[str, str]) -> QLineEdit | QComboBox:
        start = (known.get(field.name) or "").strip() or (field.default or "")
        if field.choices:
            combo = QComboBox()
            if not field.required:
                combo.addItem("(none)", "")
            for choice in field.choices:
                combo.addItem(choice, choice)
            if start and start not in field.choices:
                combo.insertItem(0 if field.required else 1, start, start)  # keep what was typed
            at = combo.findData(start) if start else -1
            if at < 0 and not field.required:
                at = 0
            combo.setPlaceholderText("Choose…")
            combo.setCurrentIndex(at)
            combo.currentIndexChanged.connect(self._update)
            editor: QLineEdit | QComboBox = combo
        else:
            line = QLineEdit(start)
            line.setPlaceholderText(field.help or (f"e.g. {field.sample}" if field.sample else ""))
            line.textChanged.connect(self._update)
            editor = line
        editor.setAccessibleName(field.label)
        if field.help:
            editor.setToolTip(field.help)
            editor.setAccessibleDescription(field.help)
        return editor

    # -- state -----------------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        """What is in the form right now, field by field (stripped)."""
        values = {}
        for name, editor in self.editors.items():
            raw = editor.currentData() if isinstance(editor, QComboBox) else editor.text()
            values[name] = (raw or "").strip()
        return values

    def values(self) -> dict[str, str]:
        """A value for every field of the snippet: what was typed, else its default, else ""."""
        typed = self.typed()
        return {f.name: value_for(f, typed) for f in self.snippet.fields}

    def missing(self) -> list[SnippetField]:
        typed = self.typed()
        return [f for f in self.snippet.fields if f.required and not value_for(f, typed)]

    def _update(self) -> None:
        missing = self.missing()
        self.ok_button.setEnabled(not missing)
        if missing:
            self.hint.setText("Still needed: " + ", ".join(f.label for f in missing) + ".")
        else:
            self.hint.setText("Ready to insert. Press Enter.")
        self.preview.setHtml(snippet_html(self.snippet, self.typed()))

    def _focus_first_needed(self) -> None:
        missing = {f.name for f in self.missing()}
        for name, editor in self.editors.items():
            if name in missing:
                editor.setFocus()
                return
        next(iter(self.editors.values())).setFocus()

    def accept(self) -> None:
        if self.missing():  # Enter with a required field still empty: stay open
            self._focus_first_needed()
            return
        super().accept()


def ask_values(
    snippet: Snippet, known: Mapping[str, str] | None = None, parent: QWidget | None = None
) -> dict[str, str] | None:
    """Values for the snippet's fields, asked in a small form; ``None`` if cancelled.

    Returns ``{}`` at once for a snippet without fields. Only this snippet's fields are
    returned, each with what the rep typed, else its default, else "" (optional ones).
    """
    if not snippet.fields:
        return {}
    dialog = FieldsDialog(snippet, known, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.values()
        return None
    finally:
        dialog.deleteLater()
