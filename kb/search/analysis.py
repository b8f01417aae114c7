"""How text becomes index terms, in one place for the index side and the query side.

The index runs Whoosh's analyzer chain; queries, highlighting and the spelling
vocabulary use ``analyse``/``term_for`` here, which apply the same steps without
Whoosh's token machinery. ``tests/test_search_analysis.py`` checks the two agree.

Choices, and why:

* Tokens are runs of word characters, joined across an apostrophe (contractions stay
  one word) and across a dot after a digit (``2.7.5`` stays whole). The default
  Whoosh expression keeps ``*``, so ``**reset**`` would never match ``reset``
  (DESIGN.md). Other dots split, so ``outlook.exe`` finds ``outlook`` and a missing
  space in ``refund.The`` does not glue two words together.
* Apostrophes are then dropped, so ``can't`` is ``cant``, ``don't`` is ``dont`` and
  ``customer's`` is ``customers``: reps type queries without apostrophes.
* A short stop list of function words only. ``no``, ``not``, ``cant``, ``they``,
  ``we`` and ``you`` are kept on purpose: "say no", "they language" and "you should
  have" are things reps search for.
* Snowball English (Porter2) stemming: unlike Porter it stems ``apologize``,
  ``apologized`` and ``apologizing`` alike, and does not fold ``organization`` into
  ``organ``. British and American forms stem differently (``apologis``/``apolog``);
  the synonyms file joins them at query time.

Changing anything here changes the index format: bump ``SCHEMA_VERSION`` in
``kb/search/schema.py`` so existing indexes are rebuilt.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang.porter2 import stem as _porter2

from kb.search.docs import WordInfo

TOKEN_PATTERN = r"\w+(?:(?:(?<=\d)\.|['’])\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)
MIN_WORD = 2
MAX_WORD = 60
"""Tokens outside this length range are not indexed (noise, base64 blobs, hostile queries)."""

STOP_WORDS = frozenset(
    """
    a about am an and are as at be been but by could did do does for from had has have
    how i if in into is it its me my of on or our so than that the their them then there
    these this those to was were what when where which who whom why with would
    """.split()
)

_APOSTROPHES = str.maketrans("", "", "'’")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Porter2 stem of a lower-cased word (cached: vocabularies are small)."""
    return str(_porter2(word))


def normalise(token: str) -> str:
    """A raw token as the index sees it before stemming: lower case, no apostrophes."""
    return token.lower().translate(_APOSTROPHES)


def indexable(word: str) -> bool:
    """Whether a normalised word becomes an index term."""
    return MIN_WORD <= len(word) <= MAX_WORD and word not in STOP_WORDS


def term_for(word: str) -> str | None:
    """The index term for a normalised word, or None when it is not indexed."""
    return stem(word) if indexable(word) else None


def analyse(text: str) -> list[WordInfo]:
    """Every word of ``text`` with its span and index term (None for stop words)."""
    words = []
    for match in TOKEN_RE.finditer(text):
        word = normalise(match.group())
        words.append(WordInfo(word, term_for(word), match.start(), match.end()))
    return words


def terms(text: str) -> list[str]:
    """The index terms of ``text`` in order (what the index analyzer produces)."""
    return [w.stem for w in analyse(text) if w.stem is not None]


def add_positions(
    text: str,
    start: int,
    weight: float,
    positions: dict[str, list[int]],
    weights: dict[str, float],
    words: dict[str, int] | None = None,
) -> int:
    """Index ``text`` into ``positions``/``weights`` from position ``start``; return the next one.

    The index-side fast path: the same steps as ``text_analyzer()`` (a test checks they
    agree) without a Token object and five generators per word, which made Whoosh's
    analyzer the largest cost of a rebuild. ``words`` collects the unstemmed words
    for the spelling vocabulary.
    """
    pos = start
    stop = STOP_WORDS
    for token in TOKEN_RE.findall(text):
        word = token.lower()
        if "'" in word or "’" in word:
            word = word.translate(_APOSTROPHES)
        if not MIN_WORD <= len(word) <= MAX_WORD or word in stop:
            continue
        term = stem(word)
        found = positions.get(term)
        if found is None:
            positions[term] = [pos]
            weights[term] = weight
        else:
            found.append(pos)
            weights[term] += weight
        if words is not None and not word[0].isdigit():
            words[word] = 1
        pos += 1
    return pos


def spelling_words(text: str) -> set[str]:
    """The distinct unstemmed words of ``text`` that are indexed (the spelling vocabulary)."""
    words = set()
    for token in TOKEN_RE.findall(text.lower()):
        word = token.translate(_APOSTROPHES)
        if indexable(word) and not word[0].isdigit():
            words.add(word)
    return words


def text_analyzer() -> Any:
    """The Whoosh analyzer for every searchable text field."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | ApostropheFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=MIN_WORD, maxsize=MAX_WORD)
        | StemFilter(stemfn=_porter2, cachesize=200_000)
    )


class ApostropheFilter(Filter):  # type: ignore[misc]
    """Drops apostrophes inside tokens (``can't`` -> ``cant``)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens: Any) -> Any:
        for t in tokens:
            if "'" in t.text or "’" in t.text:
                t.text = t.text.translate(_APOSTROPHES)
            yield t
