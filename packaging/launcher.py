"""Entry script of the frozen app: ``tactful`` is ``kb.cli.main``, nothing more.

One addition for the desktop: on Linux and macOS a desktop session ends programs with
SIGTERM (logout, shutdown, ``kill``). Python cannot run a signal handler while Qt's event
loop is idle, so by default the window would die without saving the draft, the window
state or releasing the data-folder lock. Here the C-level handler wakes a small thread
(``signal.set_wakeup_fd``) that asks Qt, on the GUI thread, to close every window: the
same path as File > Quit. Only installed when no CLI subcommand is given (the CLI keeps
the default SIGTERM behaviour). See packaging/README.md: this belongs in desktop/app.py,
where the source install would get it too.
"""

from __future__ import annotations

import os
import sys


def _gui_requested(argv: list[str]) -> bool:
    from kb.cli import COMMANDS

    names = {name for name, _module in COMMANDS}
    return not any(arg in names or arg in ("-h", "--help", "--version") for arg in argv)


def _close_windows_on_sigterm() -> None:
    if sys.platform == "win32":
        return  # Windows ends GUI programs with WM_CLOSE/WM_ENDSESSION, which Qt handles
    import signal
    import threading

    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    wanted = (signal.SIGTERM, signal.SIGINT)  # logout/kill, and Ctrl+C in a terminal
    for signum in wanted:
        signal.signal(signum, lambda _signum, _frame: None)  # the real work is below

    def watch() -> None:
        while data := os.read(read_fd, 1):
            if data[0] not in wanted:
                continue
            try:
                from PySide6.QtCore import QCoreApplication, QMetaObject, Qt, QTimer  # noqa: F401
            except ImportError:
                os._exit(128 + signal.SIGTERM)
            app = QCoreApplication.instance()
            if app is None:  # the window is not up yet: nothing to save
                os._exit(128 + signal.SIGTERM)
            QMetaObject.invokeMethod(app, "closeAllWindows", Qt.ConnectionType.QueuedConnection)
            QMetaObject.invokeMethod(app, "quit", Qt.ConnectionType.QueuedConnection)

    threading.Thread(target=watch, name="sigterm-watch", daemon=True).start()


def main() -> int:
    argv = sys.argv[1:]
    if _gui_requested(argv):
        _close_windows_on_sigterm()
    from kb.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
