"""Turning another tool's placeholders into Tactful ``{field}`` fill-ins.

Each format finds its placeholders with a pattern and says, for each, which name it carries
(``None`` when it cannot be a fill-in: a cursor marker, the clipboard, a date macro, a
template tag). Known names map onto the playbook's own field names, so values carry between
imported and bundled snippets; other names become new fields. What cannot be a field stays
in the text as written and is reported, so the editor rewrites it (the phrasing checker's
unfilled-placeholder rule points at it too).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.models import STAGES, SnippetField, slugify

# Their name (normalised: lower case, words joined by _) -> the playbook's field name.
KNOWN = {
    "first_name": "customer_name", "firstname": "customer_name", "name": "customer_name",
    "customer": "customer_name", "customer_name": "customer_name", "customer_first_name": "customer_name",
    "requester_first_name": "customer_name", "requester_name": "customer_name",
    "ticket_requester_first_name": "customer_name", "ticket_requester_name": "customer_name",
    "contact_first_name": "customer_name", "client_name": "customer_name",
    "agent": "rep_name", "agent_name": "rep_name", "agent_first_name": "rep_name", "my_name": "rep_name",
    "rep": "rep_name", "rep_name": "rep_name", "current_user_first_name": "rep_name",
    "current_user_name": "rep_name", "ticket_assignee_first_name": "rep_name", "ticket_assignee_name": "rep_name",
    "order": "order_number", "order_id": "order_number", "order_no": "order_number",
    "order_number": "order_number", "order_ref": "order_number",
    "ticket_id": "ticket_number", "ticket_number": "ticket_number",
    "product": "product", "product_name": "product", "amount": "amount", "refund_amount": "amount",
}
LABELS = {
    "customer_name": ("Customer's first name", False, "Priya"),
    "rep_name": ("Your name", True, "Sam"),
    "order_number": ("Order number", True, "A-10442"),
    "ticket_number": ("Ticket number", True, "48213"),
    "product": ("Product", True, None),
    "amount": ("Amount", True, None),
}
FIELD_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def normalise(name: str) -> str:
    cleaned = re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")
    return cleaned


def field_name(their_name: str) -> str | None:
    """The Tactful field for one of their names (``None`` if nothing usable is left)."""
    key = normalise(their_name)
    if not key:
        return None
    if key in KNOWN:
        return KNOWN[key]
    for prefix in ("ticket_requester_", "ticket_", "current_user_", "user_", "form1_", "form_"):
        if key.startswith(prefix) and key[len(prefix):] in KNOWN:
            return KNOWN[key[len(prefix):]]
    for prefix in ("ticket_", "current_user_"):
        if key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix):]
            break
    if key[0].isdigit():
        key = f"field_{key}"
    return key[:40]


@dataclass
class Converted:
    text: str
    fields: list[SnippetField] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)


Namer = Callable[[re.Match[str]], tuple[str | None, str | None]]
"""For one placeholder match: (their name or None if it cannot be a field, a label or None)."""


def convert(text: str, pattern: re.Pattern[str], namer: Namer, *, drop: re.Pattern[str] | None = None) -> Converted:
    """``text`` with each placeholder ``pattern`` finds as a ``{field}``; literal braces escaped."""
    if drop is not None:
        text = drop.sub("", text)
    out: list[str] = []
    result = Converted("")
    by_name: dict[str, SnippetField] = {}
    pos = 0
    for match in pattern.finditer(text):
        out.append(_escape(text[pos:match.start()]))
        pos = match.end()
        their, label = namer(match)
        name = field_name(their) if their else None
        if name is None:
            out.append(_escape(match.group(0)))
            if match.group(0) not in result.unmapped:
                result.unmapped.append(match.group(0))
            continue
        result.mapped[match.group(0)] = name
        if name not in by_name:
            default_label, required, sample = LABELS.get(name, (None, True, None))
            by_name[name] = SnippetField(
                name=name,
                label=default_label or (label or name.replace("_", " ")).strip().capitalize(),
                required=required,
                sample=sample,
            )
        out.append("{" + name + "}")
    out.append(_escape(text[pos:]))
    result.text = "".join(out).strip()
    result.fields = list(by_name.values())
    return result


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def guess_stage(title: str, text: str) -> str:
    """A starting stage for an imported reply; the editor can change it."""
    words = f"{title} {text[:80]}".lower()
    for stage, hints in (
        ("greeting", ("greeting", "hello", "hi ")),
        ("apologise", ("sorry", "apolog")),
        ("close", ("sign-off", "signoff", "closing", "signature", "kind regards", "best wishes")),
        ("follow-up", ("follow up", "follow-up", "checking in")),
        ("next-steps", ("next step", "will be in touch")),
    ):
        if any(hint in words for hint in hints):
            return stage
    return "explain" if "explain" in STAGES else STAGES[0]


def split_tags(raw: str) -> list[str]:
    """Tags or a folder path ("Billing/Refunds", "billing; refunds") as slug-shaped tags."""
    parts = re.split(r"[;,/|>\\]+", raw or "")
    tags = []
    for part in parts:
        tag = slugify(part)
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def add_item(preview, converted: Converted, title: str, tags: list[str], source: str) -> None:  # noqa: ANN001
    """One parsed reply into ``preview`` (an ``ImportPreview``), with its problems noted."""
    from kb.interchange import ImportItem

    problems = []
    if not converted.text:
        preview.problems.append(f"{source}: no reply text; skipped.")
        return
    title = " ".join(title.split())
    if not title:
        title = " ".join(converted.text.replace("{", "").replace("}", "").split()[:8])
        problems.append("no title: the first words of the text are used")
    if len(title) > 120:
        title = title[:117].rstrip() + "..."
        problems.append("title shortened to 120 characters")
    for placeholder in converted.unmapped:
        problems.append(f"{placeholder} cannot be a fill-in field; rewrite it before vetting")
        if placeholder not in preview.unmapped:
            preview.unmapped.append(placeholder)
    preview.mapped_fields.update(converted.mapped)
    preview.items.append(
        ImportItem(title=title, text=converted.text, tags=tags, fields=converted.fields, source=source,
                   problems=problems)
    )
