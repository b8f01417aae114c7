"""A cache of compiled rule regexes, kept between runs the way Python keeps ``.pyc`` files.

Compiling the rules' regular expressions (about 90,000 characters of them) is nearly all
of the checker's load time, and it gives the same result every time for the same pattern
on the same Python. So the compiled form is written to one file in the data folder
(``cache/compiled-rules-<python tag>.bin``) and read back on the next start: a pattern
whose text and flags match an entry is rebuilt from it in microseconds; any other
pattern (a new or edited rule) is compiled as usual and added.

The compiled form is CPython's own regex code, built with the ``re`` module's internal
parser and compiler. Those are private, so every step is guarded: the file carries the
Python version and the regex engine's version and is ignored when either differs, a
file that is unreadable or has the wrong shape is ignored, the engine validates the
code it is given, and if anything at all goes wrong the pattern is compiled the normal
way. The cache can only make loading faster, never change what a rule matches.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

try:  # CPython only; anywhere else every pattern is simply compiled
    import _sre
    from re import _compiler, _parser

    _ENGINE: tuple[Any, ...] | None = (sys.implementation.cache_tag, sys.version, _sre.MAGIC, _sre.CODESIZE)
except (ImportError, AttributeError):  # pragma: no cover - other Pythons
    _ENGINE = None

FORMAT = 1
MAX_FILE_BYTES = 32 * 1024 * 1024
"""Larger than any rule set makes (the bundled rules write about 1 MB); a bigger file is ignored."""

_Entry = tuple[int, list[int], int, dict[str, int], tuple[Any, ...]]


def file_name() -> str:
    """The cache file's name for this Python, so two Pythons sharing a folder never clash."""
    tag = sys.implementation.cache_tag or "python"
    return f"compiled-rules-{tag}.bin"


def _key(source: str, flags: int) -> bytes:
    return hashlib.blake2b(f"{flags}\0{source}".encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _valid_entry(entry: Any) -> bool:
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and isinstance(entry[0], int)
        and isinstance(entry[1], list)
        and isinstance(entry[2], int)
        and isinstance(entry[3], dict)
        and isinstance(entry[4], tuple)
    )


class CompiledCache:
    """Compiled patterns by the hash of their text and flags; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._stored: dict[bytes, _Entry] = {}
        self._used: dict[bytes, _Entry] = {}
        self._added = False
        self.hits = 0
        self.misses = 0

    def use_file(self, path: str | os.PathLike[str] | None) -> None:
        """Read compiled patterns from ``path`` (missing, foreign or damaged files are ignored)
        and write new ones back there on ``save()``. ``None`` keeps the cache in memory."""
        with self._lock:
            new_path = Path(path) if path is not None else None
            if new_path == self._path:
                return
            self._path = new_path
            self._stored = self._read(new_path) if new_path is not None else {}
            self._added = False

    @staticmethod
    def _read(path: Path) -> dict[bytes, _Entry]:
        if _ENGINE is None:
            return {}
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return {}
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not (isinstance(data, tuple) and len(data) == 3 and data[0] == FORMAT and data[1] == _ENGINE):
            return {}
        entries = data[2]
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, bytes) and _valid_entry(v)}

    def compile(self, source: str, flags: int = 0) -> re.Pattern[str]:
        """``re.compile(source, flags)``, from the cache when it holds this pattern."""
        if _ENGINE is None:
            return re.compile(source, flags)
        flags = int(flags)
        key = _key(source, flags)
        with self._lock:
            entry = self._used.get(key) or self._stored.get(key)
        if entry is not None:
            try:
                regex = _sre.compile(source, *entry)
            except Exception:  # a damaged entry: compile it afresh below
                regex = None
            if regex is not None and regex.pattern == source:
                with self._lock:
                    self._used[key] = entry
                    self.hits += 1
                return regex
        try:
            parsed = _parser.parse(source, flags)
            code = _compiler._code(parsed, flags)
            groupindex = dict(parsed.state.groupdict)
            indexgroup: list[str | None] = [None] * parsed.state.groups
            for name, number in groupindex.items():
                indexgroup[number] = name
            entry = (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex, tuple(indexgroup))
            regex = _sre.compile(source, *entry)
        except re.error:
            raise
        except Exception:  # the private API changed shape: behave exactly like re
            return re.compile(source, flags)
        with self._lock:
            self._used[key] = entry
            self._added = True
            self.misses += 1
        return regex

    def save(self) -> bool:
        """Write the patterns used by this process, if any were compiled afresh. Never
        raises: a read-only or full disk only means the next start compiles again."""
        with self._lock:
            if self._path is None or not self._added or _ENGINE is None:
                return False
            blob = marshal.dumps((FORMAT, _ENGINE, dict(self._used)))
            path = self._path
            self._added = False
        try:
            path.parent.mkdir(exist_ok=True)  # inside the data folder; never creates the folder itself
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(blob)
                os.replace(tmp, path)
            except BaseException:
                os.unlink(tmp)
                raise
            _remove_leftovers(path)
        except OSError:
            return False
        with self._lock:
            self._stored = dict(self._used)
        return True


def _remove_leftovers(path: Path) -> None:
    """Half-written files from a process killed while saving (more than an hour old)."""
    import time

    for leftover in path.parent.glob(path.name + ".*.tmp"):
        try:
            if time.time() - leftover.stat().st_mtime > 3600:
                leftover.unlink()
        except OSError:
            pass


CACHE = CompiledCache()
"""The process's one cache: ``kb.lint.patterns`` compiles through it."""
