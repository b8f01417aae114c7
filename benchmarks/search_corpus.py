"""Documents and queries for ``bench_search.py``: the real corpus and a generated one.

The real corpus is ``../shared/corpora/officedocs-support`` (2,459 markdown files with
YAML front matter), read in place and never copied. The generated corpus has any
number of articles built deterministically (fixed seed) by recombining the real
corpus's titles, descriptions, headings and paragraphs, so its vocabulary, lengths
and markdown look like the real thing at 20,000 articles.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kb.search import IndexDoc  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "officedocs-support"
SEED = 20261122

# A fixed mix of what a support rep types into a KB about Microsoft 365 problems.
QUERIES: dict[str, list[str]] = {
    "word": [
        "outlook", "password", "calendar", "mailbox", "license", "sync", "error",
        "sharepoint", "meeting", "onedrive",
    ],
    "two words": [
        "reset password", "shared mailbox", "calendar permissions", "meeting invite",
        "sync error", "external sharing", "license assignment", "mobile device",
    ],
    "question": [
        "how do I recover deleted emails", "users cannot join teams meeting",
        "outlook keeps asking for password", "why are emails stuck in the outbox",
    ],
    "quoted": ['"shared mailbox"', '"out of office"', '"access denied"', '"sign in" error'],
    "typo": ["calender", "pasword", "mailbx", "sharepiont", "authentification", "recieve email"],
    "prefix": ["outl", "reset pass", "calendar perm", "shared mai", "teams mee", "onedr", "exchange onl"],
}


@dataclass
class Source:
    """What the generator recombines."""

    titles: list[str]
    summaries: list[str]
    headings: list[str]
    paragraphs: list[str]
    tags: list[str]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100] or "article"


def _tag_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return []


def real_docs(root: Path = CORPUS) -> list[IndexDoc]:
    """Every article of the real corpus as an ``IndexDoc`` (bad files skipped)."""
    import frontmatter

    docs: list[IndexDoc] = []
    seen: set[str] = set()
    for path in sorted(root.rglob("*.md")):
        try:
            post = frontmatter.loads(path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - a benchmark skips what it cannot read
            continue
        meta = post.metadata
        slug = _slug(str(path.relative_to(root).with_suffix("")))
        while slug in seen:
            slug += "-x"
        seen.add(slug)
        tags = _tag_list(meta.get("ms.custom")) + _tag_list(meta.get("appliesto"))
        docs.append(
            IndexDoc(
                slug=slug,
                title=str(meta.get("title") or path.stem),
                summary=str(meta.get("description") or ""),
                tags=tags,
                status="vetted",
                body=post.content,
                content_hash=str(len(post.content)),
            )
        )
    return docs


def source_from(docs: list[IndexDoc]) -> Source:
    headings, paragraphs, tags = [], [], set()
    for doc in docs:
        for block in re.split(r"\n\s*\n", doc.body):
            block = block.strip()
            if not block:
                continue
            if block.startswith("#") and "\n" not in block:
                headings.append(block.lstrip("#").strip())
            else:
                paragraphs.append(block)
        tags.update(doc.tags)
    return Source(
        titles=[d.title for d in docs],
        summaries=[d.summary for d in docs if d.summary],
        headings=headings,
        paragraphs=paragraphs,
        tags=sorted(tags),
    )


def generated_docs(source: Source, count: int, seed: int = SEED) -> Iterator[IndexDoc]:
    """``count`` articles recombined from ``source``; the same every run."""
    rng = random.Random(seed)
    for i in range(count):
        first, second = rng.choice(source.titles), rng.choice(source.titles)
        title = " ".join(first.split()[: max(2, len(first.split()) // 2)] + second.split()[len(second.split()) // 2 :])
        parts = []
        for _ in range(rng.randint(2, 5)):
            parts.append("## " + rng.choice(source.headings))
            parts.extend(rng.choice(source.paragraphs) for _ in range(rng.randint(1, 4)))
        body = "\n\n".join(parts)
        yield IndexDoc(
            slug=f"gen-{i:05d}-{_slug(title)[:40]}",
            title=title,
            summary=rng.choice(source.summaries),
            tags=rng.sample(source.tags, k=min(len(source.tags), rng.randint(1, 3))),
            status="vetted",
            body=body,
            content_hash=f"{seed}-{i}",
        )


def corpus(name: str, size: int) -> list[IndexDoc]:
    """``real`` (the shared corpus) or ``generated`` (``size`` recombined articles)."""
    real = real_docs()
    if name == "real":
        return real
    return list(generated_docs(source_from(real), size))


def all_queries() -> list[tuple[str, str]]:
    return [(kind, q) for kind, items in QUERIES.items() for q in items]
