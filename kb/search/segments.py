"""Per-segment data the ranker needs on every query, read once per segment.

Lengths, status sets, the vocabulary for typo corrections and the titles
(``kb.search.corrections``).

Whoosh segments never change once written; an update adds a small segment (and marks
replaced documents deleted). Article lengths and the documents of each status are
therefore cached per segment, so the first search after an update reads only the new
segment instead of all 20,000 articles again (which cost ~200 ms).
"""

from __future__ import annotations

import sys
import threading
from array import array
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_SEGMENTS = 64


class SegmentCache:
    """Lengths and status sets keyed by segment id; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, dict[str, Any]] = {}

    def _entry(self, leaf: Any) -> dict[str, Any]:
        key = _segment_key(leaf)
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                if len(self._data) >= MAX_SEGMENTS:
                    self._data.clear()
                entry = self._data[key] = {}
            return entry

    def _each(self, leaf: Any, name: str, read: Callable[[Any], T]) -> T:
        """``read(leaf)``, computed once per segment and kept under ``name``."""
        entry = self._entry(leaf)
        found = entry.get(name)
        if found is None:
            found = entry[name] = read(leaf)
        return found

    def lengths(self, reader: Any) -> list[int]:
        """Article length (``dl``) by global document number, deleted documents included."""
        out: list[int] = []
        for leaf, _ in reader.leaf_readers():
            out.extend(self._each(leaf, "dl", _read_lengths))
        return out

    def words(self, reader: Any) -> Any:
        """The typo-correction index of ``reader``: its segments' vocabularies together."""
        from kb.search.corrections import Corrector, SegmentWords

        return Corrector([self._each(leaf, "words", SegmentWords.read) for leaf, _ in reader.leaf_readers()])

    def titles(self, reader: Any) -> Any:
        """Every article's title, for matching the query's words in order (``Titles``)."""
        from kb.search.corrections import SegmentTitles, Titles

        parts = []
        for leaf, offset in reader.leaf_readers():
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
            parts.append((self._each(leaf, "titles", SegmentTitles.read), offset, deleted))
        return Titles(parts)

    def with_status(self, reader: Any, statuses: Iterable[str]) -> set[int]:
        """Live documents whose status is one of ``statuses`` (global numbers)."""
        wanted = set(statuses)
        out: set[int] = set()
        for leaf, offset in reader.leaf_readers():
            entry = self._entry(leaf)
            by_status = entry.get("status")
            if by_status is None:
                by_status = entry["status"] = _read_statuses(leaf)
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else None
            for status in wanted:
                for d in by_status.get(status, ()):
                    if not deleted or d not in deleted:
                        out.add(d + offset)
        return out


def _segment_key(leaf: Any) -> str:
    return str(leaf.segment().segment_id())  # random per segment, unique across copies


def _read_lengths(leaf: Any) -> list[int]:
    count = leaf.doc_count_all()
    if not leaf.has_column("dl"):
        return [0] * count
    column = leaf.column_reader("dl", translate=False)
    needed = ("_dbfile", "_basepos", "_count", "_fixedlen")
    if all(hasattr(column, a) for a in needed) and column._fixedlen == 4:
        values = array("I")
        values.frombytes(column._dbfile.get(column._basepos, column._count * 4))
        if sys.byteorder == "little":  # the column is written in network order
            values.byteswap()
        out = values.tolist()
        return out + [0] * (count - len(out))
    return [int(v) for v in leaf.column_reader("dl")]


def _read_statuses(leaf: Any) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for term in leaf.lexicon("status"):
        status = term.decode("utf-8") if isinstance(term, bytes) else term
        matcher = leaf.postings("status", term)
        out[status] = list(matcher.all_ids())
    return out
