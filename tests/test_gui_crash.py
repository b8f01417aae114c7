"""A bug never takes the rep's work with it: a dialog with copyable details, a log, and the app goes on."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from desktop import crash
from desktop.dialogs import crash_dialog


def test_an_unexpected_error_shows_details_and_logs_them(qtbot, tmp_path: Path, monkeypatch) -> None:
    shown: list[crash_dialog.CrashDialog] = []
    monkeypatch.setattr(crash_dialog.CrashDialog, "exec", lambda self: shown.append(self) or 0)
    reporter = crash.CrashReporter(tmp_path / "logs")
    saved_hooks = sys.excepthook, threading.excepthook
    reporter.install()
    try:
        try:
            raise ValueError("the index went sideways")
        except ValueError:
            sys.excepthook(*sys.exc_info())
        qtbot.waitUntil(lambda: len(shown) == 1)
        dialog = shown[0]
        details = dialog.details.toPlainText()
        assert "ValueError: the index went sideways" in details and "Traceback" in details
        copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Copy details")
        copy.click()
        assert "the index went sideways" in QGuiApplication.clipboard().text()
        log = (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
        assert "ValueError: the index went sideways" in log

        # From a worker thread too, and the app carries on (the reporter counts, never exits).
        worker = threading.Thread(target=lambda: 1 / 0)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: reporter.count == 2)
        assert "ZeroDivisionError" in (tmp_path / "logs" / "errors.log").read_text(encoding="utf-8")
    finally:
        sys.excepthook, threading.excepthook = saved_hooks
