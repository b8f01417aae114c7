"""Short, HTML-safe excerpts of a hit, with the matched words in ``<b>``.

Whoosh's highlighter re-runs the field analyzer over the whole stored body for every
hit, which DESIGN.md measured as the dominant cost of a query. This one works on the
plain text stored at index time (markdown already stripped) and never tokenizes the
whole body in Python: one compiled regular expression finds the words that *start*
like a query term, and only those candidates are stemmed to confirm the match. Only
the hits actually returned are highlighted.

Safety: every character of document text goes through ``html.escape``; the only
markup in the output is the ``<b>``/``</b>`` pairs added here and the ``…`` that marks
a cut. Nothing from the document can come through as a tag or an entity.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from kb.search.analysis import normalise, term_for

SCAN_CHARS = 60_000
"""Matches are looked for in the first this many characters of a body."""
FRAGMENT_CHARS = 180
"""Target length of one excerpt."""
CONTEXT_CHARS = 50
"""Characters kept before the first match of an excerpt."""
ELLIPSIS = "…"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    term: str


class TermMatcher:
    """Finds where any of a set of index terms occurs in plain text."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(t for t in terms if t)
        stems = set()
        for term in self.terms:
            # A Porter2 stem is a prefix of its words except for a final y -> i.
            base = term[:-1] if term.endswith("i") and len(term) > 2 else term
            stems.add(re.escape(base))
        if stems:
            alternation = "|".join(sorted(stems, key=len, reverse=True))
            self._regex: re.Pattern[str] | None = re.compile(
                rf"(?<!\w)(?:{alternation})\w*(?:(?:(?<=\d)\.|['’])\w+)*", re.IGNORECASE
            )
        else:
            self._regex = None

    def __bool__(self) -> bool:
        return self._regex is not None

    def spans(self, text: str, limit: int = SCAN_CHARS) -> list[Span]:
        if self._regex is None or not text:
            return []
        found = []
        for match in self._regex.finditer(text, 0, min(len(text), limit)):
            term = term_for(normalise(match.group()))
            if term is not None and term in self.terms:
                found.append(Span(match.start(), match.end(), term))
        return found


def _mark(text: str, start: int, end: int, spans: list[Span]) -> str:
    out = []
    at = start
    for span in spans:
        if span.start < at or span.end > end:
            continue
        out.append(html.escape(text[at : span.start]))
        out.append("<b>" + html.escape(text[span.start : span.end]) + "</b>")
        at = span.end
    out.append(html.escape(text[at:end]))
    return "".join(out)


def _line_bounds(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end == -1 else end


def _snap_start(text: str, start: int, floor: int) -> int:
    """Move ``start`` forward to the beginning of a word (never before ``floor``)."""
    if start <= floor:
        return floor
    space = text.find(" ", start, start + 20)
    return space + 1 if space != -1 else start


def _snap_end(text: str, end: int, ceiling: int) -> int:
    if end >= ceiling:
        return ceiling
    space = text.rfind(" ", end - 20, end)
    return space if space > 0 else end


def excerpts(text: str, matcher: TermMatcher, count: int = 2) -> list[str]:
    """Up to ``count`` HTML-safe excerpts of ``text`` around matches, best first."""
    spans = matcher.spans(text)
    if not spans:
        return []
    candidates = []
    i = 0
    while i < len(spans):
        first = spans[i]
        line_start, line_end = _line_bounds(text, first.start)
        start = _snap_start(text, max(line_start, first.start - CONTEXT_CHARS), line_start)
        limit = min(line_end, start + FRAGMENT_CHARS)
        inside = [first]
        j = i + 1
        while j < len(spans) and spans[j].end <= limit:
            inside.append(spans[j])
            j += 1
        end = _snap_end(text, max(limit, inside[-1].end), line_end)
        end = max(end, inside[-1].end)
        score = len({s.term for s in inside}) * 10 + len(inside)
        candidates.append((score, start, end, inside, line_start, line_end))
        i = j
    best = sorted(candidates, key=lambda c: (-c[0], c[1]))[:count]
    out = []
    for _, start, end, inside, line_start, line_end in best:
        fragment = _mark(text, start, end, inside)
        if start > line_start:
            fragment = ELLIPSIS + fragment
        if end < line_end:
            fragment += ELLIPSIS
        out.append(fragment)
    return out


def opening(text: str, chars: int = FRAGMENT_CHARS) -> str:
    """The escaped start of ``text`` (for a hit whose body has no match to show)."""
    first = text.strip().split("\n", 1)[0] if text else ""
    if len(first) <= chars:
        return html.escape(first)
    return html.escape(first[: _snap_end(first, chars, len(first))]) + ELLIPSIS


def marked(text: str, matcher: TermMatcher) -> str:
    """All of a short text (a summary) escaped, with its matches in ``<b>``."""
    return _mark(text, 0, len(text), matcher.spans(text))
