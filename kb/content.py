"""The bundled playbook: articles, snippets and recipes shipped in ``resources/playbook``.

A new knowledge base is seeded from here on first open. Loading reports problems as
messages instead of raising, so a test can insist on "no problems at all" while the app
still starts if one file were ever broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb import resources
from kb.markdown_io import parse_markdown, read_markdown_bytes
from kb.errors import InvalidInput
from kb.models import Article, Recipe, Snippet


@dataclass
class BundledContent:
    articles: list[Article] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    recipes: list[Recipe] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def load_bundled_articles() -> tuple[list[Article], list[str]]:
    folder = resources.path("playbook", "articles")
    articles: list[Article] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        name = f"playbook/articles/{path.name}"
        try:
            article, _ = parse_markdown(
                read_markdown_bytes(path.read_bytes(), name), name=name, default_status="vetted"
            )
        except (InvalidInput, OSError) as exc:
            problems.append(str(exc))
            continue
        if article.slug in seen:
            problems.append(f"{name}: slug '{article.slug}' is also used by {seen[article.slug]}.")
            continue
        seen[article.slug] = name
        article.source_path = None  # bundled, not imported from the user's disk
        articles.append(article)
    return articles, problems


def load_bundled() -> BundledContent:
    """Everything in ``resources/playbook``, with any problems as messages."""
    from kb import snippets as snippet_io

    content = BundledContent()
    content.articles, problems = load_bundled_articles()
    content.problems.extend(problems)
    content.snippets, content.recipes, problems = snippet_io.load_bundled()
    content.problems.extend(problems)
    slugs = {a.slug for a in content.articles}
    for snippet in content.snippets:
        if snippet.article and snippet.article not in slugs:
            content.problems.append(
                f"snippet '{snippet.slug}' names article '{snippet.article}', which does not exist."
            )
    for recipe in content.recipes:
        for slug in recipe.articles:
            if slug not in slugs:
                content.problems.append(
                    f"recipe '{recipe.slug}' names article '{slug}', which does not exist."
                )
    return content
