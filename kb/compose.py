"""Composing a reply from snippets and recipes (no Qt).

A recipe lists the stages of a good reply for one situation, each with suggested
snippets, best first. ``scaffold`` turns a recipe into a first draft: for every stage the
first suggested snippet the caller has, filled with the values already known for this
reply. Fields nobody has filled yet stay visible as ``{field_name}``, so the phrasing
checker flags them as unfilled placeholders and "Copy reply" refuses until the rep has
dealt with each one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kb.models import Recipe, RecipeStage, Snippet, SnippetField


def braces(field: SnippetField) -> str:
    """How an unfilled field reads in a draft: ``{name}``."""
    return "{" + field.name + "}"


def value_for(field: SnippetField, values: Mapping[str, str]) -> str:
    """The value a field would get: the one given (stripped), else its default, else ""."""
    value = values.get(field.name)
    value = "" if value is None else str(value).strip()
    if not value and field.default:
        value = field.default.strip()
    return value


def fill(
    snippet: Snippet,
    values: Mapping[str, str],
    *,
    keep_optional: bool = True,
    unfilled: Callable[[SnippetField], str] = braces,
) -> str:
    """The snippet's text with the fields that have a value (or a default) filled in.

    A required field with neither comes out as ``unfilled(field)`` (``{name}`` unless told
    otherwise). So does an optional one when ``keep_optional``; without it the optional
    field is left out and the text around it tidied, as ``kb.snippets.render`` does.
    Never raises for missing values.
    """
    from kb.snippets import render

    filled: dict[str, str] = {}
    for field in snippet.fields:
        value = value_for(field, values)
        if value:
            filled[field.name] = value
        elif field.required or keep_optional:
            filled[field.name] = unfilled(field)
        else:
            filled[field.name] = ""
    return render(snippet, filled)


def stage_snippets(
    recipe: Recipe, snippets_by_slug: Mapping[str, Snippet]
) -> list[tuple[RecipeStage, Snippet | None]]:
    """Each stage of ``recipe`` in order with its first suggested snippet found in
    ``snippets_by_slug`` (``None`` when the stage suggests none of them).

    Which snippets count (vetted only, say) is the caller's choice of mapping.
    """
    chosen: list[tuple[RecipeStage, Snippet | None]] = []
    for stage in recipe.stages:
        found = next((snippets_by_slug[s] for s in stage.snippets if s in snippets_by_slug), None)
        chosen.append((stage, found))
    return chosen


def scaffold(
    recipe: Recipe, snippets_by_slug: Mapping[str, Snippet], values: Mapping[str, str]
) -> str:
    """A first draft for ``recipe``: one filled snippet per stage, separated by blank lines.

    Stages with no available snippet are left out, and so is a ``follow-up`` stage: that is
    a later message, which the recipe guide offers when the time comes, not part of this
    reply. Fields without a value or a default, optional ones included, stay as
    ``{field_name}`` for the rep to fill or delete.
    """
    parts = []
    for stage, snippet in stage_snippets(recipe, snippets_by_slug):
        if snippet is None or stage.stage == "follow-up":
            continue
        text = fill(snippet, values).strip()
        if text:
            parts.append(text)
    return "\n\n".join(parts)
