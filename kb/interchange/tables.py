"""CSV-shaped files: a plain CSV with a column mapping, TextExpander's and Text Blaze's CSV."""

from __future__ import annotations

import csv
import io
import re

from kb.interchange import ImportPreview, InterchangeError
from kb.interchange.fields import add_item as _add
from kb.interchange.export import CSV_HEADER
from kb.interchange.fields import convert, split_tags

ROLES = ("title", "text", "tags")
FORMULA = ("=", "+", "@", "-")
HEADER_NAMES = {
    "title": ("title", "name", "label", "subject", "macro", "snippet name", "description"),
    "text": ("text", "body", "content", "reply", "response", "message", "snippet", "replace", "template"),
    "tags": ("tags", "tag", "folder", "category", "group", "labels", "collection"),
}
# {{name}} and {name} (Tactful's own export writes {name}).
GENERIC = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")
# TextExpander fill-ins (%filltext:name=...%) and macros that cannot be fill-ins.
TACTFUL = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TEXTEXPANDER = re.compile(r"%fill(?:text|area|popup|part)?:([^%]*)%|%clipboard|%snippet:[^%]*%|%key:[^%]*%")
TEXTEXPANDER_DROP = re.compile(r"%\|")
# Text Blaze commands: {formtext: name=...}, {formparagraph}, {formmenu}, {clipboard}, {time: ...}.
TEXTBLAZE = re.compile(r"\{(form\w+|[a-z]+)(?::\s*([^{}]*))?\}")
TEXTBLAZE_DROP = re.compile(r"\{cursor\}")


def _rows(text: str) -> list[list[str]]:
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)
                if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise InterchangeError(f"The CSV file is broken ({exc}). Open it in a spreadsheet, save it as CSV UTF-8 "
                               "and import it again.") from None


def _has_header(rows: list[list[str]]) -> bool:
    if not rows:
        return False
    first = [cell.strip().lower() for cell in rows[0]]
    known = {name for names in HEADER_NAMES.values() for name in names}
    return any(cell in known for cell in first)


def columns(text: str) -> list[str]:
    rows = _rows(text)
    if not rows:
        return []
    if _has_header(rows):
        return [cell.strip() or f"Column {i}" for i, cell in enumerate(rows[0], 1)]
    return [f"Column {i}" for i in range(1, max(len(r) for r in rows[:50]) + 1)]


def guess(cols: list[str]) -> dict[str, str | None]:
    mapping: dict[str, str | None] = {role: None for role in ROLES}
    lowered = [c.strip().lower() for c in cols]
    for role in ROLES:
        for name in HEADER_NAMES[role]:
            if name in lowered and lowered.index(name) not in [cols.index(v) for v in mapping.values() if v]:
                mapping[role] = cols[lowered.index(name)]
                break
    if mapping["text"] is None and mapping["title"] is None and len(cols) >= 2:
        mapping["title"], mapping["text"] = cols[0], cols[1]
    return mapping


def parse_csv(text: str, mapping: dict[str, str | None] | None = None) -> ImportPreview:
    rows = _rows(text)
    cols = columns(text)
    mapping = dict(mapping or guess(cols))
    for role, column in mapping.items():
        if role not in ROLES:
            raise InterchangeError(f"Unknown mapping {role!r}; map title, text and tags to columns.")
        if column is not None and column not in cols:
            raise InterchangeError(f"There is no column {column!r}; the columns are: {', '.join(cols)}.")
    if not mapping.get("text"):
        raise InterchangeError("Choose which column holds the reply text (the CSV columns are: "
                               f"{', '.join(cols)}).")
    index = {role: cols.index(column) for role, column in mapping.items() if column}
    body = rows[1:] if _has_header(rows) else rows
    first_row = 2 if _has_header(rows) else 1
    preview = ImportPreview("csv")
    native = [c.strip().lower() for c in cols] == list(CSV_HEADER) and mapping.get("text") == "text"

    def cell(row: list[str], role: str) -> str:
        position = index.get(role)
        return row[position].strip() if position is not None and position < len(row) else ""

    for number, row in enumerate(body, first_row):
        reply = cell(row, "text")
        if native:  # Tactful's own export: the text is already in Tactful's form
            converted = convert(reply.replace("{{", "\0").replace("}}", "\1"), TACTFUL,
                                lambda m: (m.group(1), None))
            converted.text = converted.text.replace("\0", "{{").replace("\1", "}}")
        else:
            converted = convert(reply, GENERIC, lambda m: ((m.group(1) or m.group(2) or "").strip() or None, None))
        before = len(preview.items)
        _add(preview, converted, cell(row, "title"), split_tags(cell(row, "tags")), f"row {number}")
        if len(preview.items) > before and any(cell(row, role).startswith(FORMULA) for role in ROLES):
            preview.items[-1].problems.append(
                "starts like a spreadsheet formula; kept as plain text (never run), check it is a real reply"
            )
    return preview


def _textexpander_name(match: re.Match[str]) -> tuple[str | None, str | None]:
    if match.group(1) is None:
        return None, None  # %clipboard, %snippet:…%, %key:…%: not a fill-in
    settings = dict(
        part.split("=", 1) for part in match.group(1).split(":") if "=" in part
    )
    name = settings.get("name", "").strip()
    return (name or None), (name or None)


def parse_textexpander(text: str) -> ImportPreview:
    """TextExpander's CSV: abbreviation, content, label (no header row)."""
    preview = ImportPreview("textexpander")
    rows = _rows(text)
    if rows and [c.strip().lower() for c in rows[0][:3]] == ["abbreviation", "content", "label"]:
        rows = rows[1:]
    for number, row in enumerate(rows, 1):
        if len(row) < 2:
            preview.problems.append(f"row {number}: needs abbreviation and content columns; skipped.")
            continue
        abbreviation, content = row[0].strip(), row[1]
        label = row[2].strip() if len(row) > 2 else ""
        converted = convert(content, TEXTEXPANDER, _textexpander_name, drop=TEXTEXPANDER_DROP)
        _add(preview, converted, label or abbreviation, [], f"row {number} ({abbreviation})")
    return preview


def _textblaze_name(match: re.Match[str]) -> tuple[str | None, str | None]:
    command, settings = match.group(1), match.group(2) or ""
    if not command.startswith("form") or command == "formtoggle":
        return None, None
    named = dict(
        (key.strip(), value.strip())
        for key, _, value in (part.partition("=") for part in settings.split(";")) if _
    )
    name = named.get("name", "")
    return (name or command.removeprefix("form")), (name or None)


def parse_textblaze(text: str) -> ImportPreview:
    """A Text Blaze folder as CSV: name/label, shortcut and text columns (header row)."""
    preview = ImportPreview("textblaze")
    rows = _rows(text)
    if not _has_header(rows) and not (rows and "shortcut" in [c.strip().lower() for c in rows[0]]):
        raise InterchangeError("A Text Blaze CSV needs a header row with name, shortcut and text columns.")
    header = [c.strip().lower() for c in rows[0]]

    def col(*names: str) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    name_col, shortcut_col, text_col = col("name", "label", "title"), col("shortcut"), col("text", "content", "snippet")
    folder_col = col("folder", "tags")
    if text_col is None:
        raise InterchangeError("The Text Blaze CSV has no text column; export the folder again.")
    for number, row in enumerate(rows[1:], 2):
        def at(position: int | None) -> str:
            return row[position].strip() if position is not None and position < len(row) else ""

        converted = convert(at(text_col), TEXTBLAZE, _textblaze_name, drop=TEXTBLAZE_DROP)
        _add(preview, converted, at(name_col) or at(shortcut_col), split_tags(at(folder_col)), f"row {number}")
    return preview


