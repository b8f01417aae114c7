"""What Find asks the knowledge base, and how it words the answer.

The functions here run on reader threads (through ``Tasks.read``) and touch no widgets.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.search.results import ResultRow

if TYPE_CHECKING:
    from kb.models import Article, Snippet

RESULT_LIMIT = 50


@dataclass
class FindResult:
    query: str
    tag: str | None
    rows: list[ResultRow] = field(default_factory=list)
    total: int = 0
    suggestion: str | None = None
    fuzzy: bool = False
    complete: int | None = None
    """How many of ``total`` have every word typed (the rest, ranked below them, have some)."""

    @property
    def browsing(self) -> bool:
        return not self.query


@dataclass
class ArticlePage:
    article: Article
    body_html: str
    snippets: list[Snippet]


def run_search(kb, query: str, tag: str | None, limit: int = RESULT_LIMIT) -> FindResult:  # noqa: ANN001
    """Search, or list every vetted article (by title) when the query is empty."""
    if not query:
        articles = sorted(kb.articles(tag=tag), key=lambda a: a.title.casefold())
        rows = [ResultRow(a.slug, a.title, html.escape(a.summary), tuple(a.tags)) for a in articles]
        return FindResult(query, tag, rows, len(rows))
    found = kb.search_results(query, limit, tags=[tag] if tag else ())
    rows = [
        ResultRow(h.slug, h.title, h.highlights[0] if h.highlights else html.escape(h.summary),
                  tuple(h.tags))
        for h in found.hits
    ]
    suggestion = found.suggestion
    if suggestion and suggestion.strip().casefold() == query.casefold():
        suggestion = None
    return FindResult(query, tag, rows, found.total, suggestion, found.fuzzy, found.complete)


def load_article(kb, slug: str) -> ArticlePage:  # noqa: ANN001
    from kb.models import STAGES  # on a reader thread; see the note at the top

    article = kb.article(slug)
    body = kb.render_markdown(article.body, title=article.title)
    order = {stage: number for number, stage in enumerate(STAGES)}
    snippets = sorted((s for s in kb.snippets() if s.article == slug),
                      key=lambda s: order.get(s.stage, len(order)))
    return ArticlePage(article, body, snippets)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def status_text(result: FindResult) -> str:
    count = _plural(result.total, "article")
    if result.browsing:
        return f"{count} about “{result.tag}”" if result.tag else f"All {count} in the playbook"
    if not result.rows:
        return ""
    topic = f" about “{result.tag}”" if result.tag else ""
    if result.complete is not None and result.complete < result.total:
        # Articles with only some of the words rank below the rest: say how many have them all.
        some = result.total - result.complete
        if not result.complete:
            return f"{_plural(some, 'article')}{topic} with some of the words, none with all"
        return f"{_plural(result.complete, 'article')}{topic} with every word · {some:,} with some"
    if result.fuzzy:
        text = f"{result.total} close " + ("match" if result.total == 1 else "matches") + topic
    else:
        text = f"{count}{topic} " + ("matches" if result.total == 1 else "match")
    if len(result.rows) < result.total:
        text += f" (showing the best {len(result.rows)})"
    return text


def empty_text(result: FindResult) -> str:
    if result.browsing:
        if result.tag:
            return f"No articles about “{result.tag}” yet. Choose “All topics” to see the rest."
        return "The playbook is empty. Import articles to get started."
    text = f"No articles match “{result.query}”"
    if result.tag:
        text += f" in “{result.tag}” — try fewer words, or choose “All topics”."
    else:
        text += " — try fewer words, or different ones."
    return text
