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


# -- known-item query sets (issue 12) -------------------------------------------------------
#
# A rep looking for one article they know: the query is built from its title, and the
# article counts as found when it (or another article with the same title) is in the top
# ten. Every set is drawn with a fixed seed, so runs compare.

KNOWN_ITEM_SAMPLE = 400
KEYSTROKE_TITLES = 40
CROWDED = 10
"""A prefix query whose three words are shared by more than this many titles is not
counted: no ranking can put one particular article of so many in the top ten."""

_WORD = re.compile(r"\w+")


@dataclass
class KnownItem:
    kind: str
    query: str
    title: str
    slugs: list[str]
    """The articles with the title sought (titles can repeat): any of them is a hit."""


def _typo_query(title: str, rng: random.Random) -> str | None:
    """The title, lower-cased, with one letter dropped from its longest word."""
    text = title.lower()
    words = [m for m in _WORD.finditer(text) if m.group().isalpha()]
    if not words:
        return None
    longest = max(words, key=lambda m: len(m.group()))
    if len(longest.group()) < 5:
        return None
    at = longest.start() + rng.randrange(len(longest.group()))
    return text[:at] + text[at + 1 :]


def _prefix_parts(title: str) -> tuple[str, str, str] | None:
    """The first two words of the title and the first half of the third, as typed."""
    words = [w.strip(_PUNCTUATION) for w in title.lower().split()]
    words = [w for w in words if w]
    if len(words) < 3 or len(words[2]) < 2:
        return None
    return words[0], words[1], words[2][: len(words[2]) // 2]


_PUNCTUATION = "\"'“”‘’()[]{}<>,.:;!?"



def _crowding(titles: list[str]) -> dict[tuple[str, str, str], int]:
    """How many titles share each (word, word, prefix) triple of the prefix set."""
    wanted = {p for p in map(_prefix_parts, titles) if p}
    by_word: dict[str, set[int]] = {}
    word_lists = [{w.strip(_PUNCTUATION) for w in t.lower().split()} for t in titles]
    for i, words in enumerate(word_lists):
        for w in words:
            by_word.setdefault(w, set()).add(i)
    counts = {}
    for a, b, p in wanted:
        both = by_word.get(a, set()) & by_word.get(b, set())
        counts[(a, b, p)] = sum(1 for i in both if any(w.startswith(p) for w in word_lists[i]))
    return counts


def known_items(docs: list[IndexDoc], seed: int = SEED) -> tuple[list[KnownItem], int]:
    """The typo, prefix and keystroke sets for ``docs``, and how many prefix queries were
    left out as crowded."""
    rng = random.Random(seed)
    by_title: dict[str, list[str]] = {}
    for d in docs:
        if d.title.strip():
            by_title.setdefault(d.title.strip(), []).append(d.slug)
    titles = sorted(by_title)
    sample = rng.sample(titles, min(KNOWN_ITEM_SAMPLE, len(titles)))
    items: list[KnownItem] = []
    for title in sample:
        query = _typo_query(title, rng)
        if query:
            items.append(KnownItem("typo title", query, title, by_title[title]))
    crowding = _crowding(titles)
    excluded = 0
    for title in sample:
        parts = _prefix_parts(title)
        if not parts or not parts[2]:
            continue
        if crowding.get(parts, 0) > CROWDED:
            excluded += 1
            continue
        items.append(KnownItem("prefix title", " ".join(parts), title, by_title[title]))
    for title in rng.sample(titles, min(KEYSTROKE_TITLES, len(titles))):
        text = title.lower()
        items.extend(
            KnownItem("keystrokes", text[:n], title, by_title[title]) for n in range(1, len(text) + 1)
        )
    return items, excluded
