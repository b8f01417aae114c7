"""Progress and cancellation for long work in the core.

Long operations take ``progress`` (called as ``progress(done, total, message)``) and
``cancel`` (a ``CancelToken``). The GUI adapts the callback to a Qt signal and cancels
from its progress dialog; the CLI passes nothing or prints.
"""

from __future__ import annotations

import threading
from typing import Protocol

from kb.errors import Cancelled


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


class CancelToken:
    """Thread-safe "please stop" flag checked by long-running core work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def report(progress: ProgressCallback | None, done: int, total: int, message: str = "") -> None:
    if progress is not None:
        progress(done, total, message)
