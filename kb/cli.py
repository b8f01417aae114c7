"""The ``tactful`` command: with no subcommand it opens the app, otherwise it is the CLI.

Each subcommand is a small module in ``kb/commands/`` exposing ``HELP`` (one line),
``add_arguments(parser)`` and ``run(args) -> int``. Modules import nothing heavy at import
time, so ``tactful --help`` and ``tactful --version`` stay instant.

Errors a user can cause are ``KbError``\\s: one line on stderr, exit code 2. Anything else
is a bug: a short line says so (set ``TACTFUL_DEBUG=1`` for the traceback), exit 1.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn, Sequence

from kb import __version__
from kb.errors import KbError

# (subcommand, module in kb/commands) in the order ``--help`` lists them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("search", "search"),
    ("show", "show"),
    ("lint", "lint"),
    ("import", "import_md"),
    ("export", "export_md"),
    ("reindex", "reindex"),
    ("pack", "pack"),
    ("settings", "settings"),
    ("snippets", "snippets"),
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one clear line (exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _load(module: str):
    try:
        return importlib.import_module(f"kb.commands.{module}")
    except ModuleNotFoundError as exc:
        if exc.name == f"kb.commands.{module}":
            return None  # a command still being built is simply not offered
        raise


def build_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tactful",
        description="Tactful: an offline knowledge base and reply composer for customer service. "
        "Run with no command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"tactful {__version__}")
    parser.add_argument(
        "--home",
        metavar="PATH",
        help="data folder to use (default: $TACTFUL_HOME, a portable 'tactful-data' folder "
        "beside the app, or your per-user data folder)",
    )
    if not with_commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, module_name in COMMANDS:
        module = _load(module_name)
        if module is None:
            continue
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        command.add_argument(
            "--home", metavar="PATH", default=argparse.SUPPRESS, help="data folder to use"
        )
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _opens_the_app(argv):
        # No command: no parser to build and no command module to load (~30 ms off start-up).
        home = argv[1] if len(argv) == 2 else (argv[0].split("=", 1)[1] if argv else None)
        return _open_gui(home)
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "_run", None) is None:
        return _open_gui(args.home)
    try:
        return int(args._run(args) or 0)
    except KbError as exc:
        print(f"tactful: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tactful: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the like: not an error worth a message.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # a bug, not something the user did
        if os.environ.get("TACTFUL_DEBUG"):
            raise
        print(
            f"tactful: unexpected error ({type(exc).__name__}: {exc}). "
            "This is a bug; run again with TACTFUL_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1


def _opens_the_app(argv: Sequence[str]) -> bool:
    """True when ``argv`` names no command and asks for no help or version: just ``--home``."""
    if not argv:
        return True
    return len(argv) == 2 and argv[0] == "--home" or len(argv) == 1 and argv[0].startswith("--home=")


def _open_gui(home: str | None) -> int:
    try:
        from desktop.app import main as gui_main
    except ImportError as exc:
        print(f"tactful: the desktop app is not available here ({exc}).", file=sys.stderr)
        return EXIT_USAGE
    return gui_main(home=home)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
