"""``tactful reindex``: rebuild the search index from the database."""

from __future__ import annotations

import argparse

HELP = "Rebuild the search index from the database (safe to run at any time)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from kb.commands._common import open_kb, stderr_progress

    with open_kb(args) as kb:
        kb.reindex(progress=stderr_progress())
        count = kb.store.article_count()
    print(f"Search index rebuilt: {count} articles.")
    return 0
