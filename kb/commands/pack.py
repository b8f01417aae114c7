"""``tactful pack export|import|info|rollback``: move content between machines as one file."""

from __future__ import annotations

import argparse
import sys

HELP = "Export, import, inspect or roll back a content pack (a .tactpack file)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="pack_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="write the knowledge base to a pack file")
    export.add_argument("file", metavar="FILE", help="pack to write (ends in .tactpack)")
    export.add_argument("--publisher", default="", metavar="NAME", help="who publishes it (shown to importers)")
    imp = sub.add_parser("import", help="check a pack completely, then install it")
    imp.add_argument("file", metavar="FILE", help="pack to import")
    imp.add_argument("--force", action="store_true", help="install even if it is older than the installed pack")
    imp.add_argument("--json", action="store_true", help="print the import summary as JSON")
    info = sub.add_parser("info", help="check a pack and describe it, without installing it")
    info.add_argument("file", metavar="FILE", help="pack to inspect")
    info.add_argument("--json", action="store_true", help="print the description as JSON")
    rollback = sub.add_parser("rollback", help="undo the last pack import (drafts are kept)")
    rollback.add_argument("--force", action="store_true", help="roll back even if articles were edited since")
    for command in (export, imp, info, rollback):
        command.add_argument("--home", metavar="PATH", default=argparse.SUPPRESS, help="data folder to use")


def run(args: argparse.Namespace) -> int:
    """Exit 0 on success, 2 when the pack is refused or the action is not possible."""
    from kb import packs
    from kb.commands._common import open_kb, print_json, stderr_progress

    if args.pack_command == "info":
        info = packs.inspect_pack(args.file)
        if args.json:
            print_json(info.to_json())
        else:
            print(
                f"Pack version {info.version} from {info.publisher or 'an unnamed publisher'}, "
                f"created {info.created} (knowledge base {info.kb_id[:8]}, format {info.format_version}).\n"
                f"{info.articles} articles, {info.snippets} snippets, {info.recipes} recipes, "
                f"{info.team_rules} team rules; all {info.files} files check out."
            )
        return 0
    with open_kb(args) as kb:
        if args.pack_command == "export":
            info = packs.export_pack(kb, args.file, publisher=args.publisher, progress=stderr_progress())
            print(f"Wrote pack version {info.version} ({info.articles} articles, {info.snippets} snippets) to {args.file}.")
        elif args.pack_command == "import":
            from kb import policy as policy_file

            policy_file.load().check_manual_pack_install()
            summary = packs.import_pack(kb, args.file, force=args.force, progress=stderr_progress())
            if args.json:
                print_json(summary.to_json())
            else:
                before = f" (was {summary.previous_version})" if summary.previous_version else ""
                print(
                    f"Installed pack version {summary.pack.version}{before}: articles "
                    f"{len(summary.articles_created)} new, {len(summary.articles_updated)} updated, "
                    f"{len(summary.articles_unchanged)} unchanged; snippets {len(summary.snippets_created)} new, "
                    f"{len(summary.snippets_updated)} updated; {summary.recipes} recipes, "
                    f"{summary.team_rules} team rules. Undo with: tactful pack rollback"
                )
        else:
            packs.rollback_last_pack(kb, force=args.force)
            print("Rolled back the last pack import; drafts were kept.", file=sys.stdout)
    return 0
