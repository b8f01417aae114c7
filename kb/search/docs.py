"""What the facade hands the search engine, and what the index says about itself.

Kept free of Whoosh so that ``from kb.search import IndexDoc`` costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IndexDoc:
    """One article as the index needs it; built by the facade from a stored ``Article``."""

    slug: str
    title: str
    summary: str
    tags: list[str]
    status: str
    """draft | in-review | vetted | retired"""
    body: str
    """Markdown; the engine derives plain text and headings itself."""
    content_hash: str
    """``Article.content_hash``, so a stale index can be caught up by diffing hashes."""
    updated_at: str | None = None


@dataclass(frozen=True)
class IndexState:
    """The database state an index reflects, recorded in the same commit as the documents."""

    generation: int
    """The store's change counter when the index was last brought in step with it."""
    kb_id: str
    """Which knowledge base the index belongs to."""
    schema: int
    """The engine's index-format version; a different one means "rebuild"."""
    doc_count: int
    """Articles in the index (the engine's own bookkeeping document is not counted)."""


@dataclass(frozen=True)
class WordInfo:
    """One word of a query, as the engine analyses it."""

    text: str
    """Lower-cased surface form without apostrophes (what fuzzy matching and suggestions use)."""
    stem: str | None
    """The indexed term, or None for a stop word or a word too short or long to index."""
    start: int = 0
    end: int = 0
    """Character span in the cleaned query text (for rebuilding a "did you mean")."""


__all__ = ["IndexDoc", "IndexState", "WordInfo"]
