"""Team vocabularies and team sources in the data folder.

``<home>/vocab/accept.txt``: one phrase per line (``#`` starts a comment). An accepted
phrase is never flagged: a finding inside it, or around it, is dropped ("As per our
agreement", a product name in capitals such as "TACTFUL").

``<home>/vocab/reject.yaml``: extra phrases to flag, each with a message::

    - phrase: per my last email
      category: dismissive
      message: "'Per my last email' reads as a rebuke."
      suggestion: "As I mentioned on Monday"      # or suggestions: [...]
      level: warning                              # optional (default warning)
      article: when-a-customer-blames-you         # optional (default from the category)

A phrase matches word for word, with the same case, apostrophe and contraction
handling as every other rule.

``load_team_sources(paths)`` reads those two files and names ``<home>/rules/`` (one YAML
rule file per rule, exactly like the bundled ones) for ``Linter.load``. It only reads:
nothing is created, and a data folder that does not exist simply has no team sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from kb.lint import checks, compiled
from kb.lint.patterns import PatternError, compile_alternatives, literal_pattern
from kb.lint.rules import CATEGORY_ARTICLES, Rule, RuleError
from kb.lint.text import Document
from kb.models import CATEGORIES, SEVERITIES, is_valid_slug, slugify
from kb.paths import DataPaths

ACCEPT_FILE = "accept.txt"
REJECT_FILE = "reject.yaml"
MAX_VOCAB_BYTES = 1024 * 1024


class TeamSources(TypedDict):
    """Keyword arguments for ``Linter.load``: ``Linter.load(**load_team_sources(paths))``."""

    team_rule_dirs: tuple[Path, ...]
    accept: tuple[str, ...]
    reject: tuple[Mapping[str, Any], ...]
    problems: tuple[str, ...]
    compiled_cache: Path


def load_team_sources(paths: DataPaths) -> TeamSources:
    """Team rules, accept list and reject list from the data folder (read-only), and the
    file where the checker keeps its compiled regexes between runs."""
    problems: list[str] = []
    rules_dir = paths.rules_dir
    rule_dirs = (rules_dir,) if rules_dir.is_dir() else ()
    accept: tuple[str, ...] = ()
    reject: tuple[Mapping[str, Any], ...] = ()
    accept_path = paths.vocab_dir / ACCEPT_FILE
    if accept_path.is_file():
        text = _read(accept_path, problems)
        if text is not None:
            accept = tuple(
                line.split("#", 1)[0].strip()
                for line in text.splitlines()
                if line.split("#", 1)[0].strip()
            )
    reject_path = paths.vocab_dir / REJECT_FILE
    if reject_path.is_file():
        text = _read(reject_path, problems)
        if text is not None:
            reject = _parse_reject(text, reject_path, problems)
    return TeamSources(
        team_rule_dirs=rule_dirs,
        accept=accept,
        reject=reject,
        problems=tuple(problems),
        compiled_cache=paths.cache_dir / compiled.file_name(),
    )


def _read(path: Path, problems: list[str]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(f"{path}: cannot be read ({exc.strerror or exc}); it was ignored")
        return None
    if len(raw) > MAX_VOCAB_BYTES:
        problems.append(f"{path}: larger than 1 MB; it was ignored")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text; it was ignored")
        return None


def _parse_reject(text: str, path: Path, problems: list[str]) -> tuple[Mapping[str, Any], ...]:
    import yaml

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problems.append(f"{path}: not valid YAML{where}; the reject list was ignored")
        return ()
    if data is None:
        return ()
    if isinstance(data, Mapping) and isinstance(data.get("reject"), list):
        data = data["reject"]
    if not isinstance(data, list):
        problems.append(f"{path}: must be a list of entries (phrase, category, message); it was ignored")
        return ()
    return tuple(data)


def reject_rules(entries: Iterable[Any], source: str = "reject list") -> tuple[list[Rule], list[str]]:
    """Rules for the team's reject list; one problem per entry that cannot be used."""
    rules: list[Rule] = []
    problems: list[str] = []
    used: set[str] = set()
    for number, entry in enumerate(entries, 1):
        label = f"{source} entry {number}"
        try:
            rule = _reject_rule(entry, label)
        except RuleError as exc:
            problems.append(f"{label}: {exc} (entry skipped)")
            continue
        rule_id, n = rule.id, 2
        while rule_id in used:
            rule_id, n = f"{rule.id}-{n}", n + 1
        used.add(rule_id)
        rules.append(rule if rule_id == rule.id else _renamed(rule, rule_id))
    return rules, problems


def _renamed(rule: Rule, rule_id: str) -> Rule:
    from dataclasses import replace

    return replace(rule, id=rule_id)


def _reject_rule(entry: Any, label: str) -> Rule:
    if not isinstance(entry, Mapping):
        raise RuleError("must be a mapping with phrase, category and message")
    unknown = sorted(set(map(str, entry)) - {"phrase", "message", "category", "level", "severity",
                                              "suggestion", "suggestions", "article", "why"})
    if unknown:
        raise RuleError(f"unknown key '{unknown[0]}'")
    phrase = entry.get("phrase")
    if not isinstance(phrase, str) or not phrase.strip():
        raise RuleError("'phrase' is missing")
    message = entry.get("message")
    if not isinstance(message, str) or not message.strip():
        raise RuleError("'message' is missing")
    category = entry.get("category")
    if category not in CATEGORIES:
        raise RuleError(f"'category' must be one of {', '.join(CATEGORIES)} (got {category!r})")
    severity = entry.get("level", entry.get("severity", "warning"))
    if severity not in SEVERITIES:
        raise RuleError(f"'level' must be one of {', '.join(SEVERITIES)} (got {severity!r})")
    suggestions = entry.get("suggestions", entry.get("suggestion", []))
    if isinstance(suggestions, str):
        suggestions = [suggestions]
    if not isinstance(suggestions, list) or not all(isinstance(s, str) for s in suggestions):
        raise RuleError("'suggestions' must be text or a list of texts")
    article = entry.get("article", CATEGORY_ARTICLES[category])
    if article is not None and (not isinstance(article, str) or not is_valid_slug(article)):
        raise RuleError(f"'article' must be an article slug (got {article!r})")
    why = entry.get("why", "")
    try:
        regex = compile_alternatives([literal_pattern(phrase)])
    except PatternError as exc:
        raise RuleError(f"'phrase': {exc}") from None
    slug = slugify(phrase)[:60].strip("-") or "phrase"
    return Rule(
        id=f"team.reject.{slug}",
        kind="existence",
        category=category,
        severity=severity,
        message=message.strip(),
        check=checks.PhraseCheck(regex),
        why=why.strip() if isinstance(why, str) else "",
        suggestions=tuple(s.strip() for s in suggestions if s.strip()),
        article=article,
        source=label,
    )


@dataclass(frozen=True)
class AcceptList:
    """Phrases never to flag, compiled once."""

    regex: re.Pattern[str] | None
    raw: tuple[str, ...]
    """Accepted phrases without words ("!!"), matched literally, ignoring case."""
    words: frozenset[str]
    """Single accepted words in capitals, for the shouting check's allow-list."""

    @classmethod
    def build(cls, phrases: Iterable[str]) -> tuple["AcceptList", list[str]]:
        patterns: list[str] = []
        raw: list[str] = []
        words: set[str] = set()
        problems: list[str] = []
        for phrase in phrases:
            if not isinstance(phrase, str) or not phrase.strip():
                continue
            phrase = phrase.strip()
            try:
                patterns.append(literal_pattern(phrase))
            except PatternError:
                raw.append(phrase.casefold())
            if " " not in phrase:
                words.add(phrase.upper())
        regex = None
        if patterns:
            try:
                regex = compile_alternatives(patterns)
            except PatternError as exc:  # pragma: no cover - literal patterns always compile
                problems.append(f"accept list: {exc}")
        return cls(regex, tuple(raw), frozenset(words)), problems

    def __bool__(self) -> bool:
        return self.regex is not None or bool(self.raw)

    def spans(self, doc: Document) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        if self.regex is not None:
            found.extend(doc.span(m.start() + 1, m.end()) for m in self.regex.finditer(doc.canon) if m.end() > m.start() + 1)
        if self.raw:
            folded = doc.text.casefold()
            if len(folded) == len(doc.text):
                for phrase in self.raw:
                    start = folded.find(phrase)
                    while start >= 0:
                        found.append((start, start + len(phrase)))
                        start = folded.find(phrase, start + 1)
        return found
