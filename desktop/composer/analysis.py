"""What the composer works out about a reply, off the GUI thread and without Qt.

``check()`` runs in a reader thread (``tasks.read``): the phrasing findings plus the
word count and a readability grade for the status line. The helpers below turn finding
offsets (code points) into editor positions (UTF-16 units), pick the findings a
strictness setting shows, and clean the text that goes to the clipboard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.models import Finding

STRICTNESS: dict[str, frozenset[str]] = {
    "relaxed": frozenset({"error"}),
    "standard": frozenset({"error", "warning"}),
    "strict": frozenset({"error", "warning", "suggestion"}),
}
"""Severities shown for each value of the ``checks/strictness`` setting."""

PLACEHOLDER = "unfilled-placeholder"


@dataclass(frozen=True)
class CheckResult:
    text: str
    findings: tuple[Finding, ...] = ()
    words: int = 0
    grade: float | None = None
    """Flesch-Kincaid grade of the whole reply, or None when it is too short to grade."""
    problems: tuple[str, ...] = field(default=())


_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def check(kb: Any, text: str, ignored: Sequence[str] = ()) -> CheckResult:
    """Findings, word count and grade for ``text`` (call from a worker thread)."""
    findings = tuple(kb.lint(text, ignore=list(ignored)))
    return CheckResult(text=text, findings=findings, words=count_words(text), grade=grade(text))


def grade(text: str) -> float | None:
    """Flesch-Kincaid grade of ``text`` over its sentences, or None under 10 words."""
    from kb.lint import readability
    from kb.lint.text import analyse

    doc = analyse(text)
    sentences = [s for s in doc.sentences if s.words]
    words = [doc.text[doc.tokens[i].start : doc.tokens[i].end] for s in sentences for i in s.words]
    if len(words) < 10:
        return None
    syllables = sum(readability.syllables(w.lower()) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syllables / len(words) - 15.59


def grade_label(value: float | None) -> tuple[str, str]:
    """A short label and an explanation for the status line."""
    if value is None:
        return "Readability: –", "Write a little more to see how easy the reply is to read."
    shown = max(1, round(value))
    if value <= 8:
        word = "easy"
    elif value <= 12:
        word = "fairly easy"
    else:
        word = "hard"
    return (f"Readability: {word} (grade {shown})",
            f"Reading grade {value:.1f} (Flesch-Kincaid). Aim for 8 or lower; above 12 is hard going.")


def shown(findings: Iterable[Finding], strictness: str) -> list[Finding]:
    """The findings a strictness setting underlines (placeholders always count)."""
    keep = STRICTNESS.get(strictness, STRICTNESS["standard"])
    return [f for f in findings if f.severity in keep or f.category == PLACEHOLDER]


class Positions:
    """Code-point offsets (findings) to UTF-16 positions (Qt documents) and back."""

    def __init__(self, text: str) -> None:
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_qt(self, offset: int) -> int:
        if not self._wide:
            return offset
        from bisect import bisect_left

        return offset + bisect_left(self._wide, offset)

    def from_qt(self, position: int) -> int:
        offset = position
        for k, wide in enumerate(self._wide):  # few astral characters in a reply
            if wide + k >= position:
                break
            offset -= 1
        return offset


_MARKERS = re.compile(r"[ \t]*<!--\s*tactful-(?:ignore|disable|enable)\b[^>]*?-->")
_TRAILING = re.compile(r"[ \t\u00a0]+$", re.M)
_BLANK_RUNS = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """The reply as it should be pasted: plain text, no markers, tidy line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n").replace("\u2028", "\n")
    text = text.replace("\u00a0", " ").replace("\ufffc", "")
    text = _MARKERS.sub("", text)
    text = _TRAILING.sub("", text)
    text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip("\n")


def match_case(original: str, replacement: str, *, sentence_start: bool) -> str:
    """``replacement`` capitalised like the start of a sentence when it replaces one."""
    if sentence_start and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    if (not sentence_start and replacement[:1].isupper() and original[:1].islower()
            and not re.match(r"I\b", replacement)):
        return replacement[:1].lower() + replacement[1:]
    return replacement
