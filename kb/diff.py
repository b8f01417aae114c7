"""A readable diff between two revisions of an article or a snippet.

``diff_revisions(old, new, kind)`` takes two revision ``data`` mappings (what
``Store.revisions`` keeps: ``Article.content()`` / ``Snippet.content()``) and returns a list
of ``DiffLine(kind, text)``:

* ``"field"`` — a changed field other than the body, e.g. ``Status: draft → vetted``;
* ``"removed"`` / ``"added"`` / ``"unchanged"`` — lines of the body (article) or text
  (snippet), in order;
* ``"skip"`` — a run of unchanged lines left out (only with ``context=``).

``diff_html(lines)`` renders that list as escaped HTML for a read-only viewer; every piece
of content passes through ``html.escape``, so a revision can never inject markup.
"""

from __future__ import annotations

import difflib
import html
import json
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

LINE_KINDS = ("field", "removed", "added", "unchanged", "skip")

_ARTICLE_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("slug", "Slug"),
    ("summary", "Summary"),
    ("tags", "Tags"),
    ("status", "Status"),
    ("owner", "Owner"),
    ("reviewed", "Reviewed"),
    ("meta", "Other front matter"),
)
_SNIPPET_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("slug", "Slug"),
    ("stage", "Stage"),
    ("status", "Status"),
    ("tags", "Tags"),
    ("situations", "Situations"),
    ("article", "Article"),
    ("owner", "Owner"),
)
_BODY_KEY = {"article": "body", "snippet": "text"}


class DiffLine(NamedTuple):
    kind: str
    """One of ``LINE_KINDS``."""
    text: str


def _show(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _field_lines(old: Mapping[str, Any], new: Mapping[str, Any], kind: str) -> list[DiffLine]:
    fields = _ARTICLE_FIELDS if kind == "article" else _SNIPPET_FIELDS
    lines = [
        DiffLine("field", f"{label}: {_show(old.get(key))} → {_show(new.get(key))}")
        for key, label in fields
        if old.get(key) != new.get(key)
    ]
    if kind == "snippet":
        lines.extend(_snippet_field_changes(old.get("fields") or [], new.get("fields") or []))
    return lines


def _snippet_field_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> list[DiffLine]:
    before = {str(f.get("name")): f for f in old}
    after = {str(f.get("name")): f for f in new}
    lines: list[DiffLine] = []
    for name in before:
        if name not in after:
            lines.append(DiffLine("field", f"Fill-in field {{{name}}} removed"))
    for name, declared in after.items():
        if name not in before:
            lines.append(DiffLine("field", f"Fill-in field {{{name}}} added"))
        elif before[name] != declared:
            changed = sorted(k for k in set(before[name]) | set(declared) if before[name].get(k) != declared.get(k))
            lines.append(DiffLine("field", f"Fill-in field {{{name}}} changed ({', '.join(changed)})"))
    return lines


def diff_text(old: str, new: str, *, context: int | None = None) -> list[DiffLine]:
    """Line diff of two texts; ``context`` keeps that many unchanged lines around changes."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine("unchanged", line) for line in a[i1:i2])
            continue
        lines.extend(DiffLine("removed", line) for line in a[i1:i2])
        lines.extend(DiffLine("added", line) for line in b[j1:j2])
    return lines if context is None else _collapse(lines, context)


def _collapse(lines: list[DiffLine], context: int) -> list[DiffLine]:
    keep = [False] * len(lines)
    for i, line in enumerate(lines):
        if line.kind != "unchanged":
            for j in range(max(0, i - context), min(len(lines), i + context + 1)):
                keep[j] = True
    out: list[DiffLine] = []
    skipped = 0
    for line, wanted in zip(lines, keep):
        if wanted:
            if skipped:
                out.append(DiffLine("skip", f"… {skipped} unchanged line{'s' if skipped != 1 else ''} …"))
                skipped = 0
            out.append(line)
        else:
            skipped += 1
    if skipped:
        out.append(DiffLine("skip", f"… {skipped} unchanged line{'s' if skipped != 1 else ''} …"))
    return out


def diff_revisions(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    kind: str = "article",
    *,
    context: int | None = None,
) -> list[DiffLine]:
    """Field changes first, then the body (article) or text (snippet), line by line."""
    if kind not in _BODY_KEY:
        raise ValueError(f"kind must be 'article' or 'snippet', not {kind!r}")
    key = _BODY_KEY[kind]
    return _field_lines(old, new, kind) + diff_text(
        str(old.get(key) or ""), str(new.get(key) or ""), context=context
    )


def has_changes(lines: Sequence[DiffLine]) -> bool:
    return any(line.kind in ("field", "removed", "added") for line in lines)


_HTML_PREFIX = {"field": "", "removed": "− ", "added": "+ ", "unchanged": "  ", "skip": ""}
_HTML_STYLE = {
    "field": "font-weight:bold",
    "removed": "background-color:#fde2e1;color:#8a1c13",
    "added": "background-color:#dcf5e3;color:#175f2c",
    "unchanged": "",
    "skip": "color:#777;font-style:italic",
}


def diff_html(lines: Sequence[DiffLine]) -> str:
    """The diff as escaped HTML (one ``<div class="diff-KIND">`` per line), for a read-only view.

    Inline styles are included so it reads well in a ``QTextBrowser`` without a style
    sheet; the classes let a themed view restyle it.
    """
    parts = ['<div class="diff" style="font-family:monospace;white-space:pre-wrap">']
    for line in lines:
        kind = line.kind if line.kind in _HTML_STYLE else "unchanged"
        style = _HTML_STYLE[kind]
        attr = f' style="{style}"' if style else ""
        text = html.escape(_HTML_PREFIX[kind] + line.text) or "&nbsp;"
        parts.append(f'<div class="diff-{kind}"{attr}>{text}</div>')
    parts.append("</div>")
    return "\n".join(parts)
