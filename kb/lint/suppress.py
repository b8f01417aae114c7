"""Silencing findings: inline markers in files, per-draft ignore keys, the team accept list.

Inline markers are HTML comments, invisible when markdown is rendered and plain enough
in a text file::

    <!-- tactful-ignore -->                  the next non-blank line, every rule
    <!-- tactful-ignore hard-no -->          ... only this category (or rule id, or glob)
    Some text <!-- tactful-ignore -->        the line the marker is on
    <!-- tactful-disable dismissive.obviously -->
    ... everything up to ...
    <!-- tactful-enable dismissive.obviously -->

Names are rule ids (``dismissive.obviously``), categories (``hard-no``) or globs
(``blame.*``), separated by spaces or commas; no names means every rule. A
``tactful-disable`` without a matching ``tactful-enable`` lasts to the end of the text.

The per-draft ignore list holds *finding keys* (``finding_key``): the rule id and the
matched words, normalised (case, apostrophes, spacing). A key does not depend on where
the phrase sits, so it survives the rep typing anywhere else in the draft; ignoring a
phrase ignores it wherever that rule flags those same words in the draft ("ignore
all", as in a spelling checker). The list may also hold rule ids or categories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from kb.models import Finding

_MARKER = re.compile(r"<!--\s*tactful-(ignore|disable|enable)\b([^>]*?)-->", re.I)
_SPACES = re.compile(r"\s+")


def normalise_phrase(text: str) -> str:
    """Case-folded, apostrophes straightened, runs of white space as one space."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    return _SPACES.sub(" ", text.casefold()).strip()


def finding_key(finding: Finding) -> str:
    """The key a draft's ignore list stores for ``finding``: ``"<rule>:<matched words>"``."""
    return f"{finding.rule}:{normalise_phrase(finding.match)}"


def _names_match(names: tuple[str, ...], finding: Finding) -> bool:
    if not names:
        return True
    return any(
        name in (finding.rule, finding.category) or fnmatchcase(finding.rule, name) for name in names
    )


@dataclass(frozen=True)
class Silenced:
    start: int
    end: int
    names: tuple[str, ...]

    def covers(self, finding: Finding) -> bool:
        return self.start <= finding.start < self.end and _names_match(self.names, finding)


def inline_markers(text: str) -> list[Silenced]:
    """The ranges of ``text`` silenced by ``tactful-ignore`` / ``-disable`` markers."""
    if "tactful-" not in text:
        return []
    ranges: list[Silenced] = []
    open_: dict[tuple[str, ...], int] = {}
    for m in _MARKER.finditer(text):
        verb = m.group(1).lower()
        names = tuple(n for n in re.split(r"[\s,]+", m.group(2).strip()) if n)
        if verb == "disable":
            open_.setdefault(names, m.end())
        elif verb == "enable":
            start = open_.pop(names, None)
            if start is None and not names and open_:
                for key in list(open_):  # a bare enable closes everything
                    ranges.append(Silenced(open_.pop(key), m.start(), key))
            elif start is not None:
                ranges.append(Silenced(start, m.start(), names))
        else:
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = _line_end(text, m.end())
            rest_of_line = (text[line_start : m.start()] + text[m.end() : line_end]).strip()
            if rest_of_line:
                ranges.append(Silenced(line_start, line_end, names))
            else:
                nxt = line_end
                while nxt < len(text):
                    end = _line_end(text, nxt + 1)
                    if text[nxt + 1 : end].strip():
                        ranges.append(Silenced(nxt + 1, end, names))
                        break
                    nxt = end
    for names, start in open_.items():
        ranges.append(Silenced(start, len(text), names))
    return ranges


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


@dataclass(frozen=True)
class IgnoreList:
    """A draft's ignore list: finding keys, rule ids and categories."""

    entries: frozenset[str]

    @classmethod
    def of(cls, items: Iterable[str]) -> "IgnoreList":
        return cls(frozenset(str(i) for i in items))

    def __bool__(self) -> bool:
        return bool(self.entries)

    def covers(self, finding: Finding) -> bool:
        return (
            finding.rule in self.entries
            or finding.category in self.entries
            or finding_key(finding) in self.entries
        )
