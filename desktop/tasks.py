"""The one place that runs core work off the GUI thread (STYLE.md #3).

* ``read(...)``: queries (search, lint, render) on a small pool of reader threads.
* ``write(...)``: every store or index write on one writer thread, in submission order,
  so there is only ever one writer.
* ``long(...)``: cancellable work with progress (import, rebuild, seeding); the callable
  receives ``progress`` and ``cancel`` keyword arguments.

Results come back on the GUI thread through a queued signal; nothing here calls
``processEvents()``. A ``key`` coalesces requests (search as you type, debounced lint):
at most one job per key is in flight, and when newer requests arrived meanwhile only the
newest runs next and only its result is delivered.

Errors a user can act on (``KbError``) go to the job's ``on_error`` or, failing that, to
``user_error``; anything else is a bug and goes to ``unexpected`` for the crash dialog.
"""

from __future__ import annotations

import gc
import itertools
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from kb.errors import KbError
from kb.progress import CancelToken

Callback = Callable[[Any], None]


class Task(QObject):
    """A handle on one background job."""

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.done = False

    def cancel(self) -> None:
        self.token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled


@dataclass
class _Job:
    ticket: int
    task: Task
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    pool: str
    key: str | None
    on_done: Callback | None
    on_error: Callback | None
    extra: dict = field(default_factory=dict)


class GuiThreadGarbage:
    """Python's cycle collector on the GUI thread only, while background threads run.

    The collector runs in whichever thread happens to allocate when a threshold is
    crossed. If a cycle it frees holds a Qt object (a closed dialog and its slots), Qt
    deletes that object on a worker thread, and the process crashes. So while any
    ``Tasks`` is alive, automatic collection is off and a timer collects on the GUI
    thread instead, generation by generation as the thresholds say (the same approach
    as pyqtgraph's and calibre's garbage collectors).
    """

    _users = 0
    _lock = threading.Lock()

    @classmethod
    def acquire(cls, owner: QObject) -> QTimer:
        with cls._lock:
            cls._users += 1
            gc.disable()
        timer = QTimer(owner)
        timer.setInterval(250)
        timer.timeout.connect(cls.collect)
        timer.start()
        return timer

    @classmethod
    def release(cls) -> None:
        with cls._lock:
            cls._users = max(0, cls._users - 1)
            if cls._users == 0:
                gc.enable()

    @staticmethod
    def collect() -> None:
        first, second, third = gc.get_threshold()
        counts = gc.get_count()
        if counts[2] > third:
            gc.collect(2)
        elif counts[1] > second:
            gc.collect(1)
        elif counts[0] > first:
            gc.collect(0)


class Tasks(QObject):
    """Runs callables in the background and hands their results to the GUI thread."""

    user_error = Signal(str)
    unexpected = Signal(object, str)  # exception, formatted traceback
    busy_changed = Signal(bool)

    _delivered = Signal(object, object, object)  # job, result, error
    _progress = Signal(object, int, int, str)

    def __init__(self, parent: QObject | None = None, *, readers: int = 2) -> None:
        super().__init__(parent)
        self._pools = {
            "read": ThreadPoolExecutor(readers, thread_name_prefix="tactful-read"),
            "write": ThreadPoolExecutor(1, thread_name_prefix="tactful-write"),
            "long": ThreadPoolExecutor(1, thread_name_prefix="tactful-long"),
        }
        self._tickets = itertools.count(1)
        self._inflight: dict[str, _Job] = {}
        self._pending: dict[str, _Job] = {}
        self._running = 0
        self._lock = threading.Lock()
        self._live_long: set[Task] = set()
        self._closed = False
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)
        self._progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._gc_timer: QTimer | None = GuiThreadGarbage.acquire(self)

    # -- submitting ----------------------------------------------------------------------

    def read(self, fn: Callable[..., Any], *args: Any, on_done: Callback | None = None,
             on_error: Callback | None = None, key: str | None = None, **kwargs: Any) -> Task:
        return self._submit("read", fn, args, kwargs, on_done, on_error, key)

    def write(self, fn: Callable[..., Any], *args: Any, on_done: Callback | None = None,
              on_error: Callback | None = None, key: str | None = None, **kwargs: Any) -> Task:
        return self._submit("write", fn, args, kwargs, on_done, on_error, key)

    def long(self, fn: Callable[..., Any], *args: Any, on_done: Callback | None = None,
             on_error: Callback | None = None, **kwargs: Any) -> Task:
        """Cancellable work: ``fn`` is called with ``progress=`` and ``cancel=`` as well."""
        return self._submit("long", fn, args, kwargs, on_done, on_error, None, with_progress=True)

    def _submit(self, pool: str, fn: Callable[..., Any], args: tuple, kwargs: dict,
                on_done: Callback | None, on_error: Callback | None, key: str | None,
                with_progress: bool = False) -> Task:
        task = Task(getattr(fn, "__name__", "task"), self)
        job = _Job(next(self._tickets), task, fn, args, kwargs, pool, key, on_done, on_error,
                   {"with_progress": with_progress})
        if self._closed:
            task.done = True
            return task
        if key is not None:
            with self._lock:
                if key in self._inflight:
                    superseded = self._pending.get(key)
                    if superseded is not None:
                        superseded.task.done = True
                    self._pending[key] = job  # newest wins; runs when the current one ends
                    return task
                self._inflight[key] = job
        self._start(job)
        return task

    def _start(self, job: _Job) -> None:
        if job.pool == "long":
            self._live_long.add(job.task)
        self._running += 1
        if self._running == 1:
            self.busy_changed.emit(True)
        self._pools[job.pool].submit(self._run, job)

    def _run(self, job: _Job) -> None:
        kwargs = dict(job.kwargs)
        if job.extra.get("with_progress"):
            kwargs["progress"] = lambda done, total, message="": self._progress.emit(
                job.task, done, total, message
            )
            kwargs["cancel"] = job.task.token
        try:
            result = job.fn(*job.args, **kwargs)
        except BaseException as exc:  # delivered to the GUI thread, never lost
            exc.__tactful_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._delivered.emit(job, None, exc)
        else:
            self._delivered.emit(job, result, None)

    # -- delivering (GUI thread) -----------------------------------------------------------

    @Slot(object, int, int, str)
    def _on_progress(self, task: Task, done: int, total: int, message: str) -> None:
        task.progressed.emit(done, total, message)

    @Slot(object, object, object)
    def _on_delivered(self, job: _Job, result: Any, error: BaseException | None) -> None:
        self._running -= 1
        stale = False
        if job.key is not None:
            with self._lock:
                self._inflight.pop(job.key, None)
                follow = self._pending.pop(job.key, None)
                if follow is not None:
                    self._inflight[job.key] = follow
            if follow is not None:
                stale = True  # a newer request is waiting: this answer is out of date
                self._start(follow)
        job.task.done = True
        self._live_long.discard(job.task)
        if self._running == 0:
            self.busy_changed.emit(False)
        if stale or self._closed:
            return
        if error is None:
            job.task.finished.emit(result)
            if job.on_done is not None:
                job.on_done(result)
            return
        job.task.failed.emit(error)
        if isinstance(error, KbError):
            if job.on_error is not None:
                job.on_error(error)
            else:
                self.user_error.emit(str(error))
            return
        self.unexpected.emit(error, getattr(error, "__tactful_traceback__", repr(error)))

    # -- shutting down ---------------------------------------------------------------------

    def shutdown(self, *, wait: bool = True) -> None:
        """Cancel long work, let pending writes finish (a last draft save must land), stop."""
        self._closed = True
        with self._lock:
            self._pending.clear()
        for task in list(self._live_long):
            task.cancel()
        for pool in ("long", "read", "write"):
            self._pools[pool].shutdown(wait=wait, cancel_futures=pool != "write")
        if self._gc_timer is not None and wait:  # threads may still run otherwise
            self._gc_timer.stop()
            self._gc_timer = None
            GuiThreadGarbage.release()
