"""Snippets and reply recipes: parsing, validation, loading and rendering.

A snippet is a short piece of a reply with fill-in fields written ``{name}`` in its text
(``{{`` and ``}}`` stand for literal braces). A recipe is the ordered stages of a good
reply for one situation, with suggested snippets for each stage. Both are YAML data
(formats in DEVELOPERS.md); everything here is plain Python, no Qt.

Validation is strict and every message names where the problem is, so an editor or a
pack import can show it as is. Loading a file never raises: one bad snippet is reported
and skipped, the others load.

Rendering fills the fields. An optional field left empty must still read cleanly:
"Hi {customer_name}," with no name gives "Hi," — never "Hi ," or a doubled space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kb import resources
from kb.errors import InvalidInput
from kb.models import STAGE_TITLES, STAGES, STATUSES, Recipe, RecipeStage, Snippet, SnippetField, is_valid_slug

FIELD_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""What a field name looks like (a Python-style identifier, ASCII only)."""

_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
_SNIPPET_KEYS = ("slug", "title", "stage", "situations", "tags", "article", "status", "owner", "text", "fields")
_FIELD_KEYS = ("name", "label", "required", "default", "choices", "help", "sample")
_RECIPE_KEYS = ("slug", "title", "summary", "articles", "stages")
_STAGE_KEYS = ("stage", "title", "hint", "snippets")
_HOLE = "\x00"  # stands for an empty optional field while the text is tidied


# -- templates -----------------------------------------------------------------------


def _tokens(text: str, *, strict: bool) -> list[str | tuple[str]]:
    """Split a template into literal strings and ``(name,)`` field tuples.

    With ``strict`` a stray brace raises ``ValueError`` saying where it is; otherwise it
    is kept as a literal character (handy while someone is still typing).
    """
    parts: list[str | tuple[str]] = []
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        if m.start() > pos:
            parts.append(text[pos : m.start()])
        token = m.group()
        if m.group(1):
            parts.append((m.group(1),))
        elif token in ("{{", "}}"):
            parts.append(token[0])
        elif strict:
            line = text.count("\n", 0, m.start()) + 1
            column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            raise ValueError(
                f"stray '{token}' at line {line}, column {column} of the text: a field is "
                f"written {{name}} (letters, digits and _), and a literal brace is written "
                f"'{token * 2}'"
            )
        else:
            parts.append(token)
        pos = m.end()
    if pos < len(text):
        parts.append(text[pos:])
    return parts


def placeholders(text: str) -> list[str]:
    """Field names used in ``text`` as ``{name}``, in order of first appearance."""
    seen: dict[str, None] = {}
    for part in _tokens(text, strict=False):
        if isinstance(part, tuple):
            seen.setdefault(part[0], None)
    return list(seen)


def _value_for(field: SnippetField, values: Mapping[str, str]) -> str:
    value = values.get(field.name)
    value = "" if value is None else str(value).strip()
    if not value and field.default:
        value = field.default.strip()
    return value


def missing_required(snippet: Snippet, values: Mapping[str, str]) -> list[SnippetField]:
    """Required fields that have neither a value nor a default, in declaration order."""
    return [f for f in snippet.fields if f.required and not _value_for(f, values)]


def render(snippet: Snippet, values: Mapping[str, str]) -> str:
    """The snippet's text with its fields filled from ``values``.

    A field without a value uses its default. A required field with neither raises
    ``InvalidInput`` naming it; an optional one is left out and the text around it is
    tidied (no doubled spaces, no space before punctuation, no dangling comma). Values
    are used as given: choices are what an editor offers, not a restriction here.
    """
    missing = missing_required(snippet, values)
    if missing:
        labels = " and ".join(f"'{f.label}'" for f in missing)
        raise InvalidInput(f"Fill in {labels} before using the snippet '{snippet.title}'.")
    by_name = {f.name: f for f in snippet.fields}
    out: list[str] = []
    holes = False
    for part in _tokens(snippet.text, strict=False):
        if isinstance(part, str):
            out.append(part)
            continue
        field = by_name.get(part[0])
        if field is None:  # not declared: leave it visible so the checker flags it
            out.append("{" + part[0] + "}")
            continue
        value = _value_for(field, values)
        if value:
            out.append(value.replace(_HOLE, ""))
        else:
            out.append(_HOLE)
            holes = True
    text = "".join(out)
    return _tidy(text) if holes else text


_SENTENCE_END = ".!?"
_SEPARATORS = ",;:"
_OPENERS = "([\"“‘'"
_CLOSERS = ")]"
_BULLET_RE = re.compile(r"[ \t]*(?:[-*+•]|\d{1,3}[.)])")


def _tidy(text: str) -> str:
    """Remove the holes left by empty optional fields so the text reads cleanly."""
    text = re.sub(r"[(\[]\x00[)\]]", _HOLE, text)  # "({x})" with no x: drop the brackets too
    text = re.sub(r"\x00(?:[ \t]*[,;:]?[ \t]*\x00)+", _HOLE, text)  # neighbouring holes
    while (i := text.find(_HOLE)) >= 0:
        start, end = i, i + 1
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        while end < len(text) and text[end] in " \t":
            end += 1
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < len(text) else "\n"
        gap, capitalise = "", False
        line_start = text.rfind("\n", 0, start) + 1
        if after == "\n" and _BULLET_RE.fullmatch(text[line_start:start]):
            start, before = line_start, "\n"  # "- {x}" with no x: drop the whole item
        if before == "\n":
            if after in _SEPARATORS + _SENTENCE_END:
                end = _skip_spaces(text, end + 1)
            capitalise = True
            if end >= len(text) or text[end] == "\n":  # the line is now empty: drop it
                if end < len(text):
                    end += 1
                elif start > 0:
                    start -= 1
        elif after == "\n":
            pass
        elif after in _SEPARATORS + _SENTENCE_END + _CLOSERS:
            if before in _SEPARATORS and after in _SEPARATORS + _SENTENCE_END:
                start -= 1  # "Thanks, {x}." -> "Thanks."
                while start > 0 and text[start - 1] in " \t":
                    start -= 1
            elif before in _SENTENCE_END and after in _SEPARATORS + _SENTENCE_END:
                end = _skip_spaces(text, end + 1)  # "Done. {x}, next" -> "Done. Next"
                gap, capitalise = " ", True
        elif before not in _OPENERS and after not in _CLOSERS:
            gap = " "
        if end >= len(text) or text[end] == "\n":
            gap = ""
        text = text[:start] + gap + text[end:]
        if capitalise:
            at = start + len(gap)
            if at < len(text) and text[at].islower():
                text = text[:at] + text[at].upper() + text[at + 1 :]
    return re.sub(r"\n{3,}", "\n\n", text)


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def sample_values(snippet: Snippet) -> dict[str, str]:
    """A realistic value for every field: its sample, else its default, else its first
    choice, else its label in lower case (for previews and tests)."""
    values = {}
    for f in snippet.fields:
        values[f.name] = f.sample or f.default or (f.choices[0] if f.choices else f.label.lower())
    return values


# -- parsing -------------------------------------------------------------------------


def _fail(source: str, message: str) -> InvalidInput:
    return InvalidInput(f"{source}: {message}")


def _text(data: Mapping[str, Any], key: str, source: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise _fail(source, f"'{key}' is missing.")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _fail(source, f"'{key}' must be text, not {_kind(value)}.")
    value = str(value)
    if required and not value.strip():
        raise _fail(source, f"'{key}' is empty.")
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no (put it in quotes to mean the word)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def _text_list(data: Mapping[str, Any], key: str, source: str, *, slugs: bool = False) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(source, f"'{key}' must be a list, not {_kind(value)}.")
    items = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)) or not str(item).strip():
            raise _fail(source, f"'{key}' must hold non-empty text items; found {item!r}.")
        item = str(item).strip()
        if slugs and not is_valid_slug(item):
            raise _fail(source, f"'{item}' in '{key}' is not a valid slug (lowercase letters, digits, hyphens).")
        if item not in items:
            items.append(item)
    return items


def _check_keys(data: Any, allowed: tuple[str, ...], what: str, source: str) -> None:
    if not isinstance(data, Mapping):
        raise _fail(source, f"{what} must be a mapping of keys to values, not {_kind(data)}.")
    unknown = [str(k) for k in data if k not in allowed]
    if unknown:
        raise _fail(
            source, f"unknown key(s) {', '.join(repr(k) for k in unknown)} in {what}; allowed: {', '.join(allowed)}."
        )


def _slug(data: Mapping[str, Any], key: str, source: str, *, required: bool = True) -> str:
    value = _text(data, key, source, required=required).strip()
    if value and not is_valid_slug(value):
        raise _fail(source, f"'{key}' {value!r} is not a valid slug (lowercase letters, digits, single hyphens).")
    return value


def _parse_field(data: Any, source: str, number: int) -> SnippetField:
    at = f"{source}, field {number}"
    _check_keys(data, _FIELD_KEYS, "a field", at)
    name = _text(data, "name", at, required=True).strip()
    if not FIELD_NAME_RE.fullmatch(name):
        raise _fail(at, f"field name {name!r} must be letters, digits and _ (not starting with a digit).")
    where = f"{source}, field '{name}'"
    required = data.get("required", True)
    if not isinstance(required, bool):
        raise _fail(where, "'required' must be true or false.")
    choices = _text_list(data, "choices", where)
    default = _text(data, "default", where) if data.get("default") is not None else None
    if default is not None and choices and default not in choices:
        raise _fail(where, f"default {default!r} is not among the choices ({', '.join(choices)}).")
    sample = _text(data, "sample", where) if data.get("sample") is not None else None
    if sample is not None and choices and sample not in choices:
        raise _fail(where, f"sample {sample!r} is not among the choices ({', '.join(choices)}).")
    return SnippetField(
        name=name,
        label=_text(data, "label", where).strip() or name.replace("_", " ").capitalize(),
        required=required,
        default=default,
        choices=choices,
        help=_text(data, "help", where).strip(),
        sample=sample,
    )


def parse_snippet(data: dict[str, Any], source: str) -> Snippet:
    """A validated ``Snippet`` from its YAML mapping; ``InvalidInput`` naming ``source``
    and the problem otherwise."""
    _check_keys(data, _SNIPPET_KEYS, "a snippet", source)
    slug = _slug(data, "slug", source)
    title = _text(data, "title", source, required=True).strip()
    stage = _text(data, "stage", source, required=True).strip()
    if stage not in STAGES:
        raise _fail(source, f"unknown stage {stage!r}; use one of: {', '.join(STAGES)}.")
    status = _text(data, "status", source).strip() or "draft"
    if status not in STATUSES:
        raise _fail(source, f"unknown status {status!r}; use one of: {', '.join(STATUSES)}.")
    text = _text(data, "text", source, required=True)
    try:
        used = [part[0] for part in _tokens(text, strict=True) if isinstance(part, tuple)]
    except ValueError as exc:
        raise _fail(source, str(exc) + ".") from None
    raw_fields = data.get("fields") or []
    if not isinstance(raw_fields, list):
        raise _fail(source, f"'fields' must be a list, not {_kind(raw_fields)}.")
    fields: list[SnippetField] = []
    for number, raw in enumerate(raw_fields, 1):
        field = _parse_field(raw, source, number)
        if any(f.name == field.name for f in fields):
            raise _fail(source, f"field '{field.name}' is declared twice.")
        fields.append(field)
    declared = {f.name for f in fields}
    undeclared = [name for name in dict.fromkeys(used) if name not in declared]
    if undeclared:
        raise _fail(
            source,
            f"the text uses {', '.join('{' + n + '}' for n in undeclared)} but no field declares it "
            "(add it under 'fields', or write '{{' and '}}' for literal braces).",
        )
    unused = [f.name for f in fields if f.name not in used]
    if unused:
        raise _fail(source, f"field(s) {', '.join(repr(n) for n in unused)} declared but not used in the text.")
    article = _slug(data, "article", source, required=False) or None
    return Snippet(
        slug=slug,
        title=title,
        text=text,
        stage=stage,
        fields=fields,
        article=article,
        tags=_text_list(data, "tags", source),
        situations=_text_list(data, "situations", source, slugs=True),
        status=status,
        owner=_text(data, "owner", source).strip(),
    )


def parse_recipe(data: dict[str, Any], source: str) -> Recipe:
    """A validated ``Recipe`` from its YAML mapping; ``InvalidInput`` naming ``source``."""
    _check_keys(data, _RECIPE_KEYS, "a recipe", source)
    slug = _slug(data, "slug", source)
    raw_stages = data.get("stages")
    if not isinstance(raw_stages, list) or not raw_stages:
        raise _fail(source, "'stages' must be a non-empty list of stages.")
    stages = []
    for number, raw in enumerate(raw_stages, 1):
        where = f"{source}, stage {number}"
        _check_keys(raw, _STAGE_KEYS, "a recipe stage", where)
        stage = _text(raw, "stage", where, required=True).strip()
        if stage not in STAGES:
            raise _fail(where, f"unknown stage {stage!r}; use one of: {', '.join(STAGES)}.")
        stages.append(
            RecipeStage(
                stage=stage,
                title=_text(raw, "title", where).strip() or STAGE_TITLES[stage],
                hint=_text(raw, "hint", where).strip(),
                snippets=_text_list(raw, "snippets", where, slugs=True),
            )
        )
    return Recipe(
        slug=slug,
        title=_text(data, "title", source, required=True).strip(),
        summary=_text(data, "summary", source).strip(),
        stages=stages,
        articles=_text_list(data, "articles", source, slugs=True),
    )


# -- files ---------------------------------------------------------------------------


def _read_yaml(path: Path, name: str) -> tuple[Any, str | None]:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), None
    except UnicodeDecodeError:
        return None, f"{name}: not UTF-8 text."
    except OSError as exc:
        return None, f"{name}: cannot be read ({exc.strerror or exc})."
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where is not None else ""
        return None, f"{name}: not valid YAML{at} ({getattr(exc, 'problem', None) or exc})."


def load_snippet_file(path: Path | str, name: str | None = None) -> tuple[list[Snippet], list[str]]:
    """The snippets in a ``snippets:`` YAML file, and one message per problem.

    A bad snippet is reported and skipped; the others still load.
    """
    path = Path(path)
    name = name or path.name
    data, problem = _read_yaml(path, name)
    if problem:
        return [], [problem]
    if not isinstance(data, Mapping) or not isinstance(data.get("snippets"), list):
        return [], [f"{name}: expected a mapping with a 'snippets:' list."]
    problems = [f"{name}: unknown top-level key '{k}' (only 'snippets')." for k in data if k != "snippets"]
    snippets: list[Snippet] = []
    for number, raw in enumerate(data["snippets"], 1):
        slug = raw.get("slug") if isinstance(raw, Mapping) else None
        source = f"{name}, snippet '{slug}'" if isinstance(slug, str) else f"{name}, snippet {number}"
        try:
            snippet = parse_snippet(raw, source)
        except InvalidInput as exc:
            problems.append(str(exc))
            continue
        if any(s.slug == snippet.slug for s in snippets):
            problems.append(f"{source}: the slug is used twice in this file; the second is skipped.")
            continue
        snippets.append(snippet)
    return snippets, problems


def load_recipe_file(path: Path | str, name: str | None = None) -> tuple[Recipe | None, list[str]]:
    """The recipe in a YAML file (``None`` if it cannot be used), and the problems."""
    path = Path(path)
    name = name or path.name
    data, problem = _read_yaml(path, name)
    if problem:
        return None, [problem]
    try:
        recipe = parse_recipe(data, name)
    except InvalidInput as exc:
        return None, [str(exc)]
    problems = []
    if path.suffix in (".yaml", ".yml") and path.stem != recipe.slug:
        problems.append(f"{name}: the file should be named {recipe.slug}{path.suffix} after its slug.")
    return recipe, problems


def load_bundled() -> tuple[list[Snippet], list[Recipe], list[str]]:
    """The snippets and recipes in ``resources/playbook``, with every problem as a message.

    Besides each file's own problems this reports slugs used twice across files and
    recipes that suggest a snippet which does not exist or belongs to another stage.
    """
    snippets: list[Snippet] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in sorted(resources.path("playbook", "snippets").glob("*.yaml")):
        name = f"playbook/snippets/{path.name}"
        loaded, file_problems = load_snippet_file(path, name)
        problems.extend(file_problems)
        for snippet in loaded:
            if snippet.slug in seen:
                problems.append(f"{name}: snippet slug '{snippet.slug}' is also used in {seen[snippet.slug]}.")
                continue
            seen[snippet.slug] = name
            snippets.append(snippet)
    recipes: list[Recipe] = []
    by_slug = {s.slug: s for s in snippets}
    for path in sorted(resources.path("playbook", "recipes").glob("*.yaml")):
        name = f"playbook/recipes/{path.name}"
        recipe, file_problems = load_recipe_file(path, name)
        problems.extend(file_problems)
        if recipe is None:
            continue
        if any(r.slug == recipe.slug for r in recipes):
            problems.append(f"{name}: recipe slug '{recipe.slug}' is used by another recipe too.")
            continue
        problems.extend(_check_recipe_snippets(recipe, by_slug, name))
        recipes.append(recipe)
    recipes.sort(key=lambda r: (RECIPE_ORDER.index(r.slug) if r.slug in RECIPE_ORDER else len(RECIPE_ORDER), r.slug))
    return snippets, recipes, problems


RECIPE_ORDER = (
    "we-got-it-wrong",
    "customer-got-it-wrong",
    "grey-area",
    "customer-wants-to-vent",
    "customer-blames-you",
    "we-have-to-say-no",
)
"""How the situations are offered to a rep: the three causes first, then the hard moments."""


def _check_recipe_snippets(recipe: Recipe, by_slug: Mapping[str, Snippet], name: str) -> list[str]:
    problems = []
    for stage in recipe.stages:
        for slug in stage.snippets:
            snippet = by_slug.get(slug)
            if snippet is None:
                problems.append(f"{name}: stage '{stage.stage}' suggests snippet '{slug}', which does not exist.")
            elif snippet.stage != stage.stage:
                problems.append(
                    f"{name}: stage '{stage.stage}' suggests snippet '{slug}', which is a '{snippet.stage}' snippet."
                )
    return problems


# -- writing -------------------------------------------------------------------------


def snippet_to_data(snippet: Snippet) -> dict[str, Any]:
    """The YAML mapping for ``snippet``; ``parse_snippet`` gives the same snippet back."""
    data: dict[str, Any] = {"slug": snippet.slug, "title": snippet.title, "stage": snippet.stage}
    if snippet.situations:
        data["situations"] = list(snippet.situations)
    if snippet.tags:
        data["tags"] = list(snippet.tags)
    if snippet.article:
        data["article"] = snippet.article
    data["status"] = snippet.status
    if snippet.owner:
        data["owner"] = snippet.owner
    data["text"] = snippet.text
    if snippet.fields:
        data["fields"] = [_field_to_data(f) for f in snippet.fields]
    return data


def _field_to_data(field: SnippetField) -> dict[str, Any]:
    data: dict[str, Any] = {"name": field.name, "label": field.label, "required": field.required}
    if field.default is not None:
        data["default"] = field.default
    if field.choices:
        data["choices"] = list(field.choices)
    if field.help:
        data["help"] = field.help
    if field.sample is not None:
        data["sample"] = field.sample
    return data


def snippets_to_yaml(snippets: Iterable[Snippet]) -> str:
    """A ``snippets:`` YAML file holding ``snippets`` (multi-line text as ``|`` blocks)."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    return yaml.dump(
        {"snippets": [snippet_to_data(s) for s in snippets]},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
