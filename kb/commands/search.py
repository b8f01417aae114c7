"""``tactful search QUERY``: find articles, best first."""

from __future__ import annotations

import argparse
import html
import re

HELP = "Search the knowledge base (vetted articles) and print the best matches."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", metavar="QUERY", help="words to look for (typos are forgiven)")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="at most N results (default 10)")
    parser.add_argument("--tag", metavar="TAG", help="only articles with this tag")
    parser.add_argument("--json", action="store_true", help="print results as JSON")


def _plain(fragment: str) -> str:
    """A highlighted HTML excerpt as terminal text, matches in [brackets]."""
    text = re.sub(r"</?b>", lambda m: "]" if m.group(0) == "</b>" else "[", fragment)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def run(args: argparse.Namespace) -> int:
    from kb.commands._common import open_kb, print_json
    from kb.errors import InvalidInput

    if args.limit < 1:
        raise InvalidInput("--limit must be at least 1.")
    with open_kb(args) as kb:
        results = kb.search_results(args.query, args.limit, tag=args.tag)
    if args.json:
        print_json([hit.to_json() for hit in results.hits])
        return 0
    if not results.hits:
        hint = f' Did you mean "{results.suggestion}"?' if results.suggestion else ""
        print(f"No articles match.{hint}")
        return 0
    if results.suggestion:
        print(f'(Showing close matches. Did you mean "{results.suggestion}"?)')
    for number, hit in enumerate(results.hits, 1):
        print(f"{number}. {hit.title}  [{hit.slug}]")
        excerpt = " … ".join(_plain(h) for h in hit.highlights) or hit.summary
        if excerpt:
            print(f"   {excerpt}")
        if hit.tags:
            print(f"   tags: {', '.join(hit.tags)}")
    return 0
