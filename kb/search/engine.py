"""``SearchIndex``: the Whoosh engine behind one small interface.

Threads: any number of threads may call ``search``/``suggest``/``state``/``hashes``
while one writes (``update``/``rebuild``). Whoosh searchers are not safe to share
(their readers seek shared file objects), so each search borrows one from a small
pool; a write or a newer copy on disk retires the pooled ones, and the next search
opens a fresh searcher that sees the new content.

Processes: writers take ``write.lock`` with a timeout and raise ``IndexBusy`` (never
Whoosh's ``LockError``); readers never lock. See ``kb.search.store`` for the layout.

Damage: ``state()`` returns None for a missing, unreadable, corrupt or old-format
index so the facade rebuilds it. A search that trips over a damaged index logs the
error, returns no hits and marks the index ``damaged`` (``state()`` is then None).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from kb.errors import IndexBusy
from kb.models import Hit, SearchResults
from kb.progress import CancelToken, ProgressCallback, report
from kb.search import highlight
from kb.search.analysis import terms as analyse_terms
from kb.search.docs import IndexDoc, IndexState
from kb.search.querybuild import build
from kb.search.querytext import ParsedQuery, parse_query
from kb.search.ranking import Ranker
from kb.search.schema import SPECIAL_SLUGS, build_schema, document_fields, state_fields, vocab_fields
from kb.search.segments import SegmentCache
from kb.search.session import IndexCopy, Session, read_kb_id, read_state
from kb.search.store import IndexFolder
from kb.search.synonyms import Synonyms

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_IDLE_SEARCHERS = 4
BULK_UPDATE = 50
"""From this many articles on, ``update`` loads the vocabulary once instead of probing it."""


class SearchIndex:
    """Full-text search over articles, kept in ``index_dir`` (see the module docstring)."""

    def __init__(
        self,
        index_dir: Path,
        *,
        synonyms_path: Path | None = None,
        writer_timeout: float = 10.0,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.writer_timeout = writer_timeout
        self.synonyms = Synonyms.load(synonyms_path, analyse_terms)
        self._folder = IndexFolder(self.index_dir)
        self._schema = build_schema()
        self._lock = threading.Lock()
        self._copy: IndexCopy | None = None
        self._idle: list[Session] = []
        self._version = 0
        self._segments = SegmentCache()
        self.damaged = False
        """True after a search met an unreadable index; ``state()`` is None until a rebuild."""

    # -- searchers ---------------------------------------------------------------------

    def _open_copy(self, name: str) -> IndexCopy:
        with self._lock:
            if self._copy is not None and self._copy.name == name:
                return self._copy
        copy = IndexCopy(name, self._folder.path(name), self._schema)
        with self._lock:
            if self._copy is None or self._copy.name != name:
                self._copy = copy
                self._retire_locked()
            return self._copy

    def _retire_locked(self) -> None:
        self._version += 1
        idle, self._idle = self._idle, []
        for session in idle:
            session.close()

    def _retire(self) -> None:
        with self._lock:
            self._retire_locked()

    def _borrow(self) -> Session | None:
        name = self._folder.live_name()
        if name is None:
            return None
        session = None
        with self._lock:
            while self._idle:
                candidate = self._idle.pop()
                if candidate.copy.name == name and candidate.version == self._version:
                    session = candidate
                    break
                candidate.close()
        if session is not None:
            if session.up_to_date():
                return session
            session.close()
        copy = self._open_copy(name)
        with self._lock:
            version = self._version
        return Session(copy, version, self._segments)

    def _give_back(self, session: Session) -> None:
        with self._lock:
            if session.version == self._version and len(self._idle) < MAX_IDLE_SEARCHERS:
                self._idle.append(session)
                return
        session.close()

    @contextlib.contextmanager
    def _session(self) -> Iterator[Session | None]:
        session = self._borrow()
        try:
            yield session
        finally:
            if session is not None:
                self._give_back(session)

    def _give_up(self) -> None:
        """Drop the damaged copy and close every file it had open."""
        with self._lock:
            copy, self._copy = self._copy, None
            self._retire_locked()
        if copy is not None:
            copy.storage.close_all()

    def close(self) -> None:
        """Release open files. The object stays usable (the next call reopens)."""
        with self._lock:
            self._retire_locked()
            self._copy = None

    # -- state -------------------------------------------------------------------------

    def _read(self, action: Callable[[Session], T], empty: T, what: str) -> T:
        """``action`` on a borrowed searcher; an unreadable index gives ``empty``.

        Whoosh fails in many ways on damaged files; every one of them means "rebuild":
        the failure is logged, ``damaged`` is set (so ``state()`` is None) and the
        caller gets ``empty``. A failure while another process swapped in a new copy
        is not damage: the read is retried on the new copy.
        """
        for _attempt in range(2):
            name = self._folder.live_name()
            try:
                with self._session() as session:
                    if session is None:
                        return empty
                    return action(session)
            except Exception:
                details = traceback.format_exc()
                if self._folder.live_name() != name:
                    self._retire()
                    continue
                if what == "state":
                    log.warning("search index at %s is unusable; it will be rebuilt: %s",
                                self.index_dir, details)
                else:
                    log.error("%s failed on the index at %s; it will be rebuilt:\n%s",
                              what, self.index_dir, details)
                self.damaged = True
                self._give_up()
                break
        return empty

    def state(self) -> IndexState | None:
        """What the index reflects; None when missing, unreadable, corrupt or an old format."""
        if self.damaged:
            return None
        return self._read(read_state, None, "state")

    def hashes(self) -> dict[str, str]:
        """slug -> content hash of every article in the index ({} when there is none)."""

        def collect(session: Session) -> dict[str, str]:
            out = {}
            for stored in session.reader.all_stored_fields():
                slug = stored.get("slug")
                if slug and slug not in SPECIAL_SLUGS:
                    out[slug] = stored.get("content_hash") or ""
            return out

        return self._read(collect, {}, "reading hashes")

    # -- writing -----------------------------------------------------------------------

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        *,
        total: int,
        generation: int,
        kb_id: str,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Build a complete new index and make it live; cancelling leaves the old one as it was."""
        from whoosh.filedb.filestore import FileStorage

        with self._folder.write_lock(self.writer_timeout):
            name = self._folder.new_name()
            path = self._folder.path(name)
            path.mkdir(parents=True)
            try:
                index = FileStorage(str(path)).create_index(self._schema)
                writer = index.writer(codec=_codec(), compound=False)
                try:
                    vocabulary = _write_all(writer, docs, total, progress, cancel)
                    writer.add_document(**vocab_fields(vocabulary))
                    writer.add_document(**state_fields(generation, kb_id))
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    report(progress, total, total, "Saving the search index")
                    writer.commit()
                except BaseException:
                    writer.cancel()
                    raise
                finally:
                    index.close()
                self._folder.point_to(name)
            except BaseException:
                self._folder.remove_stale(keep=self._folder.live_name())
                raise
            self.damaged = False
            self._retire()
            self._folder.remove_stale(keep=name)
        report(progress, total, total, "Search index ready")

    def update(
        self, docs: Iterable[IndexDoc] = (), *, delete: Iterable[str] = (), generation: int
    ) -> None:
        """Add or replace ``docs`` and remove ``delete`` by slug; record ``generation``.

        Searchable as soon as this returns. With no usable index there is nothing to
        update: the call does nothing and ``state()`` stays None, so the facade rebuilds.
        """
        from whoosh.index import LockError

        with self._folder.write_lock(self.writer_timeout):
            name = self._folder.live_name()
            if name is None or self.state() is None:
                log.info("no usable search index to update; it will be rebuilt")
                return
            copy = self._open_copy(name)
            try:
                writer = copy.index.writer(timeout=self.writer_timeout, codec=_codec(), compound=False)
            except LockError as err:  # only a process that is not Tactful could hold it
                raise IndexBusy(
                    "The search index is locked by another program; close it and try again."
                ) from err
            try:
                with writer.searcher() as current:
                    kb_id = read_kb_id(current)
                    known = _KnownWords(current.reader())
                    for slug in delete:
                        writer.delete_by_term("slug", slug)
                    for done, doc in enumerate(docs):
                        if done == BULK_UPDATE:
                            known.load_all()
                        words: dict[str, int] = {}
                        values = document_fields(doc, words)
                        # Words the vocabulary lacks travel with the first article using them.
                        fresh = known.add_new(words)
                        if fresh:
                            values["words"] = fresh
                        writer.update_document(**values)
                writer.update_document(**state_fields(generation, kb_id))
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            self._retire()

    # -- searching ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        tags: Sequence[str] = (),
        statuses: Sequence[str] | None = ("vetted",),
        highlight: bool = True,
    ) -> SearchResults:
        """The best ``limit`` articles for ``query``, best first; any text is a valid query.

        Only "double quotes" are syntax (a phrase every hit must contain); everything
        else is plain words, the last one matched as a prefix while it is being typed
        (``kb.search.querytext``). ``tags``: every tag given must be on the article,
        ignoring case. ``statuses``: None for all. ``total`` is how many articles
        matched; for large result sets it counts those the ranker looked at, which can
        be fewer. Highlights are HTML-safe (``kb.search.highlight``).
        """
        parsed = parse_query(query)
        if parsed.is_empty or limit < 1:
            return SearchResults()
        return self._read(
            lambda session: self._search(session, parsed, limit, tags, statuses, highlight),
            SearchResults(),
            "search",
        )

    def _plan(self, session: Session, parsed: ParsedQuery) -> tuple[Ranker, Any]:
        ranker = session.ranker()
        return ranker, build(parsed, ranker, session.vocabulary(ranker), self.synonyms)

    def _search(
        self,
        session: Session,
        parsed: ParsedQuery,
        limit: int,
        tags: Sequence[str],
        statuses: Sequence[str] | None,
        want_highlights: bool,
    ) -> SearchResults:
        ranker, plan = self._plan(session, parsed)
        empty = SearchResults(suggestion=plan.suggestion, fuzzy=plan.fuzzy)
        if plan.impossible or not plan.clauses:
            return empty
        allowed = session.filter_docs(tags, statuses)
        if allowed is not None and not allowed:
            return empty
        top, total, complete = ranker.rank(plan.clauses, allowed=allowed, limit=limit, pairs=plan.pairs)
        matcher = highlight.TermMatcher(plan.highlight_terms) if want_highlights else None
        hits = []
        for docnum, score in top:
            stored = session.reader.stored_fields(docnum)
            if stored.get("slug") in SPECIAL_SLUGS:
                continue
            hit = Hit(
                slug=stored.get("slug", ""),
                title=stored.get("title", ""),
                score=float(score),
                summary=stored.get("summary", ""),
                tags=list(stored.get("tag_list") or []),
                status=stored.get("status", ""),
            )
            if matcher is not None:
                hit.highlights = _highlights(session.text(docnum), hit.summary, matcher)
            hits.append(hit)
        return SearchResults(
            hits=hits, total=total, complete=complete, suggestion=plan.suggestion, fuzzy=plan.fuzzy
        )

    def warm_up(self) -> None:
        """Read what the first search would (statistics, vocabulary, titles), off the GUI thread."""

        def load(session: Session) -> None:
            vocab = session.vocabulary(session.ranker())
            vocab.corrector()
            vocab.titles()

        self._read(load, None, "warming up")

    def suggest(self, query: str) -> str | None:
        """A "did you mean" for ``query`` from the index's own vocabulary, if one helps."""
        parsed = parse_query(query)
        if parsed.is_empty:
            return None
        return self._read(lambda session: self._plan(session, parsed)[1].suggestion, None, "suggest")


def _codec() -> Any:
    from kb.search.codec import TactfulCodec

    return TactfulCodec()


def _highlights(text: str, summary: str, matcher: highlight.TermMatcher) -> list[str]:
    found = highlight.excerpts(text, matcher)
    if found:
        return found
    if summary and matcher.spans(summary):
        return [highlight.marked(summary, matcher)]
    opening = highlight.opening(text)
    return [opening] if opening else []


class _KnownWords:
    """The index's vocabulary as seen by one update, plus the words it adds."""

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.words: set[str] | None = None
        self.added: set[str] = set()

    def load_all(self) -> None:
        self.words = {
            t.decode("utf-8") if isinstance(t, bytes) else t
            for name in ("vocab", "words")
            for t in self.reader.lexicon(name)
        }

    def add_new(self, words: dict[str, int]) -> dict[str, int]:
        reader, known, added = self.reader, self.words, self.added
        fresh = {}
        for word in words:
            if word in added:
                continue
            if known is not None:
                new = word not in known
            else:
                new = ("vocab", word) not in reader and ("words", word) not in reader
            if new:
                fresh[word] = 1
                added.add(word)
        return fresh


def _write_all(
    writer: Any,
    docs: Iterable[IndexDoc],
    total: int,
    progress: ProgressCallback | None,
    cancel: CancelToken | None,
) -> dict[str, int]:
    """Add every article; return the vocabulary (word -> number of articles using it)."""
    step = max(1, total // 100)
    report(progress, 0, total, "Indexing articles")
    vocabulary: dict[str, int] = {}
    done = 0
    for doc in docs:
        if cancel is not None:
            cancel.raise_if_cancelled()
        words: dict[str, int] = {}
        writer.add_document(**document_fields(doc, words))
        for word in words:
            vocabulary[word] = vocabulary.get(word, 0) + 1
        done += 1
        if done % step == 0:
            report(progress, min(done, total), total, "Indexing articles")
    return vocabulary


