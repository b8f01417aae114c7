"""Article and snippet text with the composer's phrasing underlines.

The underlining widget is the composer's ``ReplyEditor``; this wrapper adds the debounced
check (at most one in flight, via ``tasks.read`` with a key) and the strictness setting,
so editors see exactly what reps will see.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from kb.models import Finding

from desktop.composer.analysis import PLACEHOLDER, shown
from desktop.composer.editor import ReplyEditor

_keys = itertools.count(1)


class CheckedTextEdit(ReplyEditor):
    """Plain text checked as you type; ``checked(findings)`` after each check."""

    checked = Signal(list)

    def __init__(self, kb, tasks, settings, *, name: str, placeholder: str = "",  # noqa: ANN001
                 keep: Callable[[Finding, str], bool] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self.setObjectName("")
        self.setAccessibleName(name)
        self.setAccessibleDescription(f"{name}. Phrasing findings are underlined; right-click one for suggestions.")
        self.setPlaceholderText(placeholder)
        self._keep = keep
        self._ignored: list[str] = []
        self._key = f"editor-lint-{next(_keys)}"
        self._all: list[Finding] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check_now)
        self.textChanged.connect(self._schedule)
        self.suggestion_chosen.connect(self.replace_finding)
        self.ignore_chosen.connect(self._ignore)
        settings.changed.connect(self._setting_changed)

    def _schedule(self) -> None:
        self._timer.start(int(self.settings.get("checks/delay_ms")))

    def check_now(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        kb, ignored = self.kb, list(self._ignored)
        self.tasks.read(lambda: kb.lint(text, ignore=ignored), key=self._key,
                        on_done=lambda findings: self._got(text, findings))

    def _got(self, text: str, findings: list[Finding]) -> None:
        if text != self.toPlainText():
            return  # typed since: the next check is already scheduled
        if self._keep is not None:
            findings = [f for f in findings if self._keep(f, text)]
        self._all = list(findings)
        visible = shown(findings, str(self.settings.get("checks/strictness")))
        self.set_findings(visible, text)
        self.checked.emit(list(findings))

    def all_findings(self) -> list[Finding]:
        """Every finding of the last check, whatever the strictness setting shows."""
        return list(self._all)

    def _ignore(self, index: int) -> None:
        findings = self.findings()
        if 0 <= index < len(findings) and findings[index].category != PLACEHOLDER:
            self._ignored.append(findings[index].rule)
            self.check_now()

    def _setting_changed(self, name: str) -> None:
        if name == "checks/strictness":
            self.check_now()

    def set_text(self, text: str) -> None:
        """Replace the text (a newly opened article) and check it at once."""
        self._ignored = []
        self.setPlainText(text)
        self.check_now()


def summary(findings: list[Finding]) -> str:
    """"2 phrasing findings (1 error)" for the line under the text."""
    if not findings:
        return "No phrasing findings."
    errors = sum(1 for f in findings if f.severity == "error")
    noun = "finding" if len(findings) == 1 else "findings"
    text = f"{len(findings)} phrasing {noun}"
    if errors:
        text += f" ({errors} error{'s' if errors != 1 else ''})"
    return text + ". Hover an underline for details."
