"""``tactful snippets import|export``: saved replies from other tools in, vetted snippets out."""

from __future__ import annotations

import argparse

HELP = "Import saved replies from CSV, espanso, Zendesk, Text Blaze or TextExpander; export vetted snippets."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from kb.interchange import EXPORT_FORMATS, FORMATS

    sub = parser.add_subparsers(dest="snippets_command", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import saved replies as draft snippets (preview first)")
    imp.add_argument("file", metavar="FILE", help="the file exported from the other tool")
    imp.add_argument("--format", choices=FORMATS, help="the file's format (default: detected)")
    imp.add_argument("--map", metavar="ROLE=COLUMN,...",
                     help="CSV columns to use, for example title=Name,text=Body,tags=Folder")
    imp.add_argument("--dry-run", action="store_true", help="show the preview and write nothing")
    imp.add_argument("--keep-duplicates", action="store_true",
                     help="also import replies whose text an existing snippet already has")
    imp.add_argument("--json", action="store_true", help="print the preview and result as JSON")
    exp = sub.add_parser("export", help="write the vetted snippets for another tool")
    exp.add_argument("file", metavar="FILE", help="the file to write")
    exp.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="espanso (YAML) or csv")
    for command in (imp, exp):
        command.add_argument("--home", metavar="PATH", default=argparse.SUPPRESS, help="data folder to use")


def _mapping(raw: str | None) -> dict[str, str | None] | None:
    from kb.errors import InvalidInput

    if not raw:
        return None
    mapping: dict[str, str | None] = {"title": None, "text": None, "tags": None}
    for part in raw.split(","):
        role, sep, column = part.partition("=")
        if not sep or role.strip() not in mapping:
            raise InvalidInput(f"--map takes title=COLUMN,text=COLUMN,tags=COLUMN, not {part!r}.")
        mapping[role.strip()] = column.strip() or None
    return mapping


def run(args: argparse.Namespace) -> int:
    from kb.commands._common import open_kb, print_json

    with open_kb(args) as kb:
        if args.snippets_command == "export":
            count = kb.export_snippets(args.file, args.format)
            print(f"Wrote {count} vetted snippet{'s' if count != 1 else ''} to {args.file} ({args.format}).")
            return 0
        preview = kb.preview_snippet_import(args.file, args.format, _mapping(args.map))
        report = None
        if not args.dry_run:
            report = kb.import_snippets(preview, skip_duplicates=not args.keep_duplicates)
        if args.json:
            data = preview.to_json()
            if report is not None:
                data["result"] = report.to_json()
            print_json(data)
            return 0
        _print_preview(preview)
        if report is None:
            print("Dry run: nothing was written.")
        else:
            print(f"Imported {len(report.created)} as drafts; an editor reviews and vets them in the editor "
                  f"(Snippets). {len(report.problems)} not imported.")
    return 0


def _print_preview(preview) -> None:  # noqa: ANN001 - kb.interchange.ImportPreview
    print(f"{len(preview.items)} repl{'ies' if len(preview.items) != 1 else 'y'} found ({preview.format}).")
    for theirs, ours in preview.mapped_fields.items():
        print(f"  field  {theirs} -> {{{ours}}}")
    for placeholder in preview.unmapped:
        print(f"  not a field: {placeholder} (left in the text; rewrite it before vetting)")
    for item in preview.duplicates:
        print(f"  duplicate: {item.source} '{item.title}' has the same text as {item.duplicate_of}")
    for problem in preview.problems:
        print(f"  note: {problem}")
    for item in preview.items:
        for problem in item.problems:
            print(f"  {item.source}: {problem}")
