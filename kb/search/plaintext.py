"""Markdown to the plain text the search index holds.

The index must see words, not markup: Whoosh's default tokenizer keeps ``*``, so
``**reset**`` would be indexed as ``**reset**`` and a search for ``reset`` would miss
it (DESIGN.md, "Tokenizer"). Excerpts are cut from this text too, so it has to read
well: no link targets, no image paths, no HTML, no fence markers, no ``[!NOTE]``.

This is a deliberately small, forgiving line-based stripper rather than a full
markdown parse: it runs once per article at index time, must never fail on odd input,
and only has to be good enough for matching and for a two-line excerpt.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

MAX_TEXT_CHARS = 500_000
"""Longer bodies are indexed up to this many characters (imports stop at 5 MB)."""

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_COLON_FENCE = re.compile(r"^\s*:{3,}")
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ADMONITION = re.compile(r'^\s*[!?]{3}\+?\s*[\w-]+(?:\s+"(.*)")?\s*$')
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_QUOTE = re.compile(r"^\s{0,3}(?:>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_CALLOUT = re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION|INFO|DANGER)\]", re.IGNORECASE)

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)|!\[([^\]]*)\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\s*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<(?:https?|ftp|mailto|file):[^>\s]*>", re.IGNORECASE)
_BARE_URL = re.compile(r"\b(?:https?|ftp|file)://\S+", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_INLINE_DIRECTIVE = re.compile(r":::[^:\n]*(?::(?!::)[^:\n]*)*:::")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<\"'])")
_SPACES = re.compile(r"[ \t\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_INVISIBLE = re.compile(
    # Format characters (bidi controls, zero-width, BOM, soft hyphen...), lone
    # surrogates, private use and non-characters.
    "[\xad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff"
    "\ufdd0-\ufdef\ufffe\uffff\U000e0000-\U000e007f\U000f0000-\U0010ffff]"
)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_ESCAPED_BASE = 0xE000
"""Escaped punctuation is parked in the private-use area while emphasis is stripped."""
_UNESCAPE = {_ESCAPED_BASE + i: i for i in range(128)}


@dataclass(frozen=True)
class PlainDocument:
    """The searchable text of one article body."""

    text: str
    """The whole body as plain text, one paragraph or list item per line."""
    headings: list[str]
    """The text of every heading (``#`` lines and setext underlines), in order."""


def clean_text(text: str) -> str:
    """``text`` without control, format, surrogate and private-use characters.

    Tabs and newlines stay (``\r`` becomes a newline). Stored text ends up in HTML
    excerpts and in UTF-8 encoded index files, where a lone surrogate or a NUL would
    fail or mislead.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        text = _CONTROL.sub(" ", text)
    if _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    return text


def inline_to_text(line: str) -> str:
    """Strip inline markdown and HTML from one line of text."""
    if not line:
        return line
    escaped = "\\" in line
    if escaped:
        line = _ESCAPE.sub(lambda m: chr(_ESCAPED_BASE + ord(m.group(1))), line)
    # Each pattern only runs when its marker character is present (a rebuild strips
    # millions of lines; most have no markup at all).
    if ":::" in line:
        line = _INLINE_DIRECTIVE.sub(" ", line)
    if "`" in line:
        line = _CODE_SPAN.sub(lambda m: m.group(2).strip(), line)
    if "[" in line:
        line = _IMAGE.sub(" ", line)
        line = _LINK.sub(lambda m: m.group(1), line)
        line = _REF_LINK.sub(lambda m: m.group(1), line)
        line = _CALLOUT.sub(" ", line)
    if "<" in line:
        line = _AUTOLINK.sub(" ", line)
        line = _TAG.sub(" ", line)
    if "://" in line:
        line = _BARE_URL.sub(" ", line)
    if "*" in line or "_" in line:
        for _ in range(2):  # nested emphasis such as ***word***
            line = _STRONG.sub(lambda m: m.group(2), line)
            line = _EM_STAR.sub(lambda m: m.group(1), line)
            line = _EM_UNDER.sub(lambda m: m.group(1), line)
    if "~~" in line:
        line = _STRIKE.sub(lambda m: m.group(1), line)
    if escaped:
        line = line.translate(_UNESCAPE)
    if "&" in line:
        line = html.unescape(line)
    return _SPACES.sub(" ", line).strip()


def _table_row(line: str) -> str:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    return " · ".join(c for c in cells if c)


def markdown_to_text(markdown: str) -> PlainDocument:
    """Plain text and headings of a markdown body. Never raises for any ``str``."""
    source = clean_text(markdown[:MAX_TEXT_CHARS])
    if "<!--" in source:
        source = _COMMENT.sub(" ", source)
    if "<" in source:
        source = _SCRIPT.sub(" ", source)
    lines = source.split("\n")
    out: list[str] = []
    headings: list[str] = []
    fence: str | None = None
    previous_plain: int | None = None  # index in ``out`` of a paragraph line that could be a setext heading
    for raw in lines:
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            else:
                out.append(_SPACES.sub(" ", raw).strip())
            previous_plain = None
            continue
        opened = _FENCE.match(raw)
        if opened:
            fence = opened.group(1)[0] * 3
            previous_plain = None
            continue
        if _COLON_FENCE.match(raw) or _REF_DEF.match(raw) or _TABLE_SEP.match(raw) and "|" in raw:
            previous_plain = None
            continue
        setext = _SETEXT.match(raw)
        if setext and previous_plain is not None and previous_plain == len(out) - 1:
            headings.append(out[previous_plain])
            previous_plain = None
            continue
        if _RULE.match(raw):
            previous_plain = None
            continue
        atx = _ATX.match(raw)
        if atx:
            text = inline_to_text(atx.group(2) or "")
            if text:
                headings.append(text)
                out.append(text)
            previous_plain = None
            continue
        admonition = _ADMONITION.match(raw)
        if admonition:
            title = inline_to_text(admonition.group(1) or "")
            if title:
                out.append(title)
            previous_plain = None
            continue
        line = _QUOTE.sub("", raw)
        starts_item = bool(_LIST.match(line))
        line = _LIST.sub("", line)
        if "|" in line and line.strip().startswith("|"):
            line = _table_row(line)
        text = inline_to_text(line)
        if not text:
            previous_plain = None
            continue
        out.append(text)
        is_paragraph = not starts_item and raw[:1] not in (">", " ", "\t") and "|" not in raw
        previous_plain = len(out) - 1 if is_paragraph else None
    return PlainDocument(text="\n".join(out), headings=headings)
