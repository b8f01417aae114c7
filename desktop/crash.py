"""Unexpected errors: a dialog with details to copy, a log file, and the app keeps running.

Errors a user can act on never come here (they are ``KbError`` messages); this is for
bugs. ``install()`` routes uncaught exceptions on the GUI thread and in Python threads to
``report()``; background jobs report through ``Tasks.unexpected``.
"""

from __future__ import annotations

import datetime as _dt
import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication

from kb import __version__

log = logging.getLogger("tactful")


class CrashReporter(QObject):
    """Collects unexpected errors from any thread and shows them on the GUI thread."""

    _reported = Signal(str, str)

    def __init__(self, logs_dir: Path | None, parent: QObject | None = None, *, show_dialog: bool = True) -> None:
        super().__init__(parent)
        self.logs_dir = logs_dir
        self.show_dialog = show_dialog
        self.count = 0
        self._showing = False
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = lambda t, v, tb: self.report(v, "".join(traceback.format_exception(t, v, tb)))
        threading.excepthook = lambda args: self.report(
            args.exc_value,
            "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)),
        )

    def report(self, error: BaseException | None, details: str) -> None:
        summary = f"{type(error).__name__}: {error}" if error is not None else "Unknown error"
        self._reported.emit(summary, details)

    def _write_log(self, summary: str, details: str) -> Path | None:
        if self.logs_dir is None:
            return None
        try:
            self.logs_dir.mkdir(parents=True, exist_ok=True)
            path = self.logs_dir / "errors.log"
            stamp = _dt.datetime.now().isoformat(timespec="seconds")
            with path.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {stamp} tactful {__version__}\n{summary}\n{details}\n")
            return path
        except OSError:
            return None

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self.count += 1
        log.error("unexpected error: %s\n%s", summary, details)
        path = self._write_log(summary, details)
        if not self.show_dialog or self._showing:
            return
        self._showing = True
        try:
            full = f"Tactful {__version__}, Python {sys.version.split()[0]}\n{summary}\n\n{details}"
            from desktop.dialogs.crash_dialog import CrashDialog  # only when something went wrong

            CrashDialog(summary, full, path, QApplication.activeWindow()).exec()
        finally:
            self._showing = False
