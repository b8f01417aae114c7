"""The bundled snippets and reply recipes: complete, consistent, clean and loadable.

Every snippet must render with its sample values and with only its required fields,
read cleanly either way, and pass the phrasing checker. Every reference (snippet to
article, recipe to article, recipe to snippet) must resolve, and a fresh knowledge
base must take all of it in without a single warning.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import pytest

from kb import snippets as snippet_io
from kb.content import BundledContent, load_bundled
from kb.models import STAGES, Snippet

SITUATIONS = (
    "late-delivery",
    "damaged-delivery",
    "wrong-item",
    "double-charge",
    "refund-outside-window",
    "cancellation",
    "missing-feature",
    "customer-mistake",
    "our-mistake",
)
RECIPES = (
    "we-got-it-wrong",
    "customer-got-it-wrong",
    "grey-area",
    "customer-wants-to-vent",
    "customer-blames-you",
    "we-have-to-say-no",
)
COMMON_FIELDS = ("customer_name", "order_number", "rep_name", "delivery_date")


@lru_cache(maxsize=1)
def content() -> BundledContent:
    return load_bundled()


def vetted() -> list[Snippet]:
    return [s for s in content().snippets if s.status == "vetted"]


def ids(snippets: list[Snippet]) -> list[str]:
    return [s.slug for s in snippets]


def required_only(snippet: Snippet) -> dict[str, str]:
    samples = snippet_io.sample_values(snippet)
    return {f.name: samples[f.name] for f in snippet.fields if f.required}


def untidy(text: str) -> list[str]:
    """Mechanical signs of a badly filled template."""
    checks = {
        "unfilled field": r"\{\w*\}?",
        "double space": r"[ \t]{2}",
        "space before punctuation": r"[ \t][,.;:!?]",
        "space at a line end or start": r"(?m)[ \t]$|^[ \t]",
        "doubled punctuation": r"[,;:][,.;:!?]|[.!?][,;:]",
        "three blank lines": r"\n{3}",
        "empty bullet": r"(?m)^\s*[-*]\s*$",
        "comma at the start": r"(?m)^[,;:]",
        "sentence starting in lower case": r"(?m)(?:[.!?] |^)[a-z]",
    }
    return [name for name, pattern in checks.items() if re.search(pattern, text)]


def test_bundled_content_loads_without_problems() -> None:
    assert content().problems == []


def test_at_least_sixty_vetted_snippets() -> None:
    assert len(vetted()) >= 60


def test_every_stage_is_covered() -> None:
    covered = {s.stage for s in vetted()}
    assert [stage for stage in STAGES if stage not in covered] == []


def test_every_situation_is_covered() -> None:
    covered = {name for s in vetted() for name in s.situations}
    assert [name for name in SITUATIONS if name not in covered] == []


def test_every_snippet_names_an_article_and_an_owner() -> None:
    assert [s.slug for s in vetted() if not s.article or not s.owner] == []


def test_common_fields_mean_the_same_thing_everywhere() -> None:
    """Values carry over between snippets by field name, so a shared name needs one meaning."""
    labels: dict[str, set[str]] = {}
    for s in content().snippets:
        for f in s.fields:
            labels.setdefault(f.name, set()).add(f.label)
    for name in ("customer_name", "order_number", "rep_name"):
        assert len(labels.get(name, ())) == 1, f"{name}: {labels.get(name)}"
    # No catch-all names: "date" once stood for fifteen different dates.
    assert sorted({"date", "time", "number", "value", "name"} & set(labels)) == []
    used = {f.name for s in content().snippets for f in s.fields}
    assert [name for name in COMMON_FIELDS if name not in used] == []


def test_slugs_start_with_their_stage_family() -> None:
    """Slugs say where a snippet belongs, so editors can find it in the list."""
    prefixes = {"acknowledge": "ack-"}
    bad = [s.slug for s in content().snippets if not s.slug.startswith(prefixes.get(s.stage, s.stage + "-"))]
    assert bad == []


@pytest.mark.parametrize("snippet", vetted(), ids=ids(vetted()))
def test_renders_with_samples_and_reads_cleanly(snippet: Snippet) -> None:
    missing = [f.name for f in snippet.fields if not (f.sample or f.default)]
    assert missing == [], "every field needs a sample or a default for previews"
    text = snippet_io.render(snippet, snippet_io.sample_values(snippet))
    assert untidy(text) == [], text


@pytest.mark.parametrize("snippet", vetted(), ids=ids(vetted()))
def test_renders_with_only_required_fields_and_reads_cleanly(snippet: Snippet) -> None:
    text = snippet_io.render(snippet, required_only(snippet))
    assert text.strip(), "nothing left"
    assert untidy(text) == [], text
    assert text[0].isupper() or text[0] in "\"'“£0123456789", text


def test_every_article_reference_resolves() -> None:
    articles = {a.slug for a in content().articles}
    bad = [f"snippet {s.slug} -> {s.article}" for s in content().snippets if s.article not in articles]
    bad += [f"recipe {r.slug} -> {a}" for r in content().recipes for a in r.articles if a not in articles]
    assert bad == []


def test_the_six_recipes_exist_and_every_snippet_reference_resolves() -> None:
    recipes = {r.slug: r for r in content().recipes}
    assert sorted(recipes) == sorted(RECIPES)
    snippets = {s.slug: s for s in vetted()}
    bad = []
    for recipe in recipes.values():
        assert recipe.articles and recipe.summary, recipe.slug
        stages = [stage.stage for stage in recipe.stages]
        assert len(stages) == len(set(stages)), f"{recipe.slug}: a stage appears twice"
        assert stages[0] == "greeting" and "acknowledge" in stages, recipe.slug
        for stage in recipe.stages:
            assert stage.title and stage.hint and stage.snippets, f"{recipe.slug}: {stage.stage}"
            for slug in stage.snippets:
                if slug not in snippets or snippets[slug].stage != stage.stage:
                    bad.append(f"{recipe.slug}/{stage.stage}: {slug}")
    assert bad == []


def test_every_snippet_is_suggested_by_a_recipe_or_fits_any_reply() -> None:
    """A snippet no recipe suggests is still useful if it has no situation (a general one)."""
    suggested = {slug for r in content().recipes for stage in r.stages for slug in stage.snippets}
    orphans = [s.slug for s in vetted() if s.slug not in suggested and s.situations]
    assert len(orphans) <= len(vetted()) // 2, orphans


def test_files_round_trip_through_the_writer(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(snippet_io.snippets_to_yaml(content().snippets), encoding="utf-8")
    loaded, problems = snippet_io.load_snippet_file(path)
    assert problems == []
    assert [s.content() for s in loaded] == [s.content() for s in content().snippets]


def test_a_fresh_knowledge_base_has_snippets_and_recipes(caplog: pytest.LogCaptureFixture) -> None:
    from kb import KnowledgeBase

    with caplog.at_level(logging.WARNING):
        kb = KnowledgeBase.open()
    try:
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
        assert sorted(s.slug for s in kb.snippets()) == sorted(ids(vetted()))
        assert [r.slug for r in kb.recipes()] == [r.slug for r in content().recipes]
        stored = kb.snippet("apologise-late-delivery")
        assert stored.fields == next(s for s in vetted() if s.slug == stored.slug).fields
        assert "A-10442" in kb.render_snippet(stored, {"order_number": "A-10442", "delivery_date": "Monday"})
    finally:
        kb.close()


# -- the phrasing checker agrees with the snippets ---------------------------------------


@lru_cache(maxsize=1)
def linter():  # noqa: ANN201 - kb.lint loads lazily
    from kb.lint import Linter

    linter = Linter.load()
    assert linter.problems == []
    return linter


@pytest.mark.parametrize("snippet", vetted(), ids=ids(vetted()))
def test_snippets_lint_clean(snippet: Snippet) -> None:
    for values in (snippet_io.sample_values(snippet), required_only(snippet)):
        text = snippet_io.render(snippet, values)
        findings = linter().lint(text)
        assert [(f.rule, f.category, f.severity, f.match) for f in findings] == [], text


def test_recipe_hints_lint_clean() -> None:
    """Hints are guidance for the rep, but they should model the language they recommend."""
    bad = [
        f"{r.slug}/{stage.stage}: {[(f.rule, f.match) for f in linter().lint(text)]}"
        for r in content().recipes
        for stage in r.stages
        for text in (stage.title, stage.hint)
        if linter().lint(text)
    ]
    assert bad == []


def test_article_prose_is_clean_for_editors_and_markers_never_show() -> None:
    """The editor checks articles as it checks replies: the bundled ones open with no findings,
    and the in-place ``tactful-ignore`` markers never reach the rendered page."""
    import tempfile

    from kb import KnowledgeBase
    from kb.content import load_bundled_articles
    from kb.lint import Linter

    linter = Linter.load()
    articles, _ = load_bundled_articles()
    assert {a.slug: [f.rule for f in linter.lint(a.body)] for a in articles if linter.lint(a.body)} == {}
    with KnowledgeBase.open(tempfile.mkdtemp()) as kb:
        for article in articles:
            html = kb.render_article(article.slug)
            assert "tactful-ignore" not in html and "&lt;!--" not in html


def test_recipes_are_offered_in_the_playbook_order() -> None:
    from kb.snippets import RECIPE_ORDER, load_bundled

    _, recipes, _ = load_bundled()
    assert [r.slug for r in recipes] == list(RECIPE_ORDER)

