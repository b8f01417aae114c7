"""Checking a preview against the knowledge base, and applying it in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.errors import InvalidInput
from kb.interchange import ImportPreview
from kb.interchange.fields import guess_stage
from kb.models import Changes, FileProblem, ImportReport, Snippet, slugify

if TYPE_CHECKING:
    from kb.facade import KnowledgeBase


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def mark(kb: "KnowledgeBase", preview: ImportPreview) -> ImportPreview:
    """Fill in ``duplicate_of`` (same text as an existing snippet, or as an earlier item) and check each item."""
    from kb import snippets as snippet_io

    existing = {normalised(s.text): s.slug for s in kb.snippets(statuses=None)}
    seen: dict[str, str] = {}
    for item in preview.items:
        key = normalised(item.text)
        item.duplicate_of = existing.get(key) or seen.get(key)
        seen.setdefault(key, f"{item.source} of this file")
        try:
            snippet_io.parse_snippet(snippet_io.snippet_to_data(_snippet(item, "check-only")), item.source)
        except InvalidInput as exc:  # say which item and why, never write it
            problem = f"cannot be imported: {exc}"
            if problem not in item.problems:
                item.problems.append(problem)
    return preview


def importable(preview: ImportPreview, *, skip_duplicates: bool = True) -> list:
    return [i for i in preview.items
            if not any(p.startswith("cannot be imported") for p in i.problems)
            and not (skip_duplicates and i.duplicate_of)]


def apply(kb: "KnowledgeBase", preview: ImportPreview, *, skip_duplicates: bool = True, author: str = "") -> ImportReport:
    mark(kb, preview)
    taken = {s.slug for s in kb.snippets(statuses=None)}
    chosen: list[Snippet] = []
    report = ImportReport()
    for item in preview.items:
        if item not in importable(preview, skip_duplicates=skip_duplicates):
            why = f"same text as {item.duplicate_of}" if item.duplicate_of else "; ".join(item.problems)
            report.problems.append(FileProblem(item.source, f"not imported: {why}"))
            continue
        base = slugify(item.title)[:80].rstrip("-") or "imported-reply"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        chosen.append(_snippet(item, slug))
    if chosen:
        saved = kb.store.save_snippets(chosen, author=author, note=f"imported from {preview.format}")
        report.created.extend(saved.created)
        report.updated.extend(saved.updated)
        report.unchanged.extend(saved.unchanged)
        report.changes = Changes(snippets=frozenset(saved.created + saved.updated))
    return report


def _snippet(item, slug: str) -> Snippet:  # noqa: ANN001 - ImportItem
    return Snippet(slug=slug, title=item.title, text=item.text, stage=guess_stage(item.title, item.text),
                   fields=list(item.fields), tags=list(item.tags), status="draft")
