"""Copy reply (Ctrl+Enter): clean plain text, never with a blank placeholder in it.

A mixin of ``ComposerPanel``: it uses the panel's ``editor``, ``checker`` and ``_say``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QGuiApplication, QTextCursor

from desktop.composer import analysis
from desktop.composer.analysis import PLACEHOLDER, CheckResult, Positions

STATUS_MS = 5000


class CopyActions:
    editor: Any
    checker: Any
    copied: Any

    def copy_reply(self) -> None:
        """Copy the reply as clean plain text (Ctrl+Enter), if it is ready to send."""
        text = self.editor.toPlainText()
        if not text.strip():
            self._say("Nothing to copy yet.", "muted", timeout=STATUS_MS)
            return
        if self.checker.is_current(self.checker.latest):
            self._finish_copy(self.checker.latest)
            return
        self._say("Checking the reply before copying…", "muted")
        self.checker.request(self._checked_for_copy, key=f"{id(self)}-copy")

    def _checked_for_copy(self, result: CheckResult) -> None:
        if not self.checker.is_current(result):
            self._say("The reply changed while it was being checked; press Ctrl+Enter again.", "muted",
                      timeout=STATUS_MS)
            return
        self.checker.latest = result
        self._apply_check(result)
        self._finish_copy(result)

    def _finish_copy(self, result: CheckResult) -> None:
        placeholders = [f for f in result.findings if f.category == PLACEHOLDER]
        if placeholders:
            first = placeholders[0]
            line = result.text.count("\n", 0, first.start) + 1
            positions = Positions(result.text)
            cursor = self.editor.textCursor()
            cursor.setPosition(positions.to_qt(first.start))
            cursor.setPosition(positions.to_qt(first.end), QTextCursor.MoveMode.KeepAnchor)
            self.editor.setTextCursor(cursor)
            self.editor.setFocus()
            more = len(placeholders) - 1
            extra = f" ({more} more placeholder{'s' if more > 1 else ''} after it)" if more else ""
            self._say(f"Not copied: fill in {first.match} on line {line} first{extra}.", "error")
            return
        errors = [f for f in result.findings if f.severity == "error"]
        if errors:
            from PySide6.QtWidgets import QMessageBox  # kept off the start-up path

            example = errors[0]
            line = result.text.count("\n", 0, example.start) + 1
            count = f"{len(errors)} phrasing problems" if len(errors) > 1 else "a phrasing problem"
            answer = QMessageBox.question(
                self, "Copy anyway?",
                f"The reply still has {count} marked as errors, for example “{example.match}” on "
                f"line {line}: {example.message}\n\nCopy it anyway?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._say("Not copied. F8 takes you to each finding.", "muted", timeout=STATUS_MS)
                return
        clean = analysis.clean_text(result.text)
        QGuiApplication.clipboard().setText(clean)
        self._say("Copied ✓ – paste it into your reply.", timeout=STATUS_MS)
        self.copied.emit(clean)

