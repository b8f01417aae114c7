"""The database schema, as an ordered list of sqlite-utils migrations applied on open.

Add a new function at the end for every schema change; never edit one that has shipped.
Tables are created with explicit SQL so constraints (CHECK, UNIQUE, foreign keys) are
visible in one place.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tactful")
NAMES: list[str] = []
"""Every migration this version knows, in order (to spot a database from a newer version)."""


def _migration(fn):
    NAMES.append(fn.__name__)
    return migrations()(fn)

_STATUS_CHECK = "CHECK (status IN ('draft', 'in-review', 'vetted', 'retired'))"


@_migration
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE meta (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """
    )
    db.execute(
        f"""
        CREATE TABLE articles (
            id           INTEGER PRIMARY KEY,
            slug         TEXT NOT NULL UNIQUE,
            title        TEXT NOT NULL,
            summary      TEXT NOT NULL DEFAULT '',
            body         TEXT NOT NULL DEFAULT '',
            tags         TEXT NOT NULL DEFAULT '[]',
            status       TEXT NOT NULL DEFAULT 'draft' {_STATUS_CHECK},
            owner        TEXT NOT NULL DEFAULT '',
            reviewed     TEXT,
            source_path  TEXT,
            meta         TEXT NOT NULL DEFAULT '{{}}',
            content_hash TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_articles_status ON articles(status)")
    db.execute(
        """
        CREATE TABLE article_revisions (
            id           INTEGER PRIMARY KEY,
            article_id   INTEGER NOT NULL REFERENCES articles(id),
            rev          INTEGER NOT NULL,
            data         TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            saved_at     TEXT NOT NULL,
            author       TEXT NOT NULL DEFAULT '',
            note         TEXT NOT NULL DEFAULT '',
            UNIQUE (article_id, rev)
        )
        """
    )
    db.execute(
        f"""
        CREATE TABLE snippets (
            id           INTEGER PRIMARY KEY,
            slug         TEXT NOT NULL UNIQUE,
            title        TEXT NOT NULL,
            text         TEXT NOT NULL DEFAULT '',
            stage        TEXT NOT NULL,
            fields       TEXT NOT NULL DEFAULT '[]',
            article      TEXT,
            tags         TEXT NOT NULL DEFAULT '[]',
            situations   TEXT NOT NULL DEFAULT '[]',
            status       TEXT NOT NULL DEFAULT 'draft' {_STATUS_CHECK},
            owner        TEXT NOT NULL DEFAULT '',
            content_hash TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE snippet_revisions (
            id           INTEGER PRIMARY KEY,
            snippet_id   INTEGER NOT NULL REFERENCES snippets(id),
            rev          INTEGER NOT NULL,
            data         TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            saved_at     TEXT NOT NULL,
            author       TEXT NOT NULL DEFAULT '',
            note         TEXT NOT NULL DEFAULT '',
            UNIQUE (snippet_id, rev)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE recipes (
            id         INTEGER PRIMARY KEY,
            slug       TEXT NOT NULL UNIQUE,
            title      TEXT NOT NULL,
            data       TEXT NOT NULL,
            position   INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE team_rules (
            id         INTEGER PRIMARY KEY,
            rule_id    TEXT NOT NULL UNIQUE,
            data       TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE drafts (
            id         INTEGER PRIMARY KEY,
            case_ref   TEXT NOT NULL DEFAULT '',
            customer   TEXT NOT NULL DEFAULT '',
            body       TEXT NOT NULL DEFAULT '',
            data       TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at  TEXT
        )
        """
    )
    db.execute("CREATE INDEX idx_drafts_updated ON drafts(updated_at)")

