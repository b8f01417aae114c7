"""Readability numbers from textstat, loaded lazily and cached per word.

textstat (pinned to 0.7.8: later versions call ``nltk.download()``, a network connection)
counts syllables with the CMU pronouncing dictionary, falling back to Pyphen for words
the dictionary lacks. Importing textstat costs ~45 ms and its first syllable count loads
the CMU dictionary (~0.6-0.9 s, measured by ``benchmarks/bench_lint.py``), so:

* nothing here imports textstat until a sentence actually needs grading;
* ``warm_up()`` pays that cost up front (the app calls it off the GUI thread at start-up,
  so the first lint of a draft is as fast as every other);
* syllable counts are cached per word, so a long article costs dictionary look-ups only.

The grade is the Flesch-Kincaid grade of one sentence:
``0.39 * words + 11.8 * syllables / words - 15.59``. We apply the formula per sentence
ourselves rather than calling ``textstat.flesch_kincaid_grade`` on the sentence because
textstat re-splits its input on every full stop, so "£15.99" or "e.g." inside one
sentence would count as several sentences; our tokeniser has already split sentences.
"""

from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

_lock = threading.Lock()


@lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    """Syllables in one word, from textstat (CMU dictionary, then Pyphen)."""
    import textstat

    return max(1, int(textstat.syllable_count(word)))


def grade(words: list[str]) -> float:
    """Flesch-Kincaid grade of one sentence given its words."""
    if not words:
        return 0.0
    total = sum(syllables(w.lower()) for w in words)
    return 0.39 * len(words) + 11.8 * total / len(words) - 15.59


def in_dictionary(word: str) -> bool:
    """Whether the CMU dictionary knows ``word`` (lower case): "urgent" yes, "dacpac" no."""
    from textstat.backend.utils import get_cmudict  # textstat's own cached copy

    return word in (get_cmudict("en_US") or {})


def long_words(words: list[str]) -> list[str]:
    """Words of three or more syllables that are neither everyday nor common words
    ("remittance", not "everything" or "unfortunately")."""
    found = []
    for word in words:
        if word.isupper() and len(word) > 1:
            continue  # "API", "IMEI": an abbreviation, which the abbreviations rule weighs
        lower = word.lower()
        if syllables(lower) >= 3 and not is_everyday_word(lower) and not is_common_word(lower):
            found.append(word)
    return found


def warm_up() -> None:
    """Load textstat and the CMU dictionary now, so no lint pays for it later."""
    with _lock:
        syllables("warm")
        is_everyday_word("warm")
        is_common_word("warm")


@lru_cache(maxsize=1)
def _everyday_words() -> frozenset[str]:
    """textstat's Dale-Chall easy-word list (~2,900 everyday words), read without importing textstat."""
    spec = importlib.util.find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    for location in spec.submodule_search_locations:
        path = Path(location) / "resources" / "en" / "easy_words.txt"
        if path.is_file():
            return frozenset(w.strip().lower() for w in path.read_text(encoding="utf-8").split())
    return frozenset()


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Adult everyday words the Dale-Chall list lacks ("information", "unfortunately"):
    ``resources/lexicon/common-words.txt``, written by ``tools/gen_common_words.py``."""
    from kb import resources

    try:
        lines = resources.path("lexicon", "common-words.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return frozenset()  # a damaged install grades a little harder; it never fails a lint
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_common_word(word: str) -> bool:
    """Whether ``word`` (lower case) is common in written English, for grading only:
    "available" is plain to read, though it is not on the ten-year-olds' list that decides
    whether a word in capitals is shouting."""
    word = word.replace("\u2019", "'")
    words = _common_words()
    return word in words or (word.endswith("s") and word[:-1] in words)


def is_everyday_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an everyday English word rather than an acronym."""
    word = word.replace("\u2019", "'")
    if "'" in word:
        return True  # "DON'T", "I'M": acronyms have no apostrophes
    words = _everyday_words()
    if word in words:
        return True
    base = word.split("'")[0]
    if base in words or (base.endswith("s") and len(base) > 3 and base[:-1] in words):
        return True
    return False
