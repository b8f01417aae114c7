"""What a rep typed, turned into words, quoted phrases and the word still being typed.

The search box takes any text at all, so there is no query language to get wrong.
Only one piece of syntax is honoured: "double quotes" make a phrase that must appear
(curly quotes too). Everything else is plain words: ``AND``/``OR``/``NOT``, ``*``,
``?``, ``title:refund``, brackets and ``-`` are just text, so nothing a rep types can
be a syntax error. An unbalanced quote is ignored, and while a quote is still open the
words after it count as ordinary words.

The last word counts as unfinished (matched as a prefix) when the text does not end
with a space or punctuation: search-as-you-type sends "refund outs" before "outside".
A stop word is taken as finished, except when nothing else has been typed ("how to
me" is on its way to "merge").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from kb.search.analysis import analyse
from kb.search.docs import WordInfo
from kb.search.plaintext import clean_text

MAX_QUERY_CHARS = 1000
"""Longer queries are cut here; nobody types more and the rest would only cost time."""
MAX_TERMS = 24
"""At most this many indexed words (loose and quoted together) take part."""

_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»＂"})


@dataclass
class ParsedQuery:
    text: str
    """The cleaned query text that word spans refer to."""
    words: list[WordInfo] = field(default_factory=list)
    """Loose words in order, stop words included (their ``stem`` is None)."""
    phrases: list[list[WordInfo]] = field(default_factory=list)
    """Quoted phrases, each a list of words (stop words included)."""
    prefix: WordInfo | None = None
    """The unfinished last word, also the last item of ``words``."""

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable is left (only stop words, punctuation, symbols)."""
        return not any(w.stem for w in self.words) and not any(
            w.stem for phrase in self.phrases for w in phrase
        )


def clean_query(query: str) -> str:
    """The query without control/format characters, NFKC-folded and cut to size."""
    if not isinstance(query, str):
        query = str(query)
    text = clean_text(query[: MAX_QUERY_CHARS * 4])
    text = unicodedata.normalize("NFKC", text)[:MAX_QUERY_CHARS]
    text = clean_text(text)  # NFKC can produce control characters (e.g. from U+2028)
    return text.translate(_QUOTES).replace("\n", " ").replace("\t", " ")


def parse_query(query: str) -> ParsedQuery:
    """Split a raw query into loose words, quoted phrases and the unfinished last word."""
    text = clean_query(query)
    parsed = ParsedQuery(text=text)
    parts = text.split('"')
    closed = len(parts) if len(parts) % 2 == 1 else len(parts) - 1
    offset = 0
    budget = MAX_TERMS
    for index, part in enumerate(parts):
        words = [
            WordInfo(w.text, w.stem, w.start + offset, w.end + offset) for w in analyse(part)
        ]
        offset += len(part) + 1
        inside = index % 2 == 1 and index < closed
        kept = []
        for word in words:
            if word.stem is not None:
                if budget == 0:
                    break
                budget -= 1
            kept.append(word)
        if inside:
            if any(w.stem for w in kept):
                parsed.phrases.append(kept)
        else:
            parsed.words.extend(kept)
    last = parsed.words[-1] if parsed.words else None
    if last is not None and last.end == len(text):
        parsed.prefix = last
        if parsed.is_empty and last.stem is None and len(last.text) >= 2 and last.text.isalpha():
            # "how to me": nothing but stop words so far, the last one unfinished; it is
            # most likely the start of a longer word ("merge"), so complete it.
            parsed.prefix = parsed.words[-1] = WordInfo(last.text, last.text, last.start, last.end)
    return parsed
