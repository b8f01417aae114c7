"""The index folder on disk: which copy is live, the writers' lock, opening safely.

Layout of ``index_dir``::

    CURRENT        the name of the live copy, replaced atomically by a rebuild
    write.lock     held (OS file lock) by whichever process is writing
    ix-<id>/       a complete Whoosh index; normally just the live one

A rebuild writes a new ``ix-<id>`` folder and then points ``CURRENT`` at it, so the
old copy stays whole until the new one is complete: cancelling or crashing midway
changes nothing, and other processes keep reading the copy they opened. Whoosh's own
write lock raises ``LockError`` at once when taken; ``write.lock`` is taken with a
timeout instead, across processes, and its expiry becomes ``IndexBusy``.

Whoosh index files contain pickles, so only folders named by our own ``CURRENT`` are
ever opened, and ``CURRENT`` can only name a direct child of ``index_dir``.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import threading
import time
import uuid
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from kb.errors import IndexBusy

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
LOCK = "write.lock"
_COPY_NAME = re.compile(r"^ix-[0-9a-f]{8,32}$")

BUSY_MESSAGE = (
    "Another Tactful window is updating the search index; try again when it has finished "
    "(searching still works)."
)


class IndexFolder:
    """Paths and atomic pointer switching for one index folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._thread_lock = threading.Lock()

    def live_name(self) -> str | None:
        """The live copy's folder name, or None when there is none (or ``CURRENT`` is bad)."""
        try:
            name = (self.root / CURRENT).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        if not _COPY_NAME.match(name):
            return None
        return name

    def path(self, name: str) -> Path:
        return self.root / name

    def new_name(self) -> str:
        return f"ix-{uuid.uuid4().hex[:16]}"

    def point_to(self, name: str) -> None:
        """Make ``name`` the live copy, atomically."""
        tmp = self.root / f"{CURRENT}.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(name + "\n", encoding="ascii")
        for attempt in range(20):
            try:
                os.replace(tmp, self.root / CURRENT)
                return
            except PermissionError:  # Windows: a reader has CURRENT open right now
                if attempt == 19:
                    raise
                time.sleep(0.05)

    def remove_stale(self, keep: str | None) -> None:
        """Delete copies other than ``keep`` (old or abandoned builds); best effort."""
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return
        for entry in entries:
            if entry.name == keep:
                continue
            if _COPY_NAME.match(entry.name) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            elif entry.name.startswith(f"{CURRENT}.") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    entry.unlink()

    @contextlib.contextmanager
    def write_lock(self, timeout: float) -> Iterator[None]:
        """Hold the writers' lock (threads of this process, then other processes)."""
        from whoosh.util.filelock import FileLock

        deadline = time.monotonic() + max(0.0, timeout)
        got = (
            self._thread_lock.acquire(timeout=timeout)
            if timeout > 0
            else self._thread_lock.acquire(blocking=False)
        )
        if not got:
            raise IndexBusy(BUSY_MESSAGE)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.root / LOCK))
            delay = 0.02
            while not lock.acquire():
                if time.monotonic() >= deadline:
                    raise IndexBusy(BUSY_MESSAGE)
                time.sleep(delay)
                delay = min(0.2, delay * 1.5)
            try:
                yield
            finally:
                lock.release()
        finally:
            self._thread_lock.release()


class _IndexFile(io.BufferedReader):
    """An index file that closes itself quietly if Whoosh drops it unclosed.

    Whoosh leaks the files it was reading when it fails on a damaged index (and its
    reader retries ten times, leaking one each time); they would otherwise surface as
    ResourceWarnings at some later garbage collection, far from the cause.
    """

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class TrackingStorage(FileStorage):  # type: ignore[misc]
    """A Whoosh ``FileStorage`` that can close every file it opened for reading.

    ``close_all()`` closes them at once when a damaged index is given up, rather than
    whenever the garbage collector gets to them (Windows will not delete open files).
    """

    def __init__(self, path: str) -> None:
        # No mmap: Whoosh wraps every mmap'd sub-file in a BytesIO, which copies it,
        # so each new searcher copied the whole index into memory (hundreds of MB and
        # ~150 ms at 20,000 articles). Plain reads cost a system call per block instead.
        super().__init__(path, supports_mmap=False)
        self._opened: weakref.WeakSet[Any] = weakref.WeakSet()

    def open_file(self, name: str, **kwargs: Any) -> Any:
        raw = _IndexFile(io.FileIO(self._fpath(name), "rb"))
        self._opened.add(raw)
        return StructFile(raw, name=name, **kwargs)

    def close_all(self) -> None:
        for handle in list(self._opened):
            with contextlib.suppress(Exception):
                handle.close()
