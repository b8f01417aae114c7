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
    from datetime import date

    from kb.diff import DiffLine
    from kb.drafts import Drafts
    from kb.packs import ImportSummary, PackInfo
    from kb.sharing import SharedFolderResult
    from kb.team_rules import TeamRule
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
        self._linter_fingerprint: tuple[Any, ...] | None = None
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
            index.warm_up()
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
        if snippet.status == "vetted":
            self._check_vettable(snippet)  # the gate holds however the snippet gets here
        saved = self.store.save_snippets([snippet], author=author, note=note)
        if saved.created or saved.updated:
            return Changes(snippets=frozenset({snippet.slug}))
        return Changes()

    # -- saved replies from other tools (kb.interchange) ------------------------------

    def preview_snippet_import(self, path: str | os.PathLike[str], fmt: str | None = None,
                               mapping: Mapping[str, str | None] | None = None):
        """Parse another tool's saved replies and check them; writes nothing."""
        from kb import interchange
        from kb.interchange.apply import mark

        return mark(self, interchange.read(path, fmt, dict(mapping) if mapping else None))

    def import_snippets(self, preview, *, skip_duplicates: bool = True, author: str = "") -> ImportReport:
        """Apply a preview in one transaction: every reply a draft, duplicates skipped."""
        from kb.interchange.apply import apply

        return apply(self, preview, skip_duplicates=skip_duplicates, author=author)

    def export_snippets(self, path: str | os.PathLike[str], fmt: str) -> int:
        """Write the vetted snippets as espanso YAML or CSV; returns how many."""
        from kb.interchange.export import export

        return export(self.snippets(), path, fmt)

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
        fingerprint = self._rules_fingerprint()
        with self._linter_lock:
            if self._linter is None or fingerprint != self._linter_fingerprint:
                from kb.lint import Linter, load_team_sources

                team = load_team_sources(self.paths)
                self._linter = Linter.load(**team, extra_rules=self._team_rule_sources())
                self._linter_fingerprint = fingerprint
            return self._linter

    def _rules_fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever team rules or vocabularies change, in this process or another
        (a pack imported from the CLI while the app is open): a cheap query and a few stats."""
        row = self.store.db.execute(
            "SELECT count(*), max(updated_at), total(length(data)) FROM team_rules"
        ).fetchone()
        stamps = []
        for path in (self.paths.rules_dir, self.paths.vocab_dir):
            try:
                stamps.append(path.stat().st_mtime_ns)
                stamps.extend(sorted((p.name, p.stat().st_mtime_ns) for p in path.iterdir()))
            except OSError:
                stamps.append(None)
        return (tuple(row), tuple(stamps))

    def reload_rules(self) -> Changes:
        with self._linter_lock:
            self._linter = None
        return Changes(rules=True)

    def lint(self, text: str, *, ignore: Iterable[str] = ()) -> list[Finding]:
        return self.linter.lint(text, ignore=ignore)

    # -- editing: revisions, review, status gate, team rules (issue 6) -------------------

    def revision(self, slug: str, rev: int, kind: str = "article") -> Revision:
        """One saved version of an article or snippet (``rev`` counts from 1)."""
        for found in self.revisions(slug, kind):
            if found.rev == rev:
                return found
        raise NotFound(f"The {kind} '{slug}' has no revision {rev}.")

    def revision_diff(
        self, slug: str, old_rev: int, new_rev: int, kind: str = "article", *, context: int | None = None
    ) -> "list[DiffLine]":
        """What changed from ``old_rev`` to ``new_rev``: field lines, then the text line by line."""
        from kb.diff import diff_revisions

        _check_kind(kind)
        old, new = self.revision(slug, old_rev, kind), self.revision(slug, new_rev, kind)
        return diff_revisions(old.data, new.data, kind, context=context)

    def restore_revision(self, slug: str, rev: int, kind: str = "article", author: str = "") -> Changes:
        """Make ``rev`` the current content again; the restore is itself a new revision."""
        _check_kind(kind)
        data = self.revision(slug, rev, kind).data
        note = f"Restored revision {rev}"
        if kind == "article":
            return self.save_article(_article_from_data(data), author=author, note=note)
        return self.save_snippet(_snippet_from_data(data), author=author, note=note)

    def due_for_review(self, days: int, *, today: "date | None" = None) -> list[Article]:
        """Vetted articles last reviewed (or, never reviewed, last updated) over ``days`` ago, oldest first."""
        from datetime import date, timedelta

        if days < 0:
            raise InvalidInput("The review interval must be zero days or more.")
        cutoff = (today or date.today()) - timedelta(days=days)
        due: list[tuple[date, Article]] = []
        for article in self.store.articles(VETTED):
            when = _as_date(article.reviewed) or _as_date(article.updated_at) or date.min
            if when < cutoff:
                due.append((when, article))
        due.sort(key=lambda pair: (pair[0], pair[1].slug))
        return [article for _, article in due]

    def mark_reviewed(self, slug: str, *, author: str = "", on: "date | None" = None) -> Changes:
        """Record that an editor reviewed the article today (a new revision)."""
        from datetime import date

        article = self.article(slug)
        article.reviewed = (on or date.today()).isoformat()
        return self.save_article(article, author=author, note="Reviewed")

    def vetting_findings(self, snippet: Snippet | str) -> list[Finding]:
        """Error-level findings in the snippet's text filled with sample values (they block vetting)."""
        from kb import snippets as snippet_io

        if isinstance(snippet, str):
            snippet = self.snippet(snippet)
        text = snippet_io.render(snippet, snippet_io.sample_values(snippet))
        return [f for f in self.lint(text) if f.severity == "error"]

    def _check_vettable(self, snippet: Snippet) -> None:
        errors = self.vetting_findings(snippet)
        if errors:
            named = "; ".join(f"'{f.match}' ({f.rule}: {f.message})" for f in errors[:5])
            more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
            raise InvalidInput(
                f"The snippet '{snippet.slug}' cannot be vetted while its text has "
                f"{len(errors)} error-level finding{'s' if len(errors) != 1 else ''}: {named}{more}. "
                "Reword it and try again."
            )

    def set_status(self, slug: str, status: str, kind: str = "article", *, author: str = "") -> Changes:
        """Move an article or snippet through draft → in-review → vetted → retired.

        A snippet cannot become vetted while its sample-filled text has error-level
        findings (``InvalidInput`` names them). An article marked vetted counts as reviewed today.
        """
        _check_kind(kind)
        if status not in STATUSES:
            raise InvalidInput(f"Status '{status}' is not one of {', '.join(STATUSES)}.")
        note = f"Status: {status}"
        if kind == "article":
            article = self.article(slug)
            if article.status == status:
                return Changes()
            article.status = status
            if status == "vetted":
                from datetime import date

                article.reviewed = date.today().isoformat()
            return self.save_article(article, author=author, note=note)
        snippet = self.snippet(slug)
        if snippet.status == status:
            return Changes()
        snippet.status = status
        return self.save_snippet(snippet, author=author, note=note)

    def team_rules(self) -> "list[TeamRule]":
        """The team's own phrasing rules, by id (stored in the database; they travel in packs)."""
        from kb import team_rules

        return team_rules.load_all(self.store)

    def save_team_rule(self, rule: "TeamRule") -> Changes:
        """Validate and save ``rule`` (an empty ``rule_id`` is filled in); it applies at once."""
        from kb import team_rules

        team_rules.normalise(rule)
        if rule.article is not None and is_valid_slug(rule.article) and rule.article not in self._known_slugs():
            raise InvalidInput(
                f"Team rule article '{rule.article}' does not exist; pick an existing article or leave it empty."
            )
        team_rules.save(self.store, rule)
        return self.reload_rules()

    def delete_team_rule(self, rule_id: str) -> Changes:
        from kb import team_rules

        team_rules.delete(self.store, rule_id)
        return self.reload_rules()

    def _team_rule_sources(self) -> list[tuple[str, dict[str, Any]]]:
        from kb import team_rules

        return team_rules.lint_sources(team_rules.load_all(self.store))

    # -- packs and the shared folder (issue 6; see kb.packs and kb.sharing) --------------

    def export_pack(
        self, path: str | os.PathLike[str], *, publisher: str = "", progress: ProgressCallback | None = None
    ) -> "PackInfo":
        from kb import packs

        return packs.export_pack(self, path, publisher=publisher, progress=progress)

    def inspect_pack(self, path: str | os.PathLike[str]) -> "PackInfo":
        from kb import packs

        return packs.inspect_pack(path)

    def import_pack(
        self,
        path: str | os.PathLike[str],
        *,
        force: bool = False,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> "ImportSummary":
        from kb import packs

        return packs.import_pack(self, path, force=force, progress=progress, cancel=cancel)

    def rollback_last_pack(self, *, force: bool = False) -> Changes:
        from kb import packs

        return packs.rollback_last_pack(self, force=force)

    def check_shared_folder(
        self,
        folder: str | os.PathLike[str],
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> "SharedFolderResult":
        from kb import sharing

        return sharing.check_shared_folder(self, folder, progress=progress, cancel=cancel)

    def publish_pack(
        self, folder: str | os.PathLike[str], publisher: str = "", progress: ProgressCallback | None = None
    ) -> "PackInfo":
        from kb import sharing

        return sharing.publish_pack(self, folder, publisher, progress=progress)


def _validate_article(article: Article) -> None:
    if not is_valid_slug(article.slug):
        raise InvalidInput(
            f"Slug '{article.slug}' is not URL-safe; use lowercase letters, digits and single hyphens."
        )
    if not article.title.strip():
        raise InvalidInput("An article needs a title.")
    if article.status not in STATUSES:
        raise InvalidInput(f"Status '{article.status}' is not one of {', '.join(STATUSES)}.")


# -- helpers for the editing section (issue 6) ----------------------------------------------


def _check_kind(kind: str) -> None:
    if kind not in ("article", "snippet"):
        raise InvalidInput(f"Kind must be 'article' or 'snippet', not '{kind}'.")


def _as_date(value: str | None) -> "date | None":
    from datetime import date

    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _article_from_data(data: Mapping[str, Any]) -> Article:
    return Article(
        slug=data["slug"],
        title=data["title"],
        body=data.get("body", ""),
        summary=data.get("summary", ""),
        tags=list(data.get("tags") or []),
        status=data.get("status", "draft"),
        owner=data.get("owner", ""),
        reviewed=data.get("reviewed"),
        meta=dict(data.get("meta") or {}),
    )


def _snippet_from_data(data: Mapping[str, Any]) -> Snippet:
    from kb.models import SnippetField

    return Snippet(
        slug=data["slug"],
        title=data["title"],
        text=data.get("text", ""),
        stage=data["stage"],
        fields=[SnippetField.from_dict(f) for f in data.get("fields") or []],
        article=data.get("article"),
        tags=list(data.get("tags") or []),
        situations=list(data.get("situations") or []),
        status=data.get("status", "draft"),
        owner=data.get("owner", ""),
    )
