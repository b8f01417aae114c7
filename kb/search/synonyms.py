"""Synonym and spelling-variant groups, expanded when a search runs.

The file format is fixed in DEVELOPERS.md: one comma-separated group per line, ``#``
starts a comment, multi-word entries are phrases. Expansion happens at query time, so
editing the list needs no reindex, and an exact match can always be ranked above its
synonyms (the engine weighs alternatives below the word the rep typed).

Entries are matched by their index terms, so a group written as ``refund, money back``
also serves "refunds", "refunded" and "getting my money back". Two kinds of
alternative get different weights:

* spelling variants (``apologise``/``apologize``, ``grey``/``gray``) are the same word
  to a reader and rank almost level with an exact match;
* true synonyms (``rant``/``vent``, ``refuse``/``say no``) rank clearly below it.

A pair counts as a spelling variant when both are single words of four or more
letters, at most two edits apart and sharing all but their last few letters (see
``is_spelling_variant``). That heuristic covers -ise/-ize, -our/-or, -re/-er, doubled
consonants and grey/gray without a second file format.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

VARIANT_WEIGHT = 0.9
SYNONYM_WEIGHT = 0.5


@dataclass(frozen=True)
class Alternative:
    """Another way of saying an entry: its index terms (several = a phrase) and a weight."""

    terms: tuple[str, ...]
    weight: float
    text: str
    """The entry as written in the file (lower case), for display and highlighting."""


def parse_groups(text: str) -> list[list[str]]:
    """The groups of a synonyms file: lower-cased entries, blanks and comments dropped."""
    groups = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        entries = []
        for raw in line.split(","):
            entry = " ".join(raw.split()).lower()
            if entry and entry not in entries:
                entries.append(entry)
        if len(entries) >= 2:
            groups.append(entries)
    return groups


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning ``limit + 1``) past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def is_spelling_variant(a: str, b: str) -> bool:
    """True for pairs like colour/color, apologise/apologize, grey/gray, centre/center."""
    if " " in a or " " in b or min(len(a), len(b)) < 4:
        return False
    shared = 0
    for ca, cb in zip(a, b):
        if ca != cb:
            break
        shared += 1
    return shared >= min(len(a), len(b)) - 3 and edit_distance(a, b, 2) <= 2


class Synonyms:
    """Lookup from an entry's index terms to its alternatives."""

    def __init__(
        self, groups: Iterable[Sequence[str]], analyse: Callable[[str], list[str]]
    ) -> None:
        self._alternatives: dict[tuple[str, ...], dict[tuple[str, ...], Alternative]] = {}
        self.max_terms = 1
        for group in groups:
            entries = [(entry, tuple(analyse(entry))) for entry in group]
            entries = [(entry, terms) for entry, terms in entries if terms]
            for entry, terms in entries:
                self.max_terms = max(self.max_terms, len(terms))
                table = self._alternatives.setdefault(terms, {})
                for other, other_terms in entries:
                    if other_terms == terms:
                        continue
                    weight = VARIANT_WEIGHT if is_spelling_variant(entry, other) else SYNONYM_WEIGHT
                    known = table.get(other_terms)
                    if known is None or known.weight < weight:
                        table[other_terms] = Alternative(other_terms, weight, other)

    @classmethod
    def load(cls, path: Path | None, analyse: Callable[[str], list[str]]) -> "Synonyms":
        """Read ``path``; a missing or unreadable file means no synonyms (logged, not fatal)."""
        if path is None:
            return cls([], analyse)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            log.warning("search synonyms not loaded from %s: %s", path, err)
            return cls([], analyse)
        return cls(parse_groups(text), analyse)

    def __len__(self) -> int:
        return len(self._alternatives)

    def alternatives(self, terms: tuple[str, ...]) -> list[Alternative]:
        """Other ways of saying ``terms`` (strongest first); empty when it is in no group."""
        table = self._alternatives.get(terms)
        if not table:
            return []
        return sorted(table.values(), key=lambda alt: (-alt.weight, alt.terms))
