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


class Postings:
    """Posting lists of the ``content`` field across every segment of one reader."""

    def __init__(self, reader: Any, fast: bool = True) -> None:
        self.reader = reader
        self.leaves = list(reader.leaf_readers())
        self.fast = fast
        self._decode_positions = reader.schema[POSITIONS_FIELD].format.decode_positions

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

    def blocks(self, term: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """(document numbers, weights) for ``term``, a block at a time, in document order."""
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
            i = 0
            while leaf.is_active() and i < len(local):
                if leaf._maxid < local[i]:
                    leaf._next_block()
                    continue
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
        return self._lookup(term, wanted, FIELD, values=False)

    def positions(self, term: str, wanted: Collection[int]) -> dict[int, list[int]]:
        """Word positions of ``term`` in each of ``wanted`` that contains it."""
        if not wanted:
            return {}
        decode = self._decode_positions
        raw = self._lookup(term, wanted, POSITIONS_FIELD, values=True)
        return {d: decode(v) for d, v in raw.items()}
