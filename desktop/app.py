"""Starting the desktop app: ``tactful`` with no arguments ends up here.

The window appears at once; the knowledge base opens on a background thread (seeding the
bundled playbook with a progress bar on first start) and the panels arrive when it is
ready. A second copy of Tactful on the same data folder is told so clearly instead of
fighting over the files.
"""

from __future__ import annotations

import logging
import os
import signal
import sys

from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import theme
from kb import resources
from kb.errors import KbError
from kb.paths import DataPaths

log = logging.getLogger("tactful")


def _application(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(theme.application_argv(argv))
        theme.started_in_style(app)
    app.setApplicationName("Tactful")
    app.setApplicationDisplayName("Tactful")
    app.setOrganizationName("Tactful")
    app.setDesktopFileName("tactful")
    icon = resources.path("icons", "tactful.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def acquire_instance_lock(paths: DataPaths) -> QLockFile | str:
    """Hold the data folder's lock, or return a message saying who holds it."""
    lock = QLockFile(str(paths.lock_file))
    lock.setStaleLockTime(0)  # a lock left by a crashed process is detected by PID instead
    if lock.tryLock(200):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # PySide6 returns (pid, hostname, appname), or a falsy value
        pid = info[0] if isinstance(info, tuple) and info else None
        holder = f" (process {pid})" if pid else ""
        return (
            f"Tactful is already open with this data folder{holder}.\n\n"
            "Switch to that window, or start Tactful with another data folder "
            "(tactful --home PATH)."
        )
    return (
        f"Tactful cannot lock its data folder {paths.home}. Check the folder is writable, "
        "or start Tactful with another data folder (tactful --home PATH)."
    )


def main(home: str | os.PathLike[str] | None = None, argv: list[str] | None = None) -> int:
    app = _application(list(argv if argv is not None else sys.argv[:1]))
    try:
        paths = DataPaths.for_home(home).ensure()
    except KbError as exc:
        from PySide6.QtWidgets import QMessageBox  # kept off the start-up path

        QMessageBox.critical(None, "Tactful", str(exc))
        return 2
    lock = acquire_instance_lock(paths)
    if isinstance(lock, str):
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(None, "Tactful is already open", lock)
        return 0
    logging.basicConfig(level=logging.INFO if os.environ.get("TACTFUL_DEBUG") else logging.WARNING)

    from desktop.crash import CrashReporter
    from desktop.main_window import MainWindow
    from desktop.settings import Settings, State
    from desktop.tasks import Tasks

    from kb import policy as policy_file

    settings = Settings(paths.settings_file, policy=policy_file.load())
    theme.apply(app, settings.get("appearance/theme"), settings.get("appearance/text_size"))
    crash = CrashReporter(paths.logs_dir, app)
    crash.install()
    tasks = Tasks(app)
    tasks.unexpected.connect(crash.report)
    window = MainWindow(paths, settings, State(paths.state_file), tasks)
    _install_quit_hooks(app, window)
    window.show()
    window.start()
    try:
        code = app.exec()
    finally:
        tasks.shutdown()
        lock.unlock()
    _exit_now(code)
    return code  # only reached if the hard exit was switched off


def _exit_now(code: int) -> None:
    """Leave without Python's interpreter teardown once everything is saved and unlocked.

    PySide6 6.12 can release ``True``/``False`` once too often while Qt objects are torn
    down at interpreter exit ("Fatal Python error: bool_dealloc"), turning a clean quit
    into an abort after some editor sessions. By this point the draft is saved, the
    database closed and the data folder unlocked, so skipping the teardown loses nothing.
    ``TACTFUL_NO_HARD_EXIT=1`` keeps the normal exit (for debugging that teardown).
    """
    if os.environ.get("TACTFUL_NO_HARD_EXIT"):
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)



def _install_quit_hooks(app: QApplication, window) -> None:  # noqa: ANN001 - MainWindow
    """Close cleanly (draft saved, data folder unlocked) on SIGTERM/SIGINT.

    ``TACTFUL_EXIT_WHEN_READY=1`` prints ``ready`` on standard output once the window
    accepts typing and then closes it: the start-up benchmark and the packaging smoke
    test use it to time and exercise a real start.
    """

    def close(*_args: object) -> None:
        QTimer.singleShot(0, window.close)

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            signal.signal(sig, close)
        except (ValueError, OSError):  # not the main thread, or not supported here
            pass
    # Python runs signal handlers between bytecodes; a cheap timer gives it the chance.
    wake = QTimer(app)
    wake.setInterval(300)
    wake.timeout.connect(lambda: None)
    wake.start()
    if os.environ.get("TACTFUL_EXIT_WHEN_READY"):

        def ready() -> None:
            print("ready", flush=True)
            QTimer.singleShot(int(os.environ.get("TACTFUL_EXIT_DELAY_MS", "0")), window.close)

        window.ready.connect(ready)
