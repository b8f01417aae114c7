"""Live phrasing checks: debounced, one job in flight, stale answers dropped (STYLE.md #6).

Every edit restarts a single-shot timer (``checks/delay_ms``); when it fires the text is
checked on a reader thread under one ``tasks.read`` key, so while a check runs only the
newest request waits behind it. An answer is used only if the editor still holds exactly
the text that was checked; otherwise the next check (already scheduled by the edit) wins.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from desktop.composer.analysis import CheckResult, check

_ids = itertools.count(1)


class LiveChecker(QObject):
    checked = Signal(object)  # CheckResult for the editor's current text

    def __init__(self, kb: Any, tasks: Any, settings: Any, editor: QPlainTextEdit,
                 ignored: Callable[[], list[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kb, self.tasks, self.settings, self.editor = kb, tasks, settings, editor
        self._ignored = ignored
        self._key = f"composer-check-{next(_ids)}"
        self.latest: CheckResult | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check_now)
        self.apply_settings()
        editor.textChanged.connect(self.schedule)

    def apply_settings(self) -> None:
        self.timer.setInterval(int(self.settings.get("checks/delay_ms")))

    def schedule(self) -> None:
        self.timer.start()

    def check_now(self) -> None:
        self.timer.stop()
        self.request(self._deliver)

    def request(self, on_done: Callable[[CheckResult], None], *, key: str | None = None) -> None:
        """Check the current text in the background and hand the result to ``on_done``."""
        text = self.editor.toPlainText()
        self.tasks.read(check, self.kb, text, list(self._ignored()), key=key or self._key,
                        on_done=on_done)

    def is_current(self, result: CheckResult | None) -> bool:
        return result is not None and result.text == self.editor.toPlainText()

    def _deliver(self, result: CheckResult) -> None:
        if not self.is_current(result):
            if not self.timer.isActive():
                self.timer.start()
            return
        self.latest = result
        self.checked.emit(result)
