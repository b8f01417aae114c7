"""SQLite storage, the source of truth for articles, snippets, recipes, rules and drafts.

* One connection per thread (SQLite connections must not be shared between threads);
  WAL lets readers run beside the single writer.
* Every write goes through ``Store.write()``: a process-wide lock (one writer at a time
  in this process) and ``BEGIN IMMEDIATE`` (one writer at a time across processes, with
  SQLite's busy timeout doing the waiting).
* Every change to an article or snippet adds a revision holding the new content, so the
  previous version is always the revision before it.
* ``meta.generation`` goes up with every article change in the same transaction; the
  search index records the generation it reflects, which is how staleness is detected.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kb.errors import DataFolderError, NotFound
from kb.models import Article, Recipe, RecipeStage, Snippet, SnippetField, now_iso  # noqa: F401 - re-exported

BUSY_TIMEOUT_MS = 10_000


@dataclass
class Revision:
    """One saved version of an article or snippet."""

    id: int
    rev: int
    saved_at: str
    author: str
    note: str
    content_hash: str
    data: dict[str, Any]


@dataclass
class SaveResult:
    created: list[str]
    updated: list[str]
    unchanged: list[str]


def _damaged(path: Path, exc: Exception) -> DataFolderError:
    return DataFolderError(
        f"The knowledge base file {path} is damaged or is not a Tactful database ({exc}). "
        "Nothing was changed. Restore it from a backup, or move it aside and Tactful will "
        "start a new knowledge base."
    )


class Store:
    """Thread-safe access to one ``tactful.db``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._closed = False

    # -- opening -------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> "Store":
        """Open (creating if needed) and migrate the database at ``path``."""
        from kb.migrations import NAMES, migrations

        store = cls(path)
        try:
            db = store.db
            db.execute("PRAGMA journal_mode=WAL")
            applied = {m.name for m in migrations.applied(db)}
            unknown = applied - set(NAMES)
            if unknown:
                store.close()
                raise DataFolderError(
                    f"The knowledge base at {path} was written by a newer version of Tactful "
                    f"(it has changes this version does not know: {', '.join(sorted(unknown))}). "
                    "Open it with that version, or choose another data folder with --home."
                )
            if migrations.pending(db):
                with store._write_lock:
                    migrations.apply(db)
            if store.get_meta("kb_id") is None:
                with store.write() as wdb:
                    wdb.execute(
                        "INSERT OR IGNORE INTO meta(key, value) VALUES ('kb_id', ?)",
                        [uuid.uuid4().hex],
                    )
                    wdb.execute(
                        "INSERT OR IGNORE INTO meta(key, value) VALUES ('generation', '0')"
                    )
        except sqlite3.DatabaseError as exc:
            store.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise DataFolderError(
                    f"The knowledge base at {path} is locked by another program. "
                    "Close other copies of Tactful using this data folder and try again."
                ) from None
            raise _damaged(path, exc) from None
        return store

    @property
    def db(self) -> Database:
        """This thread's connection, wrapped in sqlite-utils."""
        if self._closed:
            raise DataFolderError("The knowledge base has been closed.")
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
            except sqlite3.Error as exc:
                raise DataFolderError(
                    f"Cannot open the knowledge base at {self.path}: {exc}. "
                    "Check the folder exists and is writable, or choose another with --home."
                ) from None
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys=ON")
            # FULL: a committed draft or article survives a power cut, not just a crash.
            conn.execute("PRAGMA synchronous=FULL")
            db = Database(conn, execute_plugins=False, recursive_triggers=False)
            self._local.db = db
            with self._connections_lock:
                self._connections.append(conn)
        return db

    def close(self) -> None:
        self._closed = True
        with self._connections_lock:
            for conn in self._connections:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction: one writer in this process, ``BEGIN IMMEDIATE`` across processes."""
        with self._write_lock:
            db = self.db
            if db.conn.in_transaction:  # nested: join the outer transaction
                yield db
                return
            try:
                db.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise DataFolderError(
                    "The knowledge base is busy: another copy of Tactful is saving to it "
                    f"({exc}). Try again in a moment."
                ) from None
            try:
                yield db
            except BaseException:
                db.conn.execute("ROLLBACK")
                raise
            else:
                db.conn.execute("COMMIT")

    # -- meta ----------------------------------------------------------------------

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as db:
            db.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def kb_id(self) -> str:
        return self.get_meta("kb_id") or ""

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation", "0") or 0)

    def _bump_generation(self, db: Database) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # -- articles --------------------------------------------------------------------

    def article(self, slug: str) -> Article | None:
        rows = list(self.db.query("SELECT * FROM articles WHERE slug = ?", [slug]))
        return self._article_from_row(rows[0]) if rows else None

    def articles(
        self, statuses: Sequence[str] | None = None, tag: str | None = None
    ) -> list[Article]:
        sql, params = "SELECT * FROM articles", []
        if statuses is not None:
            sql += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
            params.extend(statuses)
        sql += " ORDER BY title COLLATE NOCASE, slug"
        found = [self._article_from_row(r) for r in self.db.query(sql, params)]
        if tag:
            wanted = tag.casefold()
            found = [a for a in found if any(t.casefold() == wanted for t in a.tags)]
        return found

    def iter_articles(self, batch: int = 200) -> Iterator[Article]:
        """Every article, in id order, without holding them all in memory."""
        last = 0
        while True:
            rows = list(
                self.db.query("SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", [last, batch])
            )
            if not rows:
                return
            for row in rows:
                yield self._article_from_row(row)
            last = rows[-1]["id"]

    def article_count(self, statuses: Sequence[str] | None = None) -> int:
        if statuses is None:
            return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        marks = ", ".join("?" for _ in statuses)
        return self.db.execute(
            f"SELECT count(*) FROM articles WHERE status IN ({marks})", list(statuses)
        ).fetchone()[0]

    def article_hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT slug, content_hash FROM articles").fetchall())

    def slugs(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT slug FROM articles").fetchall()}

    def tags(self, statuses: Sequence[str] | None = None) -> list[tuple[str, int]]:
        """Every tag in use with how many articles carry it, most used first."""
        counts: dict[str, int] = {}
        sql, params = "SELECT tags FROM articles", []
        if statuses is not None:
            sql += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
            params.extend(statuses)
        for (raw,) in self.db.execute(sql, params).fetchall():
            for tag in json.loads(raw):
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    def save_articles(
        self, articles: Iterable[Article], *, author: str = "", note: str = ""
    ) -> SaveResult:
        """Create or update articles by slug in one transaction, adding a revision for each change."""
        result = SaveResult([], [], [])
        with self.write() as db:
            changed = False
            for article in articles:
                outcome = self._save_article(db, article, author=author, note=note)
                getattr(result, outcome).append(article.slug)
                changed = changed or outcome != "unchanged"
            if changed:
                self._bump_generation(db)
        return result

    def _save_article(self, db: Database, article: Article, *, author: str, note: str) -> str:
        stamp = now_iso()
        digest = article.content_hash
        row = db.execute(
            "SELECT id, content_hash, created_at FROM articles WHERE slug = ?", [article.slug]
        ).fetchone()
        values = {
            "slug": article.slug,
            "title": article.title,
            "summary": article.summary,
            "body": article.body,
            "tags": json.dumps(list(article.tags), ensure_ascii=False),
            "status": article.status,
            "owner": article.owner,
            "reviewed": article.reviewed,
            "source_path": article.source_path,
            "meta": json.dumps(article.meta, ensure_ascii=False, sort_keys=True, default=str),
            "content_hash": digest,
            "updated_at": stamp,
        }
        if row is None:
            values["created_at"] = stamp
            cols = ", ".join(values)
            marks = ", ".join(f":{k}" for k in values)
            cursor = db.execute(f"INSERT INTO articles ({cols}) VALUES ({marks})", values)
            article_id, outcome = cursor.lastrowid, "created"
        elif row[1] == digest:
            return "unchanged"
        else:
            article_id, outcome = row[0], "updated"
            sets = ", ".join(f"{k} = :{k}" for k in values if k != "slug")
            db.execute(f"UPDATE articles SET {sets} WHERE id = :id", {**values, "id": article_id})
        self._add_revision(db, "article", article_id, article.content(), digest, author, note)
        article.id, article.updated_at = article_id, stamp
        return outcome

    def restore_articles(self, previous: dict[str, Article | None]) -> None:
        """Put articles back exactly as they were (``None``: the article did not exist).

        Used to undo an import that was cancelled after its write: the revisions the
        import added are removed too, so history reads as if it never happened.
        """
        with self.write() as db:
            for slug, before in previous.items():
                row = db.execute("SELECT id FROM articles WHERE slug = ?", [slug]).fetchone()
                if row is None:
                    continue
                article_id = row[0]
                last_rev = self._last_rev(db, "article", article_id)
                if before is None:
                    db.execute("DELETE FROM article_revisions WHERE article_id = ?", [article_id])
                    db.execute("DELETE FROM articles WHERE id = ?", [article_id])
                    continue
                db.execute(
                    "DELETE FROM article_revisions WHERE article_id = ? AND rev = ?",
                    [article_id, last_rev],
                )
                db.execute(
                    "UPDATE articles SET title=?, summary=?, body=?, tags=?, status=?, owner=?, "
                    "reviewed=?, source_path=?, meta=?, content_hash=?, updated_at=? WHERE id=?",
                    [
                        before.title,
                        before.summary,
                        before.body,
                        json.dumps(before.tags, ensure_ascii=False),
                        before.status,
                        before.owner,
                        before.reviewed,
                        before.source_path,
                        json.dumps(before.meta, ensure_ascii=False, sort_keys=True, default=str),
                        before.content_hash,
                        before.updated_at or now_iso(),
                        article_id,
                    ],
                )
            self._bump_generation(db)

    @staticmethod
    def _article_from_row(row: Any) -> Article:
        return Article(
            id=row["id"],
            slug=row["slug"],
            title=row["title"],
            summary=row["summary"],
            body=row["body"],
            tags=json.loads(row["tags"]),
            status=row["status"],
            owner=row["owner"],
            reviewed=row["reviewed"],
            source_path=row["source_path"],
            meta=json.loads(row["meta"]),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    # -- revisions -------------------------------------------------------------------

    _REV_TABLES = {"article": ("article_revisions", "article_id"), "snippet": ("snippet_revisions", "snippet_id")}

    def _last_rev(self, db: Database, kind: str, item_id: int) -> int:
        table, column = self._REV_TABLES[kind]
        row = db.execute(f"SELECT max(rev) FROM {table} WHERE {column} = ?", [item_id]).fetchone()
        return row[0] or 0

    def _add_revision(
        self, db: Database, kind: str, item_id: int, data: dict, digest: str, author: str, note: str
    ) -> None:
        table, column = self._REV_TABLES[kind]
        db.execute(
            f"INSERT INTO {table} ({column}, rev, data, content_hash, saved_at, author, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                item_id,
                self._last_rev(db, kind, item_id) + 1,
                json.dumps(data, ensure_ascii=False, sort_keys=True, default=str),
                digest,
                now_iso(),
                author,
                note,
            ],
        )

    def revisions(self, kind: str, slug: str) -> list[Revision]:
        """Every saved version of an article or snippet, oldest first."""
        table, column = self._REV_TABLES[kind]
        parent = "articles" if kind == "article" else "snippets"
        row = self.db.execute(f"SELECT id FROM {parent} WHERE slug = ?", [slug]).fetchone()
        if row is None:
            raise NotFound(f"No {kind} with slug '{slug}'.")
        rows = self.db.query(f"SELECT * FROM {table} WHERE {column} = ? ORDER BY rev", [row[0]])
        return [
            Revision(
                id=r["id"],
                rev=r["rev"],
                saved_at=r["saved_at"],
                author=r["author"],
                note=r["note"],
                content_hash=r["content_hash"],
                data=json.loads(r["data"]),
            )
            for r in rows
        ]

    # -- snippets --------------------------------------------------------------------

    def snippet(self, slug: str) -> Snippet | None:
        rows = list(self.db.query("SELECT * FROM snippets WHERE slug = ?", [slug]))
        return self._snippet_from_row(rows[0]) if rows else None

    def snippets(self, statuses: Sequence[str] | None = None) -> list[Snippet]:
        sql, params = "SELECT * FROM snippets", []
        if statuses is not None:
            sql += f" WHERE status IN ({', '.join('?' for _ in statuses)})"
            params.extend(statuses)
        sql += " ORDER BY id"
        return [self._snippet_from_row(r) for r in self.db.query(sql, params)]

    def save_snippets(
        self, snippets: Iterable[Snippet], *, author: str = "", note: str = ""
    ) -> SaveResult:
        result = SaveResult([], [], [])
        with self.write() as db:
            for snippet in snippets:
                outcome = self._save_snippet(db, snippet, author=author, note=note)
                getattr(result, outcome).append(snippet.slug)
        return result

    def _save_snippet(self, db: Database, snippet: Snippet, *, author: str, note: str) -> str:
        stamp = now_iso()
        digest = snippet.content_hash
        row = db.execute(
            "SELECT id, content_hash FROM snippets WHERE slug = ?", [snippet.slug]
        ).fetchone()
        values = {
            "slug": snippet.slug,
            "title": snippet.title,
            "text": snippet.text,
            "stage": snippet.stage,
            "fields": json.dumps([f.to_dict() for f in snippet.fields], ensure_ascii=False),
            "article": snippet.article,
            "tags": json.dumps(list(snippet.tags), ensure_ascii=False),
            "situations": json.dumps(list(snippet.situations), ensure_ascii=False),
            "status": snippet.status,
            "owner": snippet.owner,
            "content_hash": digest,
            "updated_at": stamp,
        }
        if row is None:
            values["created_at"] = stamp
            cols = ", ".join(values)
            marks = ", ".join(f":{k}" for k in values)
            snippet_id = db.execute(f"INSERT INTO snippets ({cols}) VALUES ({marks})", values).lastrowid
            outcome = "created"
        elif row[1] == digest:
            return "unchanged"
        else:
            snippet_id, outcome = row[0], "updated"
            sets = ", ".join(f"{k} = :{k}" for k in values if k != "slug")
            db.execute(f"UPDATE snippets SET {sets} WHERE id = :id", {**values, "id": snippet_id})
        self._add_revision(db, "snippet", snippet_id, snippet.content(), digest, author, note)
        snippet.id, snippet.updated_at = snippet_id, stamp
        return outcome

    @staticmethod
    def _snippet_from_row(row: Any) -> Snippet:
        return Snippet(
            id=row["id"],
            slug=row["slug"],
            title=row["title"],
            text=row["text"],
            stage=row["stage"],
            fields=[SnippetField.from_dict(f) for f in json.loads(row["fields"])],
            article=row["article"],
            tags=json.loads(row["tags"]),
            situations=json.loads(row["situations"]),
            status=row["status"],
            owner=row["owner"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    # -- recipes ---------------------------------------------------------------------

    def recipes(self) -> list[Recipe]:
        rows = self.db.execute("SELECT data FROM recipes ORDER BY position, id").fetchall()
        return [_recipe_from_data(json.loads(r[0])) for r in rows]

    def save_recipes(self, recipes: Sequence[Recipe]) -> None:
        """Replace the stored recipes with ``recipes`` (in that order)."""
        with self.write() as db:
            db.execute("DELETE FROM recipes")
            for position, recipe in enumerate(recipes):
                db.execute(
                    "INSERT INTO recipes (slug, title, data, position, updated_at) VALUES (?, ?, ?, ?, ?)",
                    [
                        recipe.slug,
                        recipe.title,
                        json.dumps(recipe.to_dict(), ensure_ascii=False),
                        position,
                        now_iso(),
                    ],
                )


def _recipe_from_data(data: dict[str, Any]) -> Recipe:
    return Recipe(
        slug=data["slug"],
        title=data["title"],
        summary=data.get("summary", ""),
        stages=[RecipeStage(**stage) for stage in data.get("stages", [])],
        articles=list(data.get("articles", [])),
    )
