"""Vetted snippets out: espanso YAML (``kb.interchange.espanso``) or CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kb.interchange import EXPORT_FORMATS, InterchangeError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("title", "text", "tags", "slug", "stage", "fields")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would run as a formula (OWASP CSV injection) starts with ``'`` instead."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def export(snippets: list, path: str | Path, fmt: str) -> int:  # noqa: ANN001 - kb.models.Snippet
    if fmt not in EXPORT_FORMATS:
        raise InterchangeError(f"Snippets can be exported as {' or '.join(EXPORT_FORMATS)}, not {fmt!r}.")
    path = Path(path)
    if not path.parent.is_dir():
        raise InterchangeError(f"The folder {path.parent} does not exist; choose another place to save.")
    try:
        if fmt == "espanso":
            from kb.interchange.espanso import export as to_espanso

            return to_espanso(snippets, path)
        from kb.markdown_io import atomic_write_text

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for s in snippets:
            writer.writerow([neutralise(v) for v in (
                s.title, s.text, "; ".join(s.tags), s.slug, s.stage, "; ".join(f.name for f in s.fields))])
        atomic_write_text(path, "\ufeff" + buffer.getvalue())  # the BOM tells Excel it is UTF-8
        return len(snippets)
    except OSError as exc:
        raise InterchangeError(f"{path} could not be written ({exc.strerror or exc}).") from None
