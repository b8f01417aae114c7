"""Zendesk macros as JSON (the ``macros`` list of the Macros API, or one ``macro``).

A macro's reply is the ``comment_value`` action (a string, or ``[channel, text]``), or
``comment_value_html`` as HTML. ``{{ticket.requester.first_name}}``-style placeholders map
to Tactful fields; dynamic content (``{{dc.…}}``), Liquid tags (``{% … %}``) and
placeholders with filters cannot be fill-ins and are reported. ``Category::Title`` titles
become tags and a title.
"""

from __future__ import annotations

import html
import re
from typing import Any

from kb.interchange import ImportPreview, InterchangeError
from kb.interchange.fields import add_item, convert, split_tags

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}|\{%[^%]*%\}")
NOT_FIELDS = ("dc.", "ticket.comments", "ticket.latest_comment", "ticket.latest_public_comment",
              "ticket.description", "satisfaction.")


def parse(text: str) -> ImportPreview:
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InterchangeError(f"The Zendesk file is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}). Export the macros again and import the new file.") from None
    if isinstance(data, dict) and isinstance(data.get("macro"), dict):
        macros = [data["macro"]]
    elif isinstance(data, dict) and isinstance(data.get("macros"), list):
        macros = data["macros"]
    elif isinstance(data, list):
        macros = data
    else:
        raise InterchangeError("This is not a Zendesk macros export: it needs a \"macros\" list "
                               "(GET /api/v2/macros.json).")
    preview = ImportPreview("zendesk")
    for number, macro in enumerate(macros, 1):
        if not isinstance(macro, dict):
            preview.problems.append(f"macro {number}: not an object; skipped.")
            continue
        full_title = str(macro.get("title") or macro.get("raw_title") or "").strip()
        source = f"macro {number}" + (f" ({full_title})" if full_title else "")
        reply = _reply(macro.get("actions"))
        if reply is None:
            preview.problems.append(f"{source}: no comment_value action (it only changes ticket fields); skipped.")
            continue
        *folders, title = full_title.split("::") if full_title else [""]
        converted = convert(reply, PLACEHOLDER, _name)
        add_item(preview, converted, title.strip(), split_tags("/".join(folders)), source)
    return preview


def _reply(actions: Any) -> str | None:
    plain = rich = None
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict):
            continue
        value = action.get("value")
        if isinstance(value, list):
            value = value[-1] if value else ""
        if not isinstance(value, str):
            continue
        if action.get("field") == "comment_value":
            plain = value
        elif action.get("field") == "comment_value_html":
            rich = _html_to_text(value)
    return plain if plain is not None else rich


def _html_to_text(markup: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>", "\n", markup)
    text = re.sub(r"(?s)<[^>]+>", "", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def _name(match: re.Match[str]) -> tuple[str | None, str | None]:
    inner = match.group(1)
    if inner is None or "|" in inner or " " in inner.strip() or inner.startswith(NOT_FIELDS):
        return None, None
    return inner, None
