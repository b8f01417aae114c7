"""The shapes every part of Tactful shares: articles, snippets, recipes, hits, findings.

Plain dataclasses with no behaviour beyond conversion, so the store, the search index,
the checker, the CLI and the GUI all speak the same language.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("draft", "in-review", "vetted", "retired")
"""Article and snippet life cycle, in order. Reps see ``vetted`` only."""

STAGES = (
    "greeting",
    "acknowledge",
    "apologise",
    "own-it",
    "explain",
    "options",
    "next-steps",
    "close",
    "follow-up",
)
"""The stages of a reply, in the order they usually appear."""

STAGE_TITLES = {
    "greeting": "Greeting",
    "acknowledge": "Acknowledge and empathise",
    "apologise": "Apologise",
    "own-it": "Own it",
    "explain": "Explain simply",
    "options": "Offer options",
    "next-steps": "Next steps",
    "close": "Close",
    "follow-up": "Follow-up",
}

SEVERITIES = ("error", "warning", "suggestion")
"""Finding severities, most serious first."""

CATEGORIES = (
    "blame",
    "distancing",
    "non-apology",
    "generic-apology",
    "dismissive",
    "over-promise",
    "hard-no",
    "shouting",
    "unfilled-placeholder",
    "readability",
)
"""The fixed phrasing taxonomy (DESIGN.md)."""

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_valid_slug(slug: str) -> bool:
    """URL-safe: lowercase ASCII letters and digits in groups joined by single hyphens."""
    return bool(_SLUG_RE.match(slug)) and len(slug) <= 120


def slugify(text: str) -> str:
    """A URL-safe slug for ``text`` (may be empty if ``text`` has no ASCII letters/digits)."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-")


def content_hash(data: dict[str, Any]) -> str:
    """A stable SHA-256 of the user-visible content of an article or snippet."""
    import hashlib  # here, not at the top: the app's start-up path imports this module
    import json

    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class Article:
    slug: str
    title: str
    body: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "draft"
    owner: str = ""
    reviewed: str | None = None
    """ISO date (YYYY-MM-DD) of the last editorial review."""
    source_path: str | None = None
    """Where the article was imported from, if anywhere."""
    meta: dict[str, Any] = field(default_factory=dict)
    """Other front matter fields, kept so an export gives back what was imported."""
    id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def content(self) -> dict[str, Any]:
        """The fields whose change makes a new revision."""
        return {
            "slug": self.slug,
            "title": self.title,
            "body": self.body,
            "summary": self.summary,
            "tags": list(self.tags),
            "status": self.status,
            "owner": self.owner,
            "reviewed": self.reviewed,
            "meta": self.meta,
        }

    @property
    def content_hash(self) -> str:
        return content_hash(self.content())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SnippetField:
    """A fill-in field of a snippet, written ``{name}`` in the snippet's text."""

    name: str
    label: str
    required: bool = True
    default: str | None = None
    choices: list[str] = field(default_factory=list)
    help: str = ""
    sample: str | None = None
    """A realistic value for previews and tests."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SnippetField":
        return cls(
            name=str(data["name"]),
            label=str(data.get("label") or data["name"]),
            required=bool(data.get("required", True)),
            default=None if data.get("default") is None else str(data["default"]),
            choices=[str(c) for c in data.get("choices") or []],
            help=str(data.get("help") or ""),
            sample=None if data.get("sample") is None else str(data["sample"]),
        )


@dataclass
class Snippet:
    slug: str
    title: str
    text: str
    stage: str
    fields: list[SnippetField] = field(default_factory=list)
    article: str | None = None
    """The playbook article this snippet puts into practice."""
    tags: list[str] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)
    status: str = "draft"
    owner: str = ""
    id: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

    def content(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "text": self.text,
            "stage": self.stage,
            "fields": [f.to_dict() for f in self.fields],
            "article": self.article,
            "tags": list(self.tags),
            "situations": list(self.situations),
            "status": self.status,
            "owner": self.owner,
        }

    @property
    def content_hash(self) -> str:
        return content_hash(self.content())


@dataclass
class RecipeStage:
    stage: str
    title: str
    hint: str = ""
    snippets: list[str] = field(default_factory=list)
    """Suggested snippet slugs for this stage, best first."""


@dataclass
class Recipe:
    """A reply scaffold for one situation ("we got it wrong", "the customer blames me")."""

    slug: str
    title: str
    summary: str = ""
    stages: list[RecipeStage] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    """Playbook slugs worth reading for this situation."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Hit:
    """One search result. ``highlights`` are HTML-safe excerpts (matches in ``<b>``)."""

    slug: str
    title: str
    score: float
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    status: str = "vetted"

    def to_json(self) -> dict[str, Any]:
        """The shape ``tactful search --json`` promises (DESIGN.md)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "score": round(self.score, 4),
            "summary": self.summary,
            "tags": list(self.tags),
            "highlights": list(self.highlights),
        }


@dataclass
class SearchResults:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    complete: int | None = None
    """How many of ``total`` match every word typed (None: not counted); the rest match some."""
    suggestion: str | None = None
    """A "did you mean" query built from the index's own vocabulary, if one helps."""
    fuzzy: bool = False
    """True when typo tolerance widened the query."""


@dataclass(frozen=True)
class Finding:
    """One phrasing finding. Offsets are character (code point) offsets into the text."""

    rule: str
    category: str
    severity: str
    start: int
    end: int
    line: int
    """1-based line of ``start``."""
    column: int
    """1-based column (in characters) of ``start``."""
    match: str
    message: str
    suggestions: tuple[str, ...] = ()
    article: str | None = None
    why: str = ""

    def to_json(self) -> dict[str, Any]:
        """The shape ``tactful lint --json`` promises (DESIGN.md)."""
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "match": self.match,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "article": self.article,
        }


@dataclass(frozen=True)
class Changes:
    """What a write changed, so each view can decide whether to refresh (Anki's OpChanges)."""

    articles: frozenset[str] = frozenset()
    snippets: frozenset[str] = frozenset()
    recipes: bool = False
    rules: bool = False
    drafts: bool = False
    index: bool = False

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            articles=self.articles | other.articles,
            snippets=self.snippets | other.snippets,
            recipes=self.recipes or other.recipes,
            rules=self.rules or other.rules,
            drafts=self.drafts or other.drafts,
            index=self.index or other.index,
        )

    def __bool__(self) -> bool:
        return bool(
            self.articles or self.snippets or self.recipes or self.rules or self.drafts or self.index
        )


@dataclass
class FileProblem:
    path: str
    message: str


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    cancelled: bool = False
    changes: Changes = field(default_factory=Changes)

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "problems": [asdict(p) for p in self.problems],
            "cancelled": self.cancelled,
        }


def now_iso() -> str:
    """The current time in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (how every timestamp is stored)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
