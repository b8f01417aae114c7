"""One open copy of the index and the searchers borrowed from it.

``IndexCopy`` is the folder ``CURRENT`` names, opened once; ``Session`` is one Whoosh
searcher with the per-searcher caches a query needs. ``read_state`` and
``check_readable`` decide whether a copy can be used at all.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from kb.search.docs import IndexState
from kb.search.postings import Postings
from kb.search.querybuild import Vocabulary
from kb.search.ranking import Ranker, Stats
from kb.search.schema import SCHEMA_VERSION, SPECIAL_SLUGS, STATE_SLUG, tag_key
from kb.search.segments import SegmentCache
from kb.search.store import TrackingStorage

CACHE_LIMIT = 20_000
"""Entries kept in the per-version cache of term statistics and vocabulary look-ups."""


class IndexCopy:
    """One open index copy (a folder named by CURRENT) and what its searchers share."""

    def __init__(self, name: str, path: Path, schema: Any) -> None:
        self.name = name
        self.storage = TrackingStorage(str(path))
        try:
            self.index = self.storage.open_index(schema=schema)
        except BaseException:
            self.storage.close_all()
            raise
        self.caches: dict[int, dict[Any, Any]] = {}

    def cache_for(self, generation: int) -> dict[Any, Any]:
        cache = self.caches.get(generation)
        if cache is None or len(cache) > CACHE_LIMIT:
            cache = {}
            self.caches = {generation: cache}
        return cache


class Session:
    """A searcher borrowed by one thread, with per-searcher caches."""

    def __init__(self, copy: IndexCopy, version: int, segments: SegmentCache) -> None:
        self.copy = copy
        self.version = version
        self.segments = segments
        self.searcher = copy.index.searcher()
        self.reader = self.searcher.reader()
        self.generation = self.reader.generation()
        self.filters: dict[Any, set[int] | None] = {}
        self._text_column: Any = None
        self._specials: list[int] | None = None

    def specials(self) -> list[int]:
        """Document numbers of the bookkeeping documents."""
        if self._specials is None:
            found = (self.searcher.document_number(slug=s) for s in sorted(SPECIAL_SLUGS))
            self._specials = [d for d in found if d is not None]
        return self._specials

    def article_count(self) -> int:
        return self.reader.doc_count() - len(self.specials())

    def ranker(self) -> Ranker:
        cache = self.copy.cache_for(self.generation)
        stats = cache.get("stats")
        if stats is None:
            lengths = self.segments.lengths(self.reader)
            stats = cache["stats"] = Stats.load(lengths, self.article_count())
        return Ranker(self.reader, stats)

    def vocabulary(self, ranker: Ranker) -> Vocabulary:
        return Vocabulary(self.reader, ranker, self.copy.cache_for(self.generation), self.segments)

    def up_to_date(self) -> bool:
        return bool(self.searcher.up_to_date())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.searcher.close()

    def text(self, docnum: int) -> str:
        if self._text_column is None:
            self._text_column = self.reader.column_reader("text")
        value = self._text_column[docnum]
        return value.decode("utf-8", "replace") if value else ""

    def state_docnum(self) -> int | None:
        return self.searcher.document_number(slug=STATE_SLUG)

    def filter_docs(self, tags: Sequence[str], statuses: Sequence[str] | None) -> set[int] | None:
        """Allowed document numbers, or None when every article is allowed."""
        from whoosh import query as wq

        keys = tuple(sorted({k for k in (tag_key(t) for t in tags) if k}))
        wanted = None if statuses is None else tuple(sorted(set(statuses)))
        cache_key = (keys, wanted)
        if cache_key in self.filters:
            return self.filters[cache_key]
        allowed: set[int] | None = None
        if wanted is not None:
            status_docs = self.segments.with_status(self.reader, wanted)
            if len(status_docs) < self.article_count():
                allowed = status_docs
        for key in keys:
            tag_docs = set(self.searcher.docs_for_query(wq.Term("tag", key)))
            allowed = tag_docs if allowed is None else allowed & tag_docs
        self.filters[cache_key] = allowed
        return allowed


def read_state(session: Session) -> IndexState | None:
    docnum = session.state_docnum()
    if docnum is None:
        return None
    raw = json.loads(session.reader.stored_fields(docnum)["state"])
    if raw.get("schema") != SCHEMA_VERSION:
        return None
    generation, kb_id = raw["generation"], raw["kb_id"]
    if not isinstance(generation, int) or not isinstance(kb_id, str):
        return None
    check_readable(session)
    return IndexState(
        generation=generation,
        kb_id=kb_id,
        schema=SCHEMA_VERSION,
        doc_count=session.article_count(),
    )


def check_readable(session: Session) -> None:
    """Touch every file a search reads, at both ends, so damage shows up here.

    Whoosh never fsyncs (DESIGN.md): after a crash a file can be short or zero-filled.
    This costs a few milliseconds, once per opening; it cannot see every flipped byte,
    and a search that meets one marks the index damaged instead.
    """
    reader = session.reader
    last = reader.doc_count_all() - 1
    for docnum in {0, last}:
        reader.stored_fields(docnum)
        session.text(docnum)
    session.segments.lengths(reader)
    postings = Postings(reader)
    for field in ("content", "phrases"):
        terms = list(islice(reader.lexicon(field), 1))
        terms += [t for t in islice(reader.iter_prefix(field, "z"), 1)]
        for term in terms:
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if field == "content":
                postings.docs(text)
            else:
                postings.positions(text, range(last + 1))


def read_kb_id(searcher: Any) -> str:
    docnum = searcher.document_number(slug=STATE_SLUG)
    if docnum is None:
        return ""
    try:
        return str(json.loads(searcher.stored_fields(docnum)["state"]).get("kb_id", ""))
    except (KeyError, ValueError, TypeError):
        return ""
