"""``tactful show SLUG``: print one article."""

from __future__ import annotations

import argparse

HELP = "Print one article (markdown by default)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("slug", metavar="SLUG", help="the article's slug, as search prints it")
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the article as JSON")
    form.add_argument("--html", action="store_true", help="print the sanitised HTML rendering")


def run(args: argparse.Namespace) -> int:
    from kb.commands._common import open_kb, print_json

    with open_kb(args) as kb:
        article = kb.article(args.slug)
        if args.json:
            print_json(
                {
                    "slug": article.slug,
                    "title": article.title,
                    "summary": article.summary,
                    "tags": article.tags,
                    "status": article.status,
                    "owner": article.owner,
                    "reviewed": article.reviewed,
                    "updated_at": article.updated_at,
                    "body": article.body,
                }
            )
        elif args.html:
            print(kb.render_article(article.slug))
        else:
            print(f"# {article.title}\n")
            if article.summary:
                print(f"{article.summary}\n")
            meta = [f"status: {article.status}"]
            if article.tags:
                meta.append(f"tags: {', '.join(article.tags)}")
            print(" · ".join(meta) + "\n")
            print(article.body)
    return 0
