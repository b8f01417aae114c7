"""The index's fields, and turning an ``IndexDoc`` into the values Whoosh stores.

The searchable text is the title, tags, summary, headings and body together, indexed
twice:

* ``content``: each word's posting weight is the sum of its field boosts
  (``FIELD_BOOSTS``), the BM25F way of weighting fields (combine weighted counts, then
  saturate once). Ranking reads only this, and its blocks carry no positions, so they
  are cheap to load.
* ``phrases``: the word positions, for quoted phrases and the proximity bonus. Each
  part has its own range of positions (``PART_SPAN``), so no phrase spans two parts
  and a phrase match knows its part's boost.

One combined field instead of five means one posting per word and article, which is
what makes both building and searching fast enough in pure Python. Changing the
boosts therefore changes the index: bump ``SCHEMA_VERSION``.

Other fields:

* ``slug`` (unique), ``status`` and ``tag`` (lower-cased tags, for filters);
* ``dl``: each article's length in words, a numeric column read in one go by the ranker;
* ``text``: the plain body, zlib-compressed in a column, so excerpts need neither the
  markdown nor the analyzer at query time and loading a hit's stored fields stays small;
* ``vocab``: on the bookkeeping document ``VOCAB_SLUG`` only, every distinct
  unstemmed word of the articles with its document count, written by a rebuild. Typo
  tolerance, "did you mean" and prefix completion draw from it (stems are not words);
* ``words``: on an article added by ``update()``, the words ``vocab`` lacks;
* ``state``: on ``STATE_SLUG`` only, the ``IndexState`` recorded with each commit;
* stored for the hit: ``title``, ``summary``, ``tag_list``, ``content_hash``, ``updated_at``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from whoosh import columns, fields, formats
from whoosh.system import pack_uint

from kb.search.analysis import add_positions, text_analyzer
from kb.search.docs import IndexDoc
from kb.search.plaintext import clean_text, markdown_to_text

SCHEMA_VERSION = 7
"""Bump whenever fields, analysis, boosts or stored values change: old indexes are rebuilt."""

STATE_SLUG = "~state"
VOCAB_SLUG = "~vocab"
SPECIAL_SLUGS = frozenset({STATE_SLUG, VOCAB_SLUG})
"""Bookkeeping documents: not valid article slugs, never search hits."""

FIELD_BOOSTS = {"title": 3.0, "summary": 2.2, "tags": 2.0, "headings": 1.5, "body": 1.0}
"""Title above summary above tags above headings above body (issue 2's reference weights)."""
PARTS = ("title", "tags", "summary", "headings", "body")
PART_SPAN = 100_000
"""Part ``i`` of ``content`` starts at word position ``i * PART_SPAN``: no phrase crosses
parts, and a position tells which part (and so which boost) it is in."""
PART_BOOSTS = tuple(FIELD_BOOSTS[p] for p in PARTS)


def part_boost(position: int) -> float:
    """The boost of the part a ``content`` word position falls in."""
    return PART_BOOSTS[min(position // PART_SPAN, len(PART_BOOSTS) - 1)]


@dataclass
class Analysed:
    """Pre-analysed content: term -> positions and term -> summed boost."""

    positions: dict[str, list[int]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    length: int = 0


class ContentField(fields.TEXT):  # type: ignore[misc]
    """A TEXT field that also accepts ``Analysed`` values (the fast path for articles).

    Without positions the posting is just a weight, the boosted word count (for
    ranking); with them it holds the word positions and a weight of 1.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Analysed):
            if self.format.supports("positions"):
                encode = self.format.encode
                for term, positions in value.positions.items():
                    yield term.encode("utf-8"), len(positions), 1.0, encode(positions)
            else:
                weights = value.weights
                for term, positions in value.positions.items():
                    yield term.encode("utf-8"), len(positions), weights[term], b""
        else:
            yield from super().index(value, **kwargs)


class CountsField(fields.KEYWORD):  # type: ignore[misc]
    """Words with a count each (``{word: count}``), kept as the posting weight."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, dict):
            for word, count in value.items():
                yield word.encode("utf-8"), int(count), float(count), pack_uint(int(count))
        else:
            yield from super().index(value, **kwargs)


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        slug=fields.ID(stored=True, unique=True),
        status=fields.ID(stored=True),
        # scorable so Whoosh keeps a length column: without one its writer stats a
        # missing file for every posting.
        tag=fields.KEYWORD(lowercase=True, commas=True, scorable=True),
        content=_weights_only(ContentField(analyzer=analyzer, phrase=False)),
        phrases=ContentField(analyzer=analyzer, phrase=True),
        vocab=CountsField(scorable=True),
        words=CountsField(scorable=True),
        dl=fields.COLUMN(columns.NumericColumn("I")),
        text=fields.COLUMN(columns.CompressedBytesColumn(level=1)),
        title=fields.STORED(),
        summary=fields.STORED(),
        tag_list=fields.STORED(),
        content_hash=fields.STORED(),
        updated_at=fields.STORED(),
        state=fields.STORED(),
    )


def _weights_only(field: ContentField) -> ContentField:
    """``content`` postings carry a weight and nothing else (smaller blocks, faster loads)."""
    field.format = formats.Existence()
    return field


def tag_key(tag: str) -> str:
    """How tags are compared in filters: case-insensitive, commas and spacing ignored."""
    return " ".join(clean_text(str(tag)).replace(",", " ").split()).lower()


def document_fields(doc: IndexDoc, words: dict[str, int] | None = None) -> dict[str, Any]:
    """The field values for one article; its unstemmed words are added to ``words``."""
    plain = markdown_to_text(doc.body or "")
    title = clean_text(doc.title or "")
    summary = clean_text(doc.summary or "")
    tags = [clean_text(str(t)) for t in (doc.tags or []) if str(t).strip()]
    content = Analysed()
    texts = (title, " \n".join(tags), summary, "\n".join(plain.headings), plain.text)
    for i, (text, boost) in enumerate(zip(texts, PART_BOOSTS)):
        start = i * PART_SPAN
        end = add_positions(text, start, boost, content.positions, content.weights, words)
        content.length += end - start
    return {
        "slug": doc.slug,
        "status": doc.status or "",
        "tag": ",".join(k for k in (tag_key(t) for t in tags) if k),
        "content": content,
        "phrases": content,
        "dl": content.length,
        "text": plain.text.encode("utf-8"),
        "title": title,
        "summary": summary,
        "tag_list": tags,
        "content_hash": doc.content_hash,
        "updated_at": doc.updated_at,
    }


def state_fields(generation: int, kb_id: str) -> dict[str, Any]:
    """The bookkeeping document that records which database state the index reflects."""
    state = {"generation": generation, "kb_id": kb_id, "schema": SCHEMA_VERSION}
    return {"slug": STATE_SLUG, "state": json.dumps(state), **_NO_TEXT}


def vocab_fields(counts: dict[str, int]) -> dict[str, Any]:
    """The bookkeeping document that carries the spelling vocabulary of a rebuild."""
    return {"slug": VOCAB_SLUG, "vocab": counts, **_NO_TEXT}


_NO_TEXT = {"text": b"", "dl": 0}
"""Every document gets column values: Whoosh 2.7.5 writes a short length array for a
variable-size column whose last documents have none, and reading it then fails."""
