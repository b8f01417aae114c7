"""Typo corrections and title matches from structures built for them, per segment.

Corrections: the index's own vocabulary (the unstemmed words of every article), kept
as one list per word length. A look-up compares the typed word only with the words
whose length is within the allowed edits, using rapidfuzz's optimal-string-alignment
distance: Damerau's, where a swapped pair of neighbouring letters is one edit, in
bit-parallel C++ (about 0.3 ms for a 13-letter word against 19,000 words). The
alternatives, and why not them:

* Whoosh's Levenshtein automaton walks the term dictionary on disk through Python:
  80,000 seeks and 380 ms for one long misspelt word, paid again on every keystroke
  whose cache entry an update cleared.
* A symmetric-delete map (SymSpell) answers with fewer comparisons but holds every
  deletion of every word (about 30 strings per word at two edits, a million and more
  for a 40,000-word vocabulary: hundreds of MB and seconds of Python to build), and
  must be patched on every update. rapidfuzz over the length buckets is already fast
  enough, costs one string per word and needs no patching beyond adding words.

Titles: every article's title as plain lower-case words, joined into one string per
segment, so "titles containing these words in this order" is a handful of
``str.find`` calls instead of a loop over 20,000 titles.

Whoosh segments never change once written (``kb.search.segments``), so both are built
once per segment: an incremental update, which writes a small new segment, costs a
look at that segment only, and the structures of a reader are its segments' together.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from kb.search.analysis import TOKEN_RE, normalise
from kb.search.schema import SPECIAL_SLUGS

VOCAB_FIELDS = ("vocab", "words")
MAX_TITLE_MATCHES = 2000
"""A title key found in more titles than this says nothing about which one is meant."""
SEPARATOR = "\x00"


def title_key(text: str) -> str:
    """``text`` as title matching compares it: lower-case words, one space apart."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(normalise(w) for w in TOKEN_RE.findall(text))


@dataclass
class SegmentWords:
    """One segment's vocabulary, by word length."""

    by_length: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, leaf: Any) -> "SegmentWords":
        out = cls()
        for name in VOCAB_FIELDS:
            if name not in leaf.schema:
                continue
            for term in leaf.lexicon(name):
                word = term.decode("utf-8") if isinstance(term, bytes) else term
                out.by_length.setdefault(len(word), []).append(word)
        return out


class Corrector:
    """Words of a vocabulary within a few edits of a typed word."""

    def __init__(self, parts: Sequence[SegmentWords]) -> None:
        self.parts = list(parts)

    @classmethod
    def of_words(cls, words: Iterable[str]) -> "Corrector":
        part = SegmentWords()
        for word in words:
            part.by_length.setdefault(len(word), []).append(word)
        return cls([part])

    def within(self, word: str, limit: int) -> dict[str, int]:
        """Every known word at most ``limit`` edits from ``word`` (itself excluded), with its distance."""
        found: dict[str, int] = {}
        if limit < 1:
            return found
        for length in range(max(1, len(word) - limit), len(word) + limit + 1):
            for part in self.parts:
                bucket = part.by_length.get(length)
                if not bucket:
                    continue
                for candidate, distance, _ in process.extract(
                    word, bucket, scorer=OSA.distance, score_cutoff=limit, limit=None
                ):
                    if candidate != word and distance < found.get(candidate, limit + 1):
                        found[candidate] = int(distance)
        return found


@dataclass
class SegmentTitles:
    """One segment's titles as one searchable string: ``\\0title one\\0title two\\0``."""

    text: str = SEPARATOR
    starts: list[int] = field(default_factory=list)
    """Where each document's title begins in ``text``, by document number in the segment."""

    @classmethod
    def read(cls, leaf: Any) -> "SegmentTitles":
        keys = []
        for stored in leaf.all_stored_fields():
            slug = stored.get("slug")
            keys.append("" if slug in SPECIAL_SLUGS else title_key(stored.get("title") or ""))
        return cls.of(keys)

    @classmethod
    def of(cls, keys: Sequence[str]) -> "SegmentTitles":
        starts, at = [], 1
        for key in keys:
            starts.append(at)
            at += len(key) + 1
        return cls(SEPARATOR + "".join(k + SEPARATOR for k in keys), starts)


@dataclass
class TitleMatch:
    """Articles whose title holds the query's words in order, and how."""

    exact: set[int] = field(default_factory=set)
    """The whole title is the query."""
    start: set[int] = field(default_factory=set)
    """The title starts with the query."""
    inside: set[int] = field(default_factory=set)
    """The query is somewhere in the title, from the start of a word."""
    completions: dict[str, int] = field(default_factory=dict)
    """For an unfinished last word: the title words it is the start of, and how many titles."""

    def __bool__(self) -> bool:
        return bool(self.exact or self.start or self.inside)


class Titles:
    """The titles of every segment of one reader (document numbers are global)."""

    def __init__(self, parts: Sequence[tuple[SegmentTitles, int, Any]]) -> None:
        self.parts = list(parts)
        """(titles, document offset, deleted-document set or None) per segment."""

    def find(self, key: str, *, open_end: bool) -> TitleMatch:
        """Titles holding ``key`` (see ``title_key``); ``open_end``: its last word is unfinished."""
        match = TitleMatch()
        if len(key) < 2:
            return match
        found = 0
        last = key.rsplit(" ", 1)[-1]
        for titles, offset, deleted in self.parts:
            text, starts = titles.text, titles.starts
            for lead in (SEPARATOR, " "):
                needle = lead + key
                at = text.find(needle)
                while at != -1:
                    end = at + len(needle)
                    after = text[end] if end < len(text) else SEPARATOR
                    if open_end or after in (" ", SEPARATOR):
                        found += 1
                        if found > MAX_TITLE_MATCHES:
                            return TitleMatch()
                        local = bisect_right(starts, at + 1) - 1
                        if deleted is None or local not in deleted:
                            doc = local + offset
                            if lead == SEPARATOR and after == SEPARATOR:
                                match.exact.add(doc)
                            elif lead == SEPARATOR:
                                match.start.add(doc)
                            else:
                                match.inside.add(doc)
                            if open_end:
                                stop = _word_end(text, end)
                                word = last + text[end:stop]
                                match.completions[word] = match.completions.get(word, 0) + 1
                    at = text.find(needle, end)
        return match


_BOUNDARY = re.compile(r"[ \x00]")


def _word_end(text: str, at: int) -> int:
    found = _BOUNDARY.search(text, at)
    return found.start() if found else len(text)
