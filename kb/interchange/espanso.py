"""espanso match files: ``matches:`` with ``trigger``/``triggers`` and ``replace`` or ``form``.

Shapes from espanso's documentation (matches, variables, forms): ``{{var}}`` in ``replace``;
variables under ``vars`` with ``type: form`` and a ``layout`` of ``[[field]]`` fields,
referred to as ``{{form1.field}}``; the ``form:`` shorthand with ``[[field]]``; ``$|$`` marks
the cursor. Variables of other types (date, clipboard, shell, script, random...) are never
run here: they cannot be fill-ins and are reported.
"""

from __future__ import annotations

import re
from typing import Any

from kb.interchange import ImportPreview, InterchangeError
from kb.interchange.fields import add_item, convert, split_tags

CURLY = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")
SQUARE = re.compile(r"\[\[\s*([A-Za-z0-9_\-]+)\s*\]\]")
CURSOR = re.compile(r"\$\|\$")


def _load(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise InterchangeError(f"The espanso file is not valid YAML{where}. Fix it in a text editor "
                               "(espanso itself would refuse it too) and import it again.") from None


def parse(text: str) -> ImportPreview:
    data = _load(text)
    if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
        raise InterchangeError("This is not an espanso match file: it needs a 'matches:' list "
                               "(see espanso's match files, for example match/base.yml).")
    preview = ImportPreview("espanso")
    for number, match in enumerate(data["matches"], 1):
        source = f"match {number}"
        if not isinstance(match, dict):
            preview.problems.append(f"{source}: not a mapping; skipped.")
            continue
        triggers = match.get("triggers") or ([match["trigger"]] if "trigger" in match else [])
        triggers = [str(t) for t in triggers] if isinstance(triggers, list) else [str(triggers)]
        if triggers:
            source += f" ({triggers[0]})"
        if isinstance(match.get("form"), str):
            converted = convert(match["form"], SQUARE, lambda m: (m.group(1), None), drop=CURSOR)
        elif isinstance(match.get("replace"), str) and match.get("inject_vars") is False:
            converted = convert(match["replace"], re.compile(r"(?!)"), lambda m: (None, None), drop=CURSOR)
        elif isinstance(match.get("replace"), str):
            kinds = _var_types(match.get("vars"))
            converted = convert(match["replace"], CURLY, lambda m: _name(m.group(1), kinds), drop=CURSOR)
        else:
            what = "an image" if "image_path" in match else "no text ('replace' or 'form')"
            preview.problems.append(f"{source}: {what}; skipped.")
            continue
        title = str(match.get("label") or (triggers[0] if triggers else "")).strip()
        tags = split_tags(str(match.get("group", ""))) if match.get("group") else []
        add_item(preview, converted, title, tags, source)
    return preview


def _var_types(raw: Any) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for var in raw if isinstance(raw, list) else []:
        if isinstance(var, dict) and "name" in var:
            kinds[str(var["name"])] = str(var.get("type", ""))
    return kinds


def _name(name: str, kinds: dict[str, str]) -> tuple[str | None, str | None]:
    head, _, rest = name.partition(".")
    kind = kinds.get(head)
    if kind == "form" and rest:
        return rest, None  # {{form1.customer}}
    if kind and kind != "form":
        return None, None  # date, clipboard, shell, script, echo, random...: not a fill-in
    return name, None


def export(snippets: list, path) -> int:  # noqa: ANN001
    """Vetted snippets as an espanso match file: each one a ``form`` match with ``[[field]]``."""
    import yaml

    from kb.markdown_io import atomic_write_text

    matches = []
    for snippet in snippets:
        layout = _to_layout(snippet.text)
        entry: dict[str, Any] = {"trigger": f":tf-{snippet.slug}", "label": snippet.title}
        if snippet.fields:
            entry["form"] = layout
            fields = {}
            for field in snippet.fields:
                spec: dict[str, Any] = {}
                if field.choices:
                    spec = {"type": "choice", "values": list(field.choices)}
                if field.default:
                    spec["default"] = field.default
                if spec:
                    fields[field.name] = spec
            if fields:
                entry["form_fields"] = fields
        else:
            entry["replace"] = layout
            if "{{" in layout:
                entry["inject_vars"] = False  # literal braces, not an espanso variable
        matches.append(entry)
    text = "# Exported from Tactful: vetted snippets only. Type the trigger, fill in the form.\n"
    text += yaml.safe_dump({"matches": matches}, allow_unicode=True, sort_keys=False, width=100)
    atomic_write_text(path, text)
    return len(matches)


def _to_layout(text: str) -> str:
    """Tactful ``{field}`` as espanso ``[[field]]``; ``{{``/``}}`` back to single braces."""
    from kb.snippets import _tokens

    parts = []
    for part in _tokens(text, strict=False):
        parts.append(f"[[{part[0]}]]" if isinstance(part, tuple) else part)
    return "".join(parts)
