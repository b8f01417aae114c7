"""``tactful import FOLDER``: import a folder of markdown files."""

from __future__ import annotations

import argparse
import sys

from kb.models import STATUSES

HELP = "Import a folder of markdown files (with optional YAML front matter)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="FOLDER", help="folder to read, including sub-folders")
    parser.add_argument(
        "--status",
        choices=STATUSES,
        default="vetted",
        help="status for files whose front matter has none (default: vetted)",
    )
    parser.add_argument("--json", action="store_true", help="print the import report as JSON")


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every file imported, 1 when some files were skipped, 2 on bad usage."""
    from kb.commands._common import open_kb, print_json, stderr_progress

    with open_kb(args) as kb:
        report = kb.import_markdown(args.folder, progress=stderr_progress(), status=args.status)
    if args.json:
        print_json(report.to_json())
    else:
        print(
            f"Imported {report.imported} files: {len(report.created)} new, "
            f"{len(report.updated)} updated, {len(report.unchanged)} unchanged."
        )
        if report.problems:
            print(f"{len(report.problems)} files were skipped:", file=sys.stderr)
            for problem in report.problems:
                print(f"  {problem.message}", file=sys.stderr)
    return 1 if report.problems else 0
