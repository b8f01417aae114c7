"""Reading posting lists fast: whole blocks of (document, weight, positions) at a time.

Scoring through Whoosh's matcher trees costs a few microseconds per posting per
matcher, far too slow for an OR of several common words over 20,000 articles. The
ranker (``kb.search.ranking``) instead accumulates scores term at a time from whole
posting blocks. Whoosh 2.7's W3 codec decodes a block into ``_ids``/``_weights``/
``_values`` arrays; this module reads those directly and falls back to the public
matcher API (one posting at a time) for any other matcher type. It is the only place
that touches Whoosh internals; ``tests/test_search_engine.py`` checks both paths agree.

Looking documents up skips blocks by their headers and bisects the decoded ones
(Whoosh's ``skip_to`` walks a block one posting at a time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from bisect import bisect_left
from itertools import accumulate
from typing import Any

FIELD = "content"
POSITIONS_FIELD = "phrases"
SCAN_FACTOR = 4
"""Read a term's whole list when it has fewer than this many postings per wanted document."""


def _unwrap(matcher: Any) -> tuple[Any, Any]:
    """The leaf matcher and the set of deleted documents it should skip (or None)."""
    from whoosh.matching.wrappers import FilterMatcher

    if isinstance(matcher, FilterMatcher) and getattr(matcher, "_exclude", False):
        return matcher.child, matcher._ids
    return matcher, None


def _read_ids(leaf: Any) -> None:
    """``W3LeafMatcher._read_ids`` with the delta decoding done by ``accumulate`` (in C)."""
    if leaf._data is None:
        leaf._read_data()
    ids = leaf._data[0]
    leaf._ids = ids if leaf._byteids else list(accumulate(ids))


def _fast(matcher: Any) -> bool:
    needed = (
        "_read_data", "_read_weights", "_read_values", "_next_block",
        "_data", "_byteids", "_ids", "_weights", "_values",
    )
    return all(hasattr(matcher, a) for a in needed)


class TermCache:
    """Recently read posting lists (document -> weight), shared by one index version's searchers.

    Typing a query repeats its words on every keystroke, and a rep's searches share
    their common words ("exchange", "error"): reading a list of thousands of postings
    again costs milliseconds of Python each time. Bounded by postings held, not terms
    (``budget``: about 24 MB).
    """

    def __init__(self, budget: int = 1_500_000) -> None:
        self.budget = budget
        self.held = 0
        self._lists: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, term: str) -> Any:
        with self._lock:
            found = self._lists.get(term)
            if found is not None:
                self._lists.move_to_end(term)
            return found

    def put(self, term: str, weights: Any) -> None:
        """Keep ``weights`` (a dict, or a pair of arrays) for ``term``."""
        size = _size(weights)
        if size > self.budget // 4:
            return
        with self._lock:
            if term in self._lists:
                return
            self._lists[term] = weights
            self.held += size
            while self.held > self.budget and self._lists:
                _, dropped = self._lists.popitem(last=False)
                self.held -= _size(dropped)


def _leaf_postings(leaves: list[tuple[Any, int]], offset: int, field: str, term: str) -> Any:
    for leaf, start in leaves:
        if start == offset:
            return leaf.postings(field, term)
    return None


def _size(weights: Any) -> int:
    """About what an entry holds, in array postings (16 bytes each; a dict entry is ~6 times that)."""
    return len(weights[0]) if isinstance(weights, tuple) else 6 * len(weights)


class Postings:
    """Posting lists of the ``content`` field across every segment of one reader."""

    def __init__(self, reader: Any, fast: bool = True, cache: TermCache | None = None) -> None:
        self.reader = reader
        self.leaves = list(reader.leaf_readers())
        self.fast = fast
        self.cache = cache
        self._decode_positions = reader.schema[POSITIONS_FIELD].format.decode_positions

    def _read_all(self, term: str) -> dict[int, float]:
        """Every live document of ``term`` with its weight (from the cache when it can)."""
        cache = self.cache
        found = cache.get(term) if cache is not None else None
        if found is None:
            found = {}
            for ids, weights in self._blocks(term):
                found.update(zip(ids, weights))
            if cache is not None:
                cache.put(term, found)
        return found

    def _leaf_matchers(self, term: str, field: str = FIELD) -> Iterator[tuple[Any, int, int | None]]:
        ends = [offset for _, offset in self.leaves[1:]] + [None]
        for (leaf, offset), end in zip(self.leaves, ends):
            if (field, term) in leaf:
                yield leaf.postings(field, term), offset, end

    def _raw_blocks(
        self, term: str, values: bool, field: str = FIELD
    ) -> Iterator[tuple[Sequence[int], Sequence[float], Any, int, Any]]:
        """(local ids, weights, values or None, offset, deleted) per block, in document order."""
        for matcher, offset, _ in self._leaf_matchers(term, field):
            leaf, deleted = _unwrap(matcher)
            if self.fast and _fast(leaf):
                while leaf.is_active():
                    if leaf._ids is None:
                        _read_ids(leaf)
                    if leaf._weights is None:
                        leaf._read_weights()
                    if values and leaf._values is None:
                        leaf._read_values()
                    yield leaf._ids, leaf._weights, leaf._values if values else None, offset, deleted
                    leaf._next_block()
            else:
                ids, weights, vals = [], [], []
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    if values:
                        vals.append(matcher.value())
                    matcher.next()
                yield ids, weights, vals if values else None, offset, None

    def arrays(self, term: str) -> tuple[Any, Any]:
        """(document numbers, weights) of ``term`` as numpy arrays (cached like ``_read_all``)."""
        import numpy as np

        key = "\x00" + term
        cache = self.cache
        found = cache.get(key) if cache is not None else None
        if found is None:
            ids: list[int] = []
            weights: list[float] = []
            for block_ids, block_weights in self._blocks(term):
                ids.extend(block_ids)
                weights.extend(block_weights)
            found = (np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=float))
            if cache is not None:
                cache.put(key, found)
        return found

    def blocks(self, term: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """(document numbers, weights) for ``term``, a block at a time, in document order."""
        if self.cache is None:
            yield from self._blocks(term)
            return
        found = self._read_all(term)
        yield list(found), list(found.values())

    def _blocks(self, term: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        for ids, weights, _, offset, deleted in self._raw_blocks(term, values=False):
            if offset or deleted:
                pairs = [(d + offset, w) for d, w in zip(ids, weights) if not deleted or d not in deleted]
                yield [p[0] for p in pairs], [p[1] for p in pairs]
            else:
                yield ids, weights

    def docs(self, term: str) -> list[int]:
        """Every document containing ``term``, in order."""
        out: list[int] = []
        for ids, _ in self.blocks(term):
            out.extend(ids)
        return out

    def _lookup(self, term: str, wanted: Collection[int], field: str, values: bool) -> dict[int, Any]:
        """Weight (or raw value) of ``term`` for each of ``wanted`` that contains it.

        Blocks with none of the wanted documents are skipped on their header alone;
        a block with some is decoded once and searched by bisection.
        """
        found: dict[int, Any] = {}
        if self.reader.doc_frequency(field, term) < SCAN_FACTOR * len(wanted):
            return self._scan(term, wanted, field, values)
        ordered = sorted(wanted)
        for matcher, offset, end in self._leaf_matchers(term, field):
            local = [d - offset for d in ordered if d >= offset and (end is None or d < end)]
            if not local:
                continue
            leaf, deleted = _unwrap(matcher)
            if not (self.fast and _fast(leaf)):
                for docnum in local:
                    if not matcher.is_active():
                        break
                    matcher.skip_to(docnum)
                    if matcher.is_active() and matcher.id() == docnum:
                        found[docnum + offset] = matcher.value() if values else matcher.weight()
                continue
            skips = self._skip_list(leaf, matcher, field, term, offset)
            maxids = skips[0] if skips is not None else None
            i = 0
            while leaf.is_active() and i < len(local):
                if leaf._maxid < local[i]:
                    if maxids is None:
                        leaf._next_block()
                        continue
                    k = bisect_left(maxids, local[i])
                    if k == len(maxids):
                        break
                    leaf._goto(skips[1][k])
                if leaf._ids is None:
                    _read_ids(leaf)
                if values:
                    if leaf._values is None:
                        leaf._read_values()
                    column = leaf._values
                else:
                    if leaf._weights is None:
                        leaf._read_weights()
                    column = leaf._weights
                ids = leaf._ids
                top = leaf._maxid
                while i < len(local) and local[i] <= top:
                    target = local[i]
                    j = bisect_left(ids, target)
                    if j < len(ids) and ids[j] == target and not (deleted and target in deleted):
                        found[target + offset] = column[j]
                    i += 1
                leaf._next_block()
        return found

    def _skip_list(self, leaf: Any, matcher: Any, field: str, term: str, offset: int) -> Any:
        """(last document, file offset) of every block of ``term`` in one segment, cached.

        Whoosh finds a block by reading every header before it; with this list a
        look-up goes straight to the block holding the wanted document. Only with a
        cache (the list costs one walk over the headers) and a fresh matcher.
        """
        cache = self.cache
        if cache is None or not hasattr(leaf, "_baseoffset") or not hasattr(leaf, "_goto"):
            return None
        key = f"\x01{field}\x00{offset}\x00{term}"
        found = cache.get(key)
        if found is None:
            maxids: list[int] = []
            offsets: list[int] = []
            position = leaf._baseoffset
            if leaf._maxid is None:
                return None
            # Walk a second matcher so the caller's stays on its first block.
            fresh = _leaf_postings(self.leaves, offset, field, term)
            probe = _unwrap(fresh)[0] if fresh is not None else None
            if probe is None or not _fast(probe):
                return None
            while True:
                maxids.append(probe._maxid)
                offsets.append(position)
                if probe._lastblock:
                    break
                position = probe._nextoffset
                probe._goto(position)
            found = (maxids, offsets)
            cache.put(key, found)
        return found

    def _scan(self, term: str, wanted: Collection[int], field: str, values: bool) -> dict[int, Any]:
        """``_lookup`` for a term with fewer postings than documents wanted: read them all."""
        wanted_set = wanted if isinstance(wanted, (set, frozenset, dict)) else set(wanted)
        found: dict[int, Any] = {}
        for ids, weights, vals, offset, deleted in self._raw_blocks(term, values, field):
            column = vals if values else weights
            for d, v in zip(ids, column):
                g = d + offset
                if g in wanted_set and not (deleted and d in deleted):
                    found[g] = v
        return found

    def weights_for(self, term: str, wanted: Collection[int]) -> dict[int, float]:
        """The posting weight of ``term`` in each of ``wanted`` that contains it."""
        if not wanted:
            return {}
        cache = self.cache
        if cache is not None:
            found = cache.get(term)
            if found is None and self.reader.doc_frequency(FIELD, term) < SCAN_FACTOR * len(wanted):
                found = self._read_all(term)
            if found is not None:
                if len(wanted) < len(found):
                    return {d: found[d] for d in wanted if d in found}
                wanted_set = wanted if isinstance(wanted, (set, frozenset, dict)) else set(wanted)
                return {d: w for d, w in found.items() if d in wanted_set}
        return self._lookup(term, wanted, FIELD, values=False)

    def positions(self, term: str, wanted: Collection[int]) -> dict[int, list[int]]:
        """Word positions of ``term`` in each of ``wanted`` that contains it."""
        if not wanted:
            return {}
        decode = self._decode_positions
        raw = self._lookup(term, wanted, POSITIONS_FIELD, values=True)
        return {d: decode(v) for d, v in raw.items()}
