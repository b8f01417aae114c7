"""``KnowledgeBase``: the one object the CLI and the GUI talk to.

It owns the data folder's store and search index and keeps the index in step with the
database: the index records the database generation it reflects, and any mismatch
(another process wrote, a crash between the two writes, a deleted or damaged index) is
repaired on the next search by catching up the differences or rebuilding.

Methods are safe to call from worker threads. Store writes are serialised by the store;
index writes by ``_index_lock``; searches run concurrently with both.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb import markdown_io, resources
from kb.errors import Cancelled, IndexBusy, InvalidInput, NotFound
from kb.models import (
    STATUSES,
    Article,
    Changes,
    Finding,
    Hit,
    ImportReport,
    Recipe,
    SearchResults,
    Snippet,
    is_valid_slug,
)
from kb.paths import DataPaths
from kb.progress import CancelToken, ProgressCallback, report
from kb.store import Revision, Store

if TYPE_CHECKING:
    from kb.drafts import Drafts
    from kb.search import IndexDoc, SearchIndex

log = logging.getLogger(__name__)

VETTED: tuple[str, ...] = ("vetted",)


class KnowledgeBase:
    """A knowledge base in one data folder. Build it with ``KnowledgeBase.open()``."""

    def __init__(self, paths: DataPaths, store: Store) -> None:
        self.paths = paths
        self.store = store
        self._index: SearchIndex | None = None
        self._index_lock = threading.RLock()
        self._synced_generation: int | None = None
        self._linter: Any = None
        self._linter_lock = threading.Lock()
        self._slugs: tuple[int, set[str]] | None = None

    # -- life cycle ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        home: str | os.PathLike[str] | None = None,
        *,
        seed: bool = True,
        progress: ProgressCallback | None = None,
    ) -> "KnowledgeBase":
        """Open the knowledge base in ``home`` (see ``kb.paths``), creating and seeding it if new."""
        paths = DataPaths.for_home(home).ensure()
        kb = cls(paths, Store.open(paths.db))
        if seed and kb.store.get_meta("seeded") is None:
            kb.seed_bundled(progress=progress)
        return kb

    @property
    def home(self) -> Path:
        return self.paths.home

    @property
    def kb_id(self) -> str:
        return self.store.kb_id

    def close(self) -> None:
        with self._index_lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        self.store.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def seed_bundled(self, progress: ProgressCallback | None = None) -> Changes:
        """Load the bundled playbook; existing articles and snippets with the same slug are kept."""
        from kb.content import load_bundled

        report(progress, 0, 3, "Loading the bundled playbook")
        content = load_bundled()
        for problem in content.problems:
            log.warning("bundled content: %s", problem)
        have_articles = self.store.slugs()
        have_snippets = {s.slug for s in self.store.snippets()}
        report(progress, 1, 3, "Saving articles and snippets")
        with self.store.write():
            saved = self.store.save_articles(
                (a for a in content.articles if a.slug not in have_articles),
                author="Tactful",
                note="Bundled playbook",
            )
            saved_snippets = self.store.save_snippets(
                (s for s in content.snippets if s.slug not in have_snippets),
                author="Tactful",
                note="Bundled playbook",
            )
            if not self.store.recipes():
                self.store.save_recipes(content.recipes)
            self.store.set_meta("seeded", "1")
        report(progress, 3, 3, "Playbook ready")
        return Changes(
            articles=frozenset(saved.created),
            snippets=frozenset(saved_snippets.created),
            recipes=True,
        )

    # -- articles --------------------------------------------------------------------

    def article(self, slug: str) -> Article:
        found = self.store.article(slug)
        if found is None:
            raise NotFound(f"No article with slug '{slug}'. Try: tactful search {slug.replace('-', ' ')}")
        return found

    def articles(
        self, statuses: Sequence[str] | None = VETTED, tag: str | None = None
    ) -> list[Article]:
        return self.store.articles(statuses, tag)

    def tags(self, statuses: Sequence[str] | None = VETTED) -> list[tuple[str, int]]:
        return self.store.tags(statuses)

    def revisions(self, slug: str, kind: str = "article") -> list[Revision]:
        return self.store.revisions(kind, slug)

    def save_article(self, article: Article, *, author: str = "", note: str = "") -> Changes:
        """Create or update one article; it is searchable as soon as this returns."""
        _validate_article(article)
        # The same normal form an import produces, so a round trip through files is exact.
        article.body = article.body.strip("\n").rstrip()
        article.title = article.title.strip()
        saved = self.store.save_articles([article], author=author, note=note)
        if not (saved.created or saved.updated):
            return Changes()
        self._index_after_write([article], generation=self.store.generation)
        return Changes(articles=frozenset({article.slug}), index=True)

    def slug_exists(self, slug: str) -> bool:
        return slug in self._known_slugs()

    def _known_slugs(self) -> set[str]:
        generation = self.store.generation
        if self._slugs is None or self._slugs[0] != generation:
            self._slugs = (generation, self.store.slugs())
        return self._slugs[1]

    # -- rendering -------------------------------------------------------------------

    def render_markdown(self, markdown_text: str, *, title: str | None = None) -> str:
        """Sanitised HTML; links to other articles resolve by slug."""
        from kb.render import render_markdown

        slugs = self._known_slugs()
        return render_markdown(
            markdown_text, resolver=lambda s: s if s in slugs else None, title=title
        )

    def render_article(self, slug: str) -> str:
        article = self.article(slug)
        return self.render_markdown(article.body, title=article.title)

    # -- search ----------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 10,
        *,
        tag: str | None = None,
        tags: Sequence[str] = (),
        statuses: Sequence[str] | None = VETTED,
    ) -> list[Hit]:
        """The best matches for ``query``, best first (vetted articles unless told otherwise)."""
        return self.search_results(query, limit, tag=tag, tags=tags, statuses=statuses).hits

    def search_results(
        self,
        query: str,
        limit: int = 10,
        *,
        tag: str | None = None,
        tags: Sequence[str] = (),
        statuses: Sequence[str] | None = VETTED,
        highlight: bool = True,
    ) -> SearchResults:
        """Hits plus the "did you mean" suggestion and whether typo tolerance kicked in."""
        if limit < 1:
            raise InvalidInput("The result limit must be at least 1.")
        wanted_tags = [t for t in ([tag] if tag else []) + list(tags) if t]
        index = self._fresh_index()
        return index.search(
            query, limit=limit, tags=wanted_tags, statuses=statuses, highlight=highlight
        )

    def suggest(self, query: str) -> str | None:
        return self._fresh_index().suggest(query)

    def ensure_index(
        self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> str:
        """Bring the index in step with the database: ``"ok"``, ``"updated"`` or ``"rebuilt"``."""
        with self._index_lock:
            index = self._open_index()
            state = index.state()
            generation = self.store.generation
            if state is None or state.kb_id != self.store.kb_id:
                self._rebuild(index, generation, progress, cancel)
                outcome = "rebuilt"
            elif state.generation != generation:
                self._catch_up(index, generation)
                outcome = "updated"
            else:
                outcome = "ok"
            self._synced_generation = generation
            return outcome

    def reindex(
        self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> Changes:
        """Rebuild the whole index from the database (cancelling keeps the old one)."""
        with self._index_lock:
            generation = self.store.generation
            self._rebuild(self._open_index(), generation, progress, cancel)
            self._synced_generation = generation
        return Changes(index=True)

    def _open_index(self) -> "SearchIndex":
        if self._index is None:
            from kb.search import SearchIndex

            self._index = SearchIndex(
                self.paths.index_dir, synonyms_path=resources.path("search", "synonyms.txt")
            )
        return self._index

    def _fresh_index(self) -> "SearchIndex":
        """The index, caught up first if the database moved on (e.g. another process wrote)."""
        if self._index is not None and self._synced_generation == self.store.generation:
            return self._index
        try:
            self.ensure_index()
        except IndexBusy:
            # Another process is writing the index right now; search what is there.
            log.info("search index busy; searching the current copy")
            if self._index is None:
                raise
        assert self._index is not None
        return self._index

    def _rebuild(
        self,
        index: "SearchIndex",
        generation: int,
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> None:
        index.rebuild(
            (self._doc(a) for a in self.store.iter_articles()),
            total=self.store.article_count(),
            generation=generation,
            kb_id=self.store.kb_id,
            progress=progress,
            cancel=cancel,
        )

    def _catch_up(self, index: "SearchIndex", generation: int) -> None:
        in_index = index.hashes()
        in_db = self.store.article_hashes()
        stale = [slug for slug, digest in in_db.items() if in_index.get(slug) != digest]
        gone = [slug for slug in in_index if slug not in in_db]
        docs = [self._doc(a) for a in (self.store.article(s) for s in stale) if a is not None]
        index.update(docs, delete=gone, generation=generation)

    def _index_after_write(self, articles: Iterable[Article], *, generation: int) -> None:
        with self._index_lock:
            if self._index is None and not self.paths.index_dir.exists():
                return  # no index yet: the first search builds it with everything
            try:
                index = self._open_index()
                if self._synced_generation is None:
                    self.ensure_index()
                    return
                index.update([self._doc(a) for a in articles], generation=generation)
                if self._synced_generation == generation - 1:
                    self._synced_generation = generation
            except IndexBusy:
                log.info("search index busy; it will catch up on the next search")

    @staticmethod
    def _doc(article: Article) -> "IndexDoc":
        from kb.search import IndexDoc

        return IndexDoc(
            slug=article.slug,
            title=article.title,
            summary=article.summary,
            tags=list(article.tags),
            status=article.status,
            body=article.body,
            content_hash=article.content_hash,
            updated_at=article.updated_at,
        )

    # -- import / export -------------------------------------------------------------

    def import_markdown(
        self,
        folder: str | os.PathLike[str],
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        *,
        status: str = "vetted",
    ) -> ImportReport:
        """Import a folder of markdown files; all or nothing for the files that are valid.

        Files with problems are reported and skipped. Cancelling at any point before the
        end leaves the knowledge base exactly as it was.
        """
        folder = Path(folder)
        scan = markdown_io.scan_folder(folder, default_status=status, progress=progress, cancel=cancel)
        result = ImportReport(problems=scan.problems)
        if scan.cancelled:
            result.cancelled = True
            return result
        root = folder.resolve()
        for article in scan.articles:
            article.source_path = str(root / (article.source_path or ""))
        previous = {a.slug: self.store.article(a.slug) for a in scan.articles}
        report(progress, 0, 1, "Saving articles")
        saved = self.store.save_articles(scan.articles, note=f"Imported from {root}")
        changed = [a for a in scan.articles if a.slug in set(saved.created) | set(saved.updated)]
        if changed:
            generation = self.store.generation
            try:
                with self._index_lock:
                    index = self._open_index()
                    if self._synced_generation is None or index.state() is None:
                        self.ensure_index(progress=progress, cancel=cancel)
                    else:
                        index.update(
                            self._indexed_with_progress(changed, progress, cancel),
                            generation=generation,
                        )
                        self._synced_generation = generation
            except Cancelled:
                self.store.restore_articles({a.slug: previous[a.slug] for a in changed})
                result.cancelled = True
                return result
            except IndexBusy:
                log.info("search index busy during import; it will catch up on the next search")
        result.created, result.updated, result.unchanged = saved.created, saved.updated, saved.unchanged
        result.changes = Changes(articles=frozenset(a.slug for a in changed), index=bool(changed))
        return result

    def _indexed_with_progress(
        self,
        articles: list[Article],
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
    ) -> Iterator["IndexDoc"]:
        total = len(articles)
        for done, article in enumerate(articles):
            if cancel is not None:
                cancel.raise_if_cancelled()
            if done % 25 == 0:
                report(progress, done, total, "Updating the search index")
            yield self._doc(article)
        report(progress, total, total, "Search index updated")

    def export_markdown(
        self,
        folder: str | os.PathLike[str],
        *,
        statuses: Sequence[str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> markdown_io.ExportReport:
        """Write articles (all statuses unless told otherwise) as ``<slug>.md`` files."""
        return markdown_io.write_folder(
            (a for a in self.store.iter_articles() if statuses is None or a.status in statuses),
            folder,
            total=self.store.article_count(statuses),
            progress=progress,
            cancel=cancel,
        )

    # -- snippets and recipes ----------------------------------------------------------

    def snippets(self, statuses: Sequence[str] | None = VETTED) -> list[Snippet]:
        return self.store.snippets(statuses)

    def snippet(self, slug: str) -> Snippet:
        found = self.store.snippet(slug)
        if found is None:
            raise NotFound(f"No snippet with slug '{slug}'.")
        return found

    def save_snippet(self, snippet: Snippet, *, author: str = "", note: str = "") -> Changes:
        from kb import snippets as snippet_io

        snippet_io.parse_snippet(snippet_io.snippet_to_data(snippet), source=snippet.slug)
        saved = self.store.save_snippets([snippet], author=author, note=note)
        if saved.created or saved.updated:
            return Changes(snippets=frozenset({snippet.slug}))
        return Changes()

    def render_snippet(self, snippet: Snippet | str, values: Mapping[str, str]) -> str:
        from kb import snippets as snippet_io

        if isinstance(snippet, str):
            snippet = self.snippet(snippet)
        return snippet_io.render(snippet, values)

    def recipes(self) -> list[Recipe]:
        return self.store.recipes()

    def recipe(self, slug: str) -> Recipe:
        for recipe in self.store.recipes():
            if recipe.slug == slug:
                return recipe
        raise NotFound(f"No reply recipe with slug '{slug}'.")

    # -- drafts --------------------------------------------------------------------------

    @property
    def drafts(self) -> "Drafts":
        """The rep's replies in progress (never touched by imports or packs)."""
        from kb.drafts import Drafts

        return Drafts(self.store)

    # -- phrasing checks -----------------------------------------------------------------

    @property
    def linter(self) -> Any:
        """The phrasing checker with the bundled rules plus this data folder's team rules."""
        with self._linter_lock:
            if self._linter is None:
                from kb.lint import Linter, load_team_sources

                team = load_team_sources(self.paths)
                self._linter = Linter.load(**team)
            return self._linter

    def reload_rules(self) -> Changes:
        with self._linter_lock:
            self._linter = None
        return Changes(rules=True)

    def lint(self, text: str, *, ignore: Iterable[str] = ()) -> list[Finding]:
        return self.linter.lint(text, ignore=ignore)


def _validate_article(article: Article) -> None:
    if not is_valid_slug(article.slug):
        raise InvalidInput(
            f"Slug '{article.slug}' is not URL-safe; use lowercase letters, digits and single hyphens."
        )
    if not article.title.strip():
        raise InvalidInput("An article needs a title.")
    if article.status not in STATUSES:
        raise InvalidInput(f"Status '{article.status}' is not one of {', '.join(STATUSES)}.")
