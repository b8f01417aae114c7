"""Saved replies from other tools in, vetted snippets out (CSV, espanso, Zendesk, Text Blaze, TextExpander).

Reading never writes: ``read(path)`` parses a file into an ``ImportPreview`` (items, which
placeholders became Tactful fields, which could not, per-item problems). The facade marks
duplicates of existing snippets and applies a preview in one transaction, every item a
*draft*, so an editor reviews it with the phrasing checks before reps see it.

A file that cannot be used raises ``InterchangeError`` saying what to do; nothing changes.
Shapes and their sources: README.md, "Bringing saved replies in".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import InvalidInput
from kb.models import SnippetField

FORMATS = ("csv", "espanso", "zendesk", "textblaze", "textexpander")
EXPORT_FORMATS = ("espanso", "csv")
MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000


class InterchangeError(InvalidInput):
    """A saved-replies file that cannot be imported as it is."""


@dataclass
class ImportItem:
    title: str
    text: str
    """In Tactful's form: ``{field}`` fill-ins, ``{{``/``}}`` for literal braces."""
    tags: list[str] = field(default_factory=list)
    fields: list[SnippetField] = field(default_factory=list)
    source: str = ""
    """Where it came from in the file: "row 3", "match 2", "macro 'Refund'"."""
    problems: list[str] = field(default_factory=list)
    duplicate_of: str | None = None
    """Slug of an existing snippet with the same text (filled in by the facade's preview)."""


@dataclass
class ImportPreview:
    format: str
    items: list[ImportItem] = field(default_factory=list)
    mapped_fields: dict[str, str] = field(default_factory=dict)
    """Their placeholder -> the Tactful field it became."""
    unmapped: list[str] = field(default_factory=list)
    """Placeholders that cannot be a fill-in field; left in the text for the editor to rewrite."""
    problems: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def duplicates(self) -> list[ImportItem]:
        return [item for item in self.items if item.duplicate_of]

    def to_json(self) -> dict:
        return {
            "format": self.format,
            "items": len(self.items),
            "mapped_fields": dict(self.mapped_fields),
            "unmapped": list(self.unmapped),
            "duplicates": [{"title": i.title, "source": i.source, "duplicate_of": i.duplicate_of}
                           for i in self.duplicates],
            "problems": list(self.problems)
            + [f"{i.source}: {p}" for i in self.items for p in i.problems],
        }


def read_text(path: str | Path) -> str:
    """The file as text, or ``InterchangeError`` for missing, huge, binary or non-UTF-8 files."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InterchangeError(
                f"{path.name} is {size / 1_048_576:.1f} MB; saved-reply files are at most 5 MB. "
                "Split it into smaller files and import them one by one."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InterchangeError(f"{path} does not exist. Check the file name.") from None
    except IsADirectoryError:
        raise InterchangeError(f"{path} is a folder; choose a file.") from None
    except OSError as exc:
        raise InterchangeError(f"{path} could not be read ({exc.strerror or exc}).") from None
    if b"\x00" in data[:8192]:
        raise InterchangeError(
            f"{path.name} is not a text file (it looks binary). Export your saved replies as CSV, "
            "YAML or JSON and import that."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InterchangeError(
            f"{path.name} is not UTF-8 text. Save or export it as UTF-8 (in Excel: "
            "'CSV UTF-8 (comma delimited)') and import it again."
        ) from None
    if not text.strip():
        raise InterchangeError(f"{path.name} is empty: there are no saved replies to import.")
    return text


def detect_format(path: str | Path) -> str | None:
    """A best guess from the extension and the first few kilobytes; None when unsure."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        head = ""
    if suffix in (".yml", ".yaml"):
        return "espanso"
    if suffix == ".json":
        return "zendesk"
    if suffix in (".csv", ".tsv", ".txt"):
        first = head.lstrip("\ufeff").splitlines()[0].lower() if head.strip() else ""
        header = {cell.strip().strip('"') for cell in first.replace(";", ",").split(",")}
        if {"title", "text"} <= header or {"name", "body"} <= header:
            return "csv"
        if "%filltext" in head or "%clipboard" in head or (first.count(",") == 2 and "abbreviation" not in first
                                                           and first.startswith((";", ":", "/", "!"))):
            return "textexpander"
        if "{formtext" in head or "{clipboard" in head or "shortcut" in first and "label" not in first:
            return "textblaze"
        return "csv"
    if "matches:" in head:
        return "espanso"
    if '"macros"' in head:
        return "zendesk"
    return None


def read(path: str | Path, fmt: str | None = None, mapping: dict[str, str | None] | None = None) -> ImportPreview:
    """Parse ``path`` into a preview; writes nothing."""
    chosen = fmt or detect_format(path)
    if chosen is None:
        raise InterchangeError(
            f"Cannot tell what kind of file {Path(path).name} is. Choose its format: {', '.join(FORMATS)}."
        )
    if chosen not in FORMATS:
        raise InterchangeError(f"Unknown format {chosen!r}; use one of {', '.join(FORMATS)}.")
    text = read_text(path)
    if chosen == "espanso":
        from kb.interchange.espanso import parse
    elif chosen == "zendesk":
        from kb.interchange.zendesk import parse
    elif chosen == "textexpander":
        from kb.interchange.tables import parse_textexpander as parse
    elif chosen == "textblaze":
        from kb.interchange.tables import parse_textblaze as parse
    else:
        from kb.interchange.tables import parse_csv

        preview = parse_csv(text, mapping)
        preview.path = str(path)
        return _finish(preview, path)
    preview = parse(text)
    preview.path = str(path)
    return _finish(preview, path)


def _finish(preview: ImportPreview, path: str | Path) -> ImportPreview:
    if not preview.items:
        raise InterchangeError(f"{Path(path).name} holds no saved replies that can be imported"
                               + (f": {preview.problems[0]}" if preview.problems else "."))
    if len(preview.items) > MAX_ITEMS:
        raise InterchangeError(f"{Path(path).name} holds {len(preview.items)} replies; import at most "
                               f"{MAX_ITEMS} at a time.")
    return preview


def csv_columns(path: str | Path) -> list[str]:
    from kb.interchange.tables import columns

    return columns(read_text(path))


def guess_mapping(columns: list[str]) -> dict[str, str | None]:
    from kb.interchange.tables import guess

    return guess(columns)
