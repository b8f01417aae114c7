"""``tactful export FOLDER``: write every article as a markdown file."""

from __future__ import annotations

import argparse
import sys

from kb.models import STATUSES

HELP = "Export articles as markdown files with front matter (one <slug>.md per article)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="FOLDER", help="folder to write into (created if needed)")
    parser.add_argument(
        "--status",
        choices=STATUSES,
        action="append",
        help="only articles with this status (repeat for several; default: all)",
    )


def run(args: argparse.Namespace) -> int:
    from kb.commands._common import open_kb, stderr_progress

    with open_kb(args) as kb:
        report = kb.export_markdown(args.folder, statuses=args.status, progress=stderr_progress())
    print(f"Wrote {len(report.written)} articles to {args.folder}.")
    for problem in report.problems:
        print(f"  {problem.message}", file=sys.stderr)
    return 1 if report.problems else 0
