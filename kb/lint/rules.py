"""Rule files: one YAML file per rule, Vale-shaped, validated and compiled at load time.

```yaml
extends: existence              # existence | substitution | placeholder | capitalization | readability | learned
category: generic-apology       # kb.models.CATEGORIES
level: warning                  # error | warning | suggestion
message: "'%s' is a stock apology ..."   # %s is the matched text
why: One or two sentences on why it hurts.
suggestions: ["I'm sorry your order is late"]   # drop-in rewrites of the match
article: apologising-dos-and-donts              # defaults from the category
tokens: ["(sorry|apologi[sz]e) for any inconvenience"]
exceptions: [...]               # a match overlapping one of these is not flagged
                                # (or {tokens: [...], raw: [...]}: raw = case-sensitive regex)
unless: {scope: next-sentence, tokens: ["{offer}"]}   # ... nor if this appears nearby
                                # scope: sentence | next-sentence | nearby (one before too)
requires: {scope: sentence, tokens: [...]}            # ... and only if this appears
examples: {bad: ["Sorry for any inconvenience."], good: ["Sorry your order is late."]}
```

A ``learned`` rule (``kb.lint.learned``) takes ``min_confidence`` instead of ``tokens``,
and ``exceptions`` and ``unless`` clear a sentence the model picked.

The rule id is the file name without ``.yaml`` (an ``id:`` key, if present, must agree).
Every mistake raises ``RuleError`` with a message naming the key; the loader reports it
with the file's name and skips that one rule, so every other rule keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.lint import checks
from kb.lint.compiled import CACHE
from kb.lint.patterns import PatternError, compile_alternatives
from kb.models import CATEGORIES, SEVERITIES, is_valid_slug

KINDS = ("existence", "substitution", "placeholder", "capitalization", "readability", "learned")

CATEGORY_ARTICLES: dict[str, str | None] = {
    "blame": "analyse-dont-blame",
    "distancing": "owning-without-taking-it-personally",
    "non-apology": "apologising-dos-and-donts",
    "generic-apology": "apologising-dos-and-donts",
    "dismissive": "when-a-customer-blames-you",
    "over-promise": "accepting-blame-and-moving-on",
    "hard-no": "saying-no-so-it-sounds-like-yes",
    "shouting": "explaining-your-side-simply",
    "unfilled-placeholder": None,
    "readability": "explaining-your-side-simply",
}
"""The playbook article a finding points to, by category (DESIGN.md's table)."""

LEARNED_CATEGORIES = ("blame", "distancing", "non-apology", "generic-apology", "dismissive", "over-promise", "hard-no")
"""The categories about meaning, which the learned model (``kb.lint.learned``) reads."""

_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_COMMON = {
    "id", "extends", "category", "level", "message", "why", "suggestions", "article",
    "examples", "enabled", "description", "link",
}
_KIND_KEYS = {
    "existence": {"tokens", "raw", "exceptions", "unless", "requires"},
    "substitution": {"swap", "exceptions", "unless", "requires"},
    "placeholder": {"shapes", "ignore"},
    "capitalization": {"exceptions", "acronym_max_letters"},
    "readability": {"max_words", "max_grade", "min_words", "skip_over_words", "min_long_words", "max_abbreviations", "familiar"},
    "learned": {"min_confidence", "exceptions", "unless"},
}


class RuleError(ValueError):
    """A rule file with a mistake; the message says which key and what is wrong."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    category: str
    severity: str
    message: str
    check: checks.Check = field(repr=False, compare=False)
    why: str = ""
    suggestions: tuple[str, ...] = ()
    article: str | None = None
    source: str = ""
    """Where the rule came from (a file path or a team source name)."""
    description: str = ""
    examples_bad: tuple[str, ...] = ()
    examples_good: tuple[str, ...] = ()


def _text(data: Mapping[str, Any], key: str, *, required: bool = False, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise RuleError(f"'{key}' is missing")
        return default
    if not isinstance(value, str) or (required and not value.strip()):
        raise RuleError(f"'{key}' must be text")
    return value.strip()


def _texts(data: Mapping[str, Any], key: str, *, required: bool = False) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        if required:
            raise RuleError(f"'{key}' is missing")
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RuleError(f"'{key}' must be a list of non-empty texts")
    if required and not value:
        raise RuleError(f"'{key}' must list at least one entry")
    return tuple(v.strip() for v in value)


def _number(data: Mapping[str, Any], key: str, kind: type, low: float, high: float) -> Any:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise RuleError(f"'{key}' must be a {'whole ' if kind is int else ''}number")
    if not low <= value <= high:
        raise RuleError(f"'{key}' must be between {low:g} and {high:g}")
    return kind(value)


def _patterns(items: tuple[str, ...], key: str, *, named: bool = False):
    try:
        return _compiled(tuple(items), named)
    except PatternError as exc:
        raise RuleError(f"'{key}': {exc}") from None


@lru_cache(maxsize=1024)
def _compiled(items: tuple[str, ...], named: bool):
    """Identical pattern lists (a shared condition such as {offer}) compile once per process."""
    return compile_alternatives(list(items), named=named)


def _raw(items: tuple[str, ...], key: str) -> re.Pattern[str]:
    """Case-sensitive regexes over the rep's own text, combined into one."""
    try:
        regex = CACHE.compile("|".join(f"(?:{r})" for r in items))
    except re.error as exc:
        raise RuleError(f"'{key}' is not a valid regular expression: {exc}") from None
    if regex.search("") is not None:
        raise RuleError(f"'{key}' can match nothing at all; it would flag every text")
    return regex


def _condition(data: Mapping[str, Any], key: str) -> checks.Condition | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, list):
        value = {"tokens": value}
    if not isinstance(value, Mapping):
        raise RuleError(f"'{key}' must be a mapping with 'tokens' (and optionally 'scope')")
    extra = set(value) - {"tokens", "raw", "scope"}
    if extra:
        raise RuleError(f"'{key}' has unknown key '{sorted(extra)[0]}'; use 'tokens', 'raw' and 'scope'")
    scope = value.get("scope", "sentence")
    if scope not in checks.SCOPES:
        raise RuleError(f"'{key}.scope' must be one of {', '.join(checks.SCOPES)} (got {scope!r})")
    if "tokens" not in value and "raw" not in value:
        raise RuleError(f"'{key}' needs 'tokens' or 'raw'")
    tokens = _texts(value, "tokens")
    raws = _texts(value, "raw")
    return checks.Condition(
        tuple(_patterns((token,), f"{key}.tokens") for token in tokens),
        scope,
        tuple(_raw((r,), f"{key}.raw") for r in raws),
    )


def _exceptions(data: Mapping[str, Any]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """``exceptions``: a list of token patterns, or a mapping with ``tokens`` and/or ``raw``."""
    value = data.get("exceptions")
    if not value:
        return None, None
    if isinstance(value, Mapping):
        extra = set(value) - {"tokens", "raw"}
        if extra:
            raise RuleError(f"'exceptions' has unknown key '{sorted(extra)[0]}'; use 'tokens' and 'raw'")
        tokens = _texts(value, "tokens")
        raws = _texts(value, "raw")
        if not tokens and not raws:
            raise RuleError("'exceptions' needs 'tokens' or 'raw'")
        return (
            _patterns(tokens, "exceptions.tokens") if tokens else None,
            _raw(raws, "exceptions.raw") if raws else None,
        )
    return _patterns(_texts(data, "exceptions"), "exceptions"), None


def _build_check(kind: str, data: Mapping[str, Any]) -> checks.Check:
    if kind == "existence":
        if ("tokens" in data) == ("raw" in data):
            raise RuleError("an existence rule needs exactly one of 'tokens' or 'raw'")
        exceptions, raw_exceptions = _exceptions(data)
        if "raw" in data:
            if raw_exceptions is not None:
                raise RuleError("a 'raw' rule's 'exceptions' are token patterns; write case-sensitive ones into 'raw' itself")
            return checks.RawCheck(
                _raw(_texts(data, "raw", required=True), "raw"),
                exceptions=exceptions,
                unless=_condition(data, "unless"),
                requires=_condition(data, "requires"),
            )
        return checks.PhraseCheck(
            regex=_patterns(_texts(data, "tokens", required=True), "tokens"),
            exceptions=exceptions,
            unless=_condition(data, "unless"),
            requires=_condition(data, "requires"),
            raw_exceptions=raw_exceptions,
        )
    if kind == "substitution":
        swap = data.get("swap")
        if not isinstance(swap, Mapping) or not swap:
            raise RuleError("'swap' must map each pattern to its rewrite (or a list of rewrites)")
        patterns: list[str] = []
        rewrites: list[tuple[str, ...]] = []
        for pattern, rewrite in swap.items():
            if isinstance(rewrite, str):
                rewrite = [rewrite]
            if not isinstance(pattern, str) or not isinstance(rewrite, list) or not all(
                isinstance(r, str) for r in rewrite
            ):
                raise RuleError("'swap' must map each pattern (text) to a rewrite (text or list of texts)")
            patterns.append(pattern)
            rewrites.append(tuple(rewrite))
        exceptions, raw_exceptions = _exceptions(data)
        return checks.PhraseCheck(
            regex=_patterns(tuple(patterns), "swap", named=True),
            swaps=tuple(rewrites),
            exceptions=exceptions,
            unless=_condition(data, "unless"),
            requires=_condition(data, "requires"),
            raw_exceptions=raw_exceptions,
        )
    if kind == "placeholder":
        shapes = _texts(data, "shapes") or tuple(checks.PLACEHOLDER_SHAPES)
        bad = [s for s in shapes if s not in checks.PLACEHOLDER_SHAPES]
        if bad:
            raise RuleError(f"'shapes': unknown shape '{bad[0]}'; use {', '.join(checks.PLACEHOLDER_SHAPES)}")
        return checks.PlaceholderCheck(shapes, frozenset(w.lower() for w in _texts(data, "ignore")))
    if kind == "learned":
        category = data.get("category")
        if category not in LEARNED_CATEGORIES:
            raise RuleError(f"a learned rule's category must be one of {', '.join(LEARNED_CATEGORIES)} (got {category!r})")
        exceptions, raw_exceptions = _exceptions(data)
        if raw_exceptions is not None:
            raise RuleError("a learned rule's 'exceptions' are token patterns; 'raw' is not supported")
        return checks.LearnedCheck(
            category,
            _number(data, "min_confidence", float, 0.05, 1.0),
            exceptions=exceptions,
            unless=_condition(data, "unless"),
        )
    if kind == "capitalization":
        allow = frozenset(w.upper().replace("\u2019", "'") for w in _texts(data, "exceptions"))
        longest = _number(data, "acronym_max_letters", int, 0, 10)
        return checks.CapitalsCheck(allow, 4 if longest is None else longest)
    # readability
    check = checks.ReadabilityCheck(
        max_words=_number(data, "max_words", int, 5, 500),
        max_grade=_number(data, "max_grade", float, 0, 40),
        min_words=_number(data, "min_words", int, 1, 500) or 12,
        skip_over_words=_number(data, "skip_over_words", int, 1, 500),
        min_long_words=_number(data, "min_long_words", int, 0, 100) or 0,
        max_abbreviations=_number(data, "max_abbreviations", int, 0, 50),
        familiar=frozenset(w.upper() for w in _texts(data, "familiar")),
    )
    if check.max_words is None and check.max_grade is None and check.max_abbreviations is None:
        raise RuleError("a readability rule needs 'max_words', 'max_grade' or 'max_abbreviations'")
    return check


def build_rule(data: Any, *, source: str, default_id: str | None = None) -> Rule:
    """Validate one rule's mapping and compile it; raises ``RuleError``."""
    if not isinstance(data, Mapping):
        raise RuleError("a rule file must hold a mapping of keys (extends, category, level, message, ...)")
    kind = data.get("extends")
    if kind not in KINDS:
        raise RuleError(f"'extends' must be one of {', '.join(KINDS)} (got {kind!r})")
    unknown = sorted(set(map(str, data)) - _COMMON - _KIND_KEYS[kind])
    if unknown:
        raise RuleError(f"unknown key '{unknown[0]}' for an '{kind}' rule")
    rule_id = _text(data, "id", default=default_id or "")
    if not rule_id:
        raise RuleError("'id' is missing")
    if not _ID.match(rule_id) or len(rule_id) > 100:
        raise RuleError(f"'id' {rule_id!r} must be lower-case words joined by '-' or '.'")
    if default_id is not None and rule_id != default_id:
        raise RuleError(f"'id' {rule_id!r} does not match the file name ({default_id}.yaml); rename one")
    category = data.get("category")
    if category not in CATEGORIES:
        raise RuleError(f"'category' must be one of {', '.join(CATEGORIES)} (got {category!r})")
    severity = data.get("level")
    if severity not in SEVERITIES:
        raise RuleError(f"'level' must be one of {', '.join(SEVERITIES)} (got {severity!r})")
    message = _text(data, "message", required=True)
    article = data.get("article", CATEGORY_ARTICLES[category])
    if article is not None and (not isinstance(article, str) or not is_valid_slug(article)):
        raise RuleError(f"'article' must be an article slug (got {article!r})")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleError("'enabled' must be true or false")
    examples = data.get("examples") or {}
    if not isinstance(examples, Mapping) or set(examples) - {"bad", "good"}:
        raise RuleError("'examples' must be a mapping with 'bad' and/or 'good' lists")
    return Rule(
        id=rule_id,
        kind=kind,
        category=category,
        severity=severity,
        message=message,
        check=_build_check(kind, data),
        why=_text(data, "why"),
        suggestions=_texts(data, "suggestions"),
        article=article,
        source=source,
        description=_text(data, "description"),
        examples_bad=_texts(examples, "bad"),
        examples_good=_texts(examples, "good"),
    ) if enabled else _disabled(rule_id, category, severity, message, source)


def _disabled(rule_id: str, category: str, severity: str, message: str, source: str) -> Rule:
    return Rule(rule_id, "disabled", category, severity, message, check=_Nothing(), source=source)


class _Nothing:
    """The check of a rule switched off with ``enabled: false`` (a team can mute a bundled rule)."""

    def find(self, doc):  # noqa: ANN001 - matches checks.Check
        return iter(())


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_RULE_FILE_BYTES = 256 * 1024


def load_file(path: Path, source: str) -> Rule:
    """One rule file; raises ``RuleError`` describing the mistake."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_RULE_FILE_BYTES:
        raise RuleError(f"is larger than {MAX_RULE_FILE_BYTES // 1024} KB; a rule file should be small")
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_Loader)
    except UnicodeDecodeError:
        raise RuleError("is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise RuleError(f"is not valid YAML{where}: {problem}") from None
    return build_rule(data, source=source, default_id=path.stem)


def load_dir(folder: Path, label: str) -> tuple[list[Rule], list[str]]:
    """Every ``*.yaml`` / ``*.yml`` rule in ``folder``, and one problem per skipped file."""
    rules: list[Rule] = []
    problems: list[str] = []
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    except OSError as exc:
        return [], [f"{label}: cannot list the rule folder ({exc.strerror or exc})"]
    seen: set[str] = set()
    for path in paths:
        source = f"{label}/{path.name}"
        try:
            rule = load_file(path, source)
        except RuleError as exc:
            problems.append(f"{source}: {exc} (rule skipped)")
            continue
        if rule.id in seen:
            problems.append(f"{source}: another file already defines rule '{rule.id}' (rule skipped)")
            continue
        seen.add(rule.id)
        rules.append(rule)
    return rules, problems


@lru_cache(maxsize=1)
def bundled_rules() -> tuple[tuple[Rule, ...], tuple[str, ...]]:
    """The rules shipped in ``resources/rules`` (parsed and compiled once per process)."""
    from kb import resources

    rules, problems = load_dir(resources.path("rules"), "rules")
    return tuple(rules), tuple(problems)


def build_all(items: Iterable[tuple[str, Any]]) -> tuple[list[Rule], list[str]]:
    """Rules from ``(source_name, mapping)`` pairs (team rules kept in the database)."""
    rules: list[Rule] = []
    problems: list[str] = []
    for source, data in items:
        try:
            rules.append(build_rule(data, source=str(source)))
        except RuleError as exc:
            problems.append(f"{source}: {exc} (rule skipped)")
    return rules, problems
