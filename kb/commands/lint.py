"""``tactful lint PATH... | -``: check replies or articles for risky phrasing.

Text output is one line per finding, ``path:line:col: rule: message``, plus the first
suggested rewrite; ``--json`` prints the shape DESIGN.md fixes. Exit status: 0 when no
finding is at or above ``--fail-on`` (default ``error``), 1 otherwise, 2 when a path
could not be checked (missing, a folder, binary, not UTF-8, empty or too large): each
such path gets one line on standard error and the others are still checked.

Team rules and vocabularies come from the data folder (``--home``, ``TACTFUL_HOME``, ...)
when that folder exists; this command never creates it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HELP = "Check replies or articles for risky phrasing (blame, hard no, stock apologies, ...)."

STDIN = "-"
STDIN_NAME = "<stdin>"
MAX_FILE_BYTES = 500_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="text or markdown files to check; '-' reads standard input")
    parser.add_argument("--json", action="store_true", help="print findings as JSON")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "suggestion"),
        default="error",
        help="exit with status 1 if any finding is at least this severe (default: error)",
    )


class Unreadable(Exception):
    """A path that cannot be checked; the message is the reason, for one stderr line."""


def read_text(path: str) -> str:
    """The text of ``path`` (or standard input for ``-``), or ``Unreadable``."""
    if path == STDIN:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        file = Path(path)
        try:
            if file.is_dir():
                raise Unreadable("is a folder; give the files to check (for example folder/*.md)")
            with file.open("rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise Unreadable("no such file") from None
        except PermissionError:
            raise Unreadable("cannot be read: permission denied") from None
        except IsADirectoryError:
            raise Unreadable("is a folder; give the files to check (for example folder/*.md)") from None
        except OSError as exc:
            raise Unreadable(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise Unreadable(
            f"is too large to check (more than {MAX_FILE_BYTES // 1000} KB); the checker is for "
            "replies and articles, so check it in smaller parts"
        )
    if b"\x00" in data:
        raise Unreadable("looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8 and try again"
        ) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark is not part of the text
    if not text.strip():
        raise Unreadable("is empty; there is nothing to check")
    return text


def _linter(args: argparse.Namespace):
    from kb.lint import Linter, load_team_sources
    from kb.paths import DataPaths

    paths = DataPaths.for_home(getattr(args, "home", None))
    if paths.home.is_dir():
        return Linter.load(**load_team_sources(paths))
    return Linter.load()


def run(args: argparse.Namespace) -> int:
    from kb.models import SEVERITIES

    linter = _linter(args)
    for problem in linter.problems:
        print(f"tactful: warning: {problem}", file=sys.stderr)
    threshold = SEVERITIES.index(args.fail_on)
    unreadable = failing = False
    report = []
    for path in args.paths:
        name = STDIN_NAME if path == STDIN else path
        try:
            findings = linter.lint(read_text(path))
        except Unreadable as exc:
            print(f"tactful: {name}: {exc}", file=sys.stderr)
            unreadable = True
            continue
        failing = failing or any(SEVERITIES.index(f.severity) <= threshold for f in findings)
        report.append((name, findings))
        if not args.json:
            for f in findings:
                hint = f' (try: "{f.suggestions[0]}")' if f.suggestions else ""
                print(f"{name}:{f.line}:{f.column}: {f.rule}: {f.message}{hint}")
    if args.json:
        # Not kb.commands._common.print_json: that module loads the whole knowledge base.
        json.dump(
            [{"path": name, "findings": [f.to_json() for f in findings]} for name, findings in report],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    if unreadable:
        return 2
    return 1 if failing else 0
