"""Team rules kept in the database: "avoid this phrase, say this instead".

Editors add them without touching files; they are stored in the ``team_rules`` table
(the source of truth, carried in packs as ``team-rules/<rule_id>.yaml``) and handed to
the phrasing checker as ``extra_rules`` so a saved rule applies at once.

A ``TeamRule`` becomes an ordinary Vale-shaped ``existence`` rule (see ``kb.lint.rules``):
each phrase is matched word for word, with the checker's usual case, apostrophe and
contraction handling. Validation goes through the checker's own rule builder, so a rule
that saves is a rule that loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kb.errors import InvalidInput, NotFound
from kb.models import CATEGORIES, SEVERITIES, is_valid_slug, slugify

ID_PREFIX = "team."
_ID = re.compile(r"^team\.[a-z0-9]+(?:[-.][a-z0-9]+)*$")
MAX_PHRASES = 50
MAX_TEXT = 2000
DEFAULT_MESSAGE = "'%s' is on the team's list of phrases to avoid."

_KEYS = ("rule_id", "phrases", "category", "severity", "message", "suggestions", "article", "why", "enabled")


@dataclass
class TeamRule:
    """One team rule. ``rule_id`` may be left empty: saving fills in one made from the phrase."""

    phrases: list[str]
    """Phrases to avoid, each matched word for word."""
    category: str
    """One of ``kb.models.CATEGORIES``."""
    severity: str = "warning"
    """One of ``kb.models.SEVERITIES``."""
    message: str = ""
    """Shown with the underline; ``%s`` is replaced by the matched text. Empty: a default."""
    suggestions: list[str] = field(default_factory=list)
    """What to say instead (drop-in rewrites of the phrase)."""
    article: str | None = None
    """Slug of the playbook article explaining why; ``None``: the category's article."""
    why: str = ""
    rule_id: str = ""
    """``team.<words>``; unique; never changed once saved."""
    enabled: bool = True
    created_at: str | None = None
    updated_at: str | None = None

    def to_data(self) -> dict[str, Any]:
        """The stored / packed shape (no timestamps)."""
        return {
            "rule_id": self.rule_id,
            "phrases": list(self.phrases),
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "suggestions": list(self.suggestions),
            "article": self.article,
            "why": self.why,
            "enabled": self.enabled,
        }

    @classmethod
    def from_data(cls, data: Any, *, source: str = "team rule") -> "TeamRule":
        """A rule from its stored / packed shape; raises ``InvalidInput`` naming ``source``."""
        if not isinstance(data, Mapping):
            raise InvalidInput(f"{source}: a team rule must be a mapping of keys ({', '.join(_KEYS)}).")
        unknown = sorted(set(map(str, data)) - set(_KEYS))
        if unknown:
            raise InvalidInput(f"{source}: unknown key '{unknown[0]}' in a team rule.")
        phrases = data.get("phrases")
        if isinstance(phrases, str):
            phrases = [phrases]
        suggestions = data.get("suggestions") or []
        if isinstance(suggestions, str):
            suggestions = [suggestions]
        if not isinstance(phrases, list) or not isinstance(suggestions, list):
            raise InvalidInput(f"{source}: 'phrases' and 'suggestions' must be lists of texts.")
        rule = cls(
            rule_id=_str(data.get("rule_id"), "rule_id", source),
            phrases=[_str(p, "phrases", source) for p in phrases],
            category=_str(data.get("category"), "category", source),
            severity=_str(data.get("severity", "warning"), "severity", source),
            message=_str(data.get("message"), "message", source),
            suggestions=[_str(s, "suggestions", source) for s in suggestions],
            article=None if data.get("article") in (None, "") else _str(data["article"], "article", source),
            why=_str(data.get("why"), "why", source),
            enabled=data.get("enabled", True) is not False,
        )
        validate(rule, source=source)
        return rule


def _str(value: Any, key: str, source: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{source}: '{key}' must be text.")
    return value


def suggest_rule_id(phrase: str, taken: Iterable[str] = ()) -> str:
    """A fresh ``team.<words>`` id for a rule about ``phrase``."""
    base = ID_PREFIX + (slugify(phrase)[:60].strip("-") or "phrase")
    used = set(taken)
    rule_id, n = base, 2
    while rule_id in used:
        rule_id, n = f"{base}-{n}", n + 1
    return rule_id


def normalise(rule: TeamRule) -> TeamRule:
    """Trim whitespace and drop empty phrases / suggestions (in place); returns ``rule``."""
    rule.rule_id = rule.rule_id.strip()
    rule.phrases = [p.strip() for p in rule.phrases if p and p.strip()]
    rule.suggestions = [s.strip() for s in rule.suggestions if s and s.strip()]
    rule.message = rule.message.strip()
    rule.why = rule.why.strip()
    rule.article = (rule.article or "").strip() or None
    return rule


def validate(rule: TeamRule, *, source: str = "team rule") -> None:
    """Raise ``InvalidInput`` with one sentence saying what to fix."""
    label = f"Team rule '{rule.rule_id}'" if rule.rule_id else "The team rule"
    if source != "team rule":
        label = f"{source}:"
    if not rule.phrases:
        raise InvalidInput(f"{label} needs at least one phrase to avoid.")
    if not _ID.match(rule.rule_id) or len(rule.rule_id) > 100:
        raise InvalidInput(
            f"{label} id '{rule.rule_id}' must start with 'team.' followed by lower-case words "
            "joined by '-' or '.' (for example 'team.per-my-last-email')."
        )
    if len(rule.phrases) > MAX_PHRASES:
        raise InvalidInput(f"{label} has {len(rule.phrases)} phrases; keep it under {MAX_PHRASES}.")
    if rule.category not in CATEGORIES:
        raise InvalidInput(f"{label} category '{rule.category}' is not one of {', '.join(CATEGORIES)}.")
    if rule.severity not in SEVERITIES:
        raise InvalidInput(f"{label} severity '{rule.severity}' is not one of {', '.join(SEVERITIES)}.")
    if rule.article is not None and not is_valid_slug(rule.article):
        raise InvalidInput(f"{label} article '{rule.article}' is not an article slug.")
    for text in (rule.message, rule.why, *rule.phrases, *rule.suggestions):
        if len(text) > MAX_TEXT:
            raise InvalidInput(f"{label} has a text over {MAX_TEXT} characters; shorten it.")
    from kb.lint.patterns import PatternError, literal_pattern
    from kb.lint.rules import RuleError, build_rule

    for phrase in rule.phrases:
        try:
            literal_pattern(phrase)
        except PatternError:
            raise InvalidInput(f"{label} phrase '{phrase}' has no words to match; use words.") from None
    try:
        build_rule(to_lint_data(rule), source=rule.rule_id)
    except RuleError as exc:
        raise InvalidInput(f"{label} cannot be used by the checker: {exc}.") from None


def to_lint_data(rule: TeamRule) -> dict[str, Any]:
    """The rule in the checker's rule-file shape (``Linter.load(extra_rules=...)``)."""
    from kb.lint.patterns import literal_pattern

    data: dict[str, Any] = {
        "id": rule.rule_id,
        "extends": "existence",
        "category": rule.category,
        "level": rule.severity,
        "message": rule.message or DEFAULT_MESSAGE,
        "tokens": [literal_pattern(p) for p in rule.phrases],
        "enabled": rule.enabled,
    }
    if rule.why:
        data["why"] = rule.why
    if rule.suggestions:
        data["suggestions"] = list(rule.suggestions)
    if rule.article:
        data["article"] = rule.article
    return data


def lint_sources(rules: Iterable[TeamRule]) -> list[tuple[str, dict[str, Any]]]:
    """``(source, mapping)`` pairs for ``Linter.load(extra_rules=...)``."""
    return [(f"team rule {r.rule_id}", to_lint_data(r)) for r in rules]


# -- YAML (packs) -------------------------------------------------------------------------


def to_yaml(rule: TeamRule) -> str:
    import yaml

    return yaml.safe_dump(rule.to_data(), sort_keys=False, allow_unicode=True, width=1000)


def from_yaml(text: str, *, source: str) -> TeamRule:
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        raise InvalidInput(f"{source} is not valid YAML.") from None
    return TeamRule.from_data(data, source=source)


# -- storage ------------------------------------------------------------------------------


def load_all(store: Any) -> list[TeamRule]:
    """Every stored team rule, by id. A row that no longer validates is skipped (logged)."""
    import logging

    rules: list[TeamRule] = []
    rows = store.db.execute(
        "SELECT rule_id, data, created_at, updated_at FROM team_rules ORDER BY rule_id"
    ).fetchall()
    for rule_id, raw, created, updated in rows:
        try:
            rule = TeamRule.from_data(json.loads(raw), source=f"team rule {rule_id}")
        except (InvalidInput, ValueError) as exc:
            logging.getLogger(__name__).warning("team rule %s skipped: %s", rule_id, exc)
            continue
        rule.created_at, rule.updated_at = created, updated
        rules.append(rule)
    return rules


def save(store: Any, rule: TeamRule) -> TeamRule:
    """Validate and insert or update ``rule`` (filling in ``rule_id`` if empty)."""
    from kb.store import now_iso

    normalise(rule)
    with store.write() as db:
        if not rule.rule_id and rule.phrases:
            taken = {r[0] for r in db.execute("SELECT rule_id FROM team_rules").fetchall()}
            rule.rule_id = suggest_rule_id(rule.phrases[0], taken)
        validate(rule)
        stamp = now_iso()
        db.execute(
            "INSERT INTO team_rules (rule_id, data, created_at, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(rule_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            [rule.rule_id, _dump(rule), stamp, stamp],
        )
        rule.updated_at = stamp
        rule.created_at = rule.created_at or stamp
    return rule


def delete(store: Any, rule_id: str) -> None:
    with store.write() as db:
        cursor = db.execute("DELETE FROM team_rules WHERE rule_id = ?", [rule_id])
        if cursor.rowcount == 0:
            raise NotFound(f"No team rule with id '{rule_id}'.")


def replace_all(db: Any, rules: Iterable[TeamRule]) -> None:
    """Inside an open write transaction: the stored team rules become exactly ``rules``."""
    from kb.store import now_iso

    stamp = now_iso()
    db.execute("DELETE FROM team_rules")
    for rule in rules:
        db.execute(
            "INSERT INTO team_rules (rule_id, data, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [rule.rule_id, _dump(rule), rule.created_at or stamp, stamp],
        )


def _dump(rule: TeamRule) -> str:
    return json.dumps(rule.to_data(), ensure_ascii=False, sort_keys=True)
