"""The ``Linter``: rules loaded once, then ``lint(text)`` as often as the rep types."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kb.errors import InvalidInput
from kb.lint import checks, readability
from kb.lint.compiled import CACHE
from kb.lint.rules import Rule, build_all, bundled_rules, load_dir
from kb.lint.suppress import IgnoreList, inline_markers
from kb.lint.text import analyse
from kb.lint.vocab import AcceptList, reject_rules
from kb.models import SEVERITIES, Finding

MAX_TEXT_CHARS = 500_000
"""Longest text the checker takes (about 80,000 words): replies and articles are far shorter."""

_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_SPACES = re.compile(r"\s+")
_FIELD = re.compile(r"\{(words|grade|limit|examples)\}")


class Linter:
    """A set of compiled rules plus a team's accept list. Thread-safe once built."""

    def __init__(self, rules: Iterable[Rule], *, problems: Iterable[str] = (), accept: AcceptList | None = None):
        self.rules: list[Rule] = [r for r in rules if r.kind != "disabled"]
        self.problems: list[str] = list(problems)
        self._accept = accept or AcceptList(None, (), frozenset())

    @classmethod
    def load(
        cls,
        *,
        team_rule_dirs: Iterable[str | Path] = (),
        extra_rules: Iterable[tuple[str, Mapping[str, Any]]] = (),
        accept: Iterable[str] = (),
        reject: Iterable[Mapping[str, Any]] = (),
        problems: Iterable[str] = (),
        compiled_cache: str | Path | None = None,
    ) -> "Linter":
        """The bundled rules, then team rule folders, then ``extra_rules`` (later wins by id).

        ``extra_rules`` are ``(source_name, mapping)`` pairs validated exactly like rule
        files (the mapping must carry its ``id``). A team rule with a bundled rule's id
        replaces it; ``enabled: false`` switches a rule off. ``problems`` carries
        problems found while reading the sources (``load_team_sources`` fills it). Every
        rule that cannot be used is skipped and named in ``linter.problems``.
        ``compiled_cache`` is a file keeping the rules' compiled regexes between runs
        (``kb.lint.compiled``); ``load_team_sources`` names the data folder's.
        """
        if compiled_cache is not None:
            CACHE.use_file(compiled_cache)
        bundled, bundled_problems = bundled_rules()
        found: list[str] = list(bundled_problems) + list(problems)
        by_id: dict[str, Rule] = {rule.id: rule for rule in bundled}
        for folder in team_rule_dirs:
            folder = Path(folder)
            rules, folder_problems = load_dir(folder, str(folder))
            found.extend(folder_problems)
            by_id.update((rule.id, rule) for rule in rules)
        rules, extra_problems = build_all(extra_rules)
        found.extend(extra_problems)
        by_id.update((rule.id, rule) for rule in rules)
        rules, reject_problems = reject_rules(reject)
        found.extend(reject_problems)
        by_id.update((rule.id, rule) for rule in rules)
        accept_list, accept_problems = AcceptList.build(accept)
        found.extend(accept_problems)
        if accept_list.words:
            for rule_id, rule in by_id.items():
                if isinstance(rule.check, checks.CapitalsCheck):
                    allow = rule.check.allow | accept_list.words
                    by_id[rule_id] = replace(rule, check=replace(rule.check, allow=allow))
                elif isinstance(rule.check, checks.ReadabilityCheck) and rule.check.max_abbreviations is not None:
                    familiar = rule.check.familiar | accept_list.words
                    by_id[rule_id] = replace(rule, check=replace(rule.check, familiar=familiar))
        CACHE.save()
        return cls(by_id.values(), problems=found, accept=accept_list)

    @classmethod
    def for_data_folder(cls, paths: Any) -> "Linter":
        """Bundled rules plus the team rules and vocabularies of a data folder (read-only)."""
        from kb.lint.vocab import load_team_sources

        return cls.load(**load_team_sources(paths))

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @staticmethod
    def warm_up() -> None:
        """Load the readability data now (~1 s once per process) instead of in the first lint."""
        readability.warm_up()

    def uses_learned_model(self) -> bool:
        """Whether a rule in use reads the learned model (the opt-in ``extends: learned``)."""
        return any(rule.kind == "learned" for rule in self.rules)

    def lint(self, text: str, *, ignore: Iterable[str] = ()) -> list[Finding]:
        """Findings for ``text``, sorted by offset.

        ``ignore`` holds finding keys (``kb.lint.finding_key``), rule ids or categories
        the rep chose to ignore in this draft. Inline ``tactful-ignore`` markers in the
        text are honoured too (see ``kb.lint.suppress``).
        """
        if not isinstance(text, str):
            raise TypeError(f"lint() needs text (str), not {type(text).__name__}")
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInput(
                f"The text is too long to check ({len(text):,} characters; the limit is "
                f"{MAX_TEXT_CHARS:,}). Check it in smaller parts."
            )
        if not text.strip():
            return []
        doc = analyse(text)
        ignored = IgnoreList.of(ignore)
        silenced = inline_markers(text)
        accepted = self._accept.spans(doc) if self._accept else []
        findings: list[Finding] = []
        second_opinions: list[tuple[float, Finding]] = []
        named: list[tuple[str, int, int]] = []  # every rule hit, even ignored ones: the model never restates them
        for rule in self.rules:
            last_end = -1
            for hit in sorted(rule.check.find(doc), key=lambda h: (h.start, -h.end)):
                if hit.start < last_end or hit.end <= hit.start:
                    continue  # one rule never reports overlapping findings
                if rule.kind != "learned":
                    named.append((rule.category, hit.start, hit.end))
                if accepted and self._is_accepted(rule, hit, accepted):
                    continue
                finding = self._finding(rule, hit, doc)
                if ignored and ignored.covers(finding):
                    continue
                if silenced and any(s.covers(finding) for s in silenced):
                    continue
                if rule.kind == "learned":
                    second_opinions.append((float((hit.values or {}).get("confidence", 0.0)), finding))
                else:
                    findings.append(finding)
                last_end = hit.end
        findings = _one_finding_per_slip(findings)
        if second_opinions:
            findings.extend(_where_rules_are_silent(second_opinions, named))
        findings.sort(key=lambda f: (f.start, f.end, _SEVERITY_RANK[f.severity], f.rule))
        return findings

    @staticmethod
    def _is_accepted(rule: Rule, hit: checks.Hit, accepted: list[tuple[int, int]]) -> bool:
        for start, end in accepted:
            if start <= hit.start and hit.end <= end:
                return True
            if rule.category != "readability" and hit.start <= start and end <= hit.end:
                return True
        return False

    @staticmethod
    def _finding(rule: Rule, hit: checks.Hit, doc: Any) -> Finding:
        match = doc.text[hit.start : hit.end]
        message = rule.message
        if "%s" in message:
            shown = _SPACES.sub(" ", match).strip()
            if len(shown) > 80:
                shown = shown[:77] + "..."
            message = message.replace("%s", shown)
        if hit.values:
            values = hit.values
            message = _FIELD.sub(lambda m: _show(values.get(m.group(1), m.group())), message)
        suggestions = rule.suggestions if hit.suggestions is None else hit.suggestions
        if suggestions:
            if match[:1].isupper() and hit.suggestions is None:
                suggestions = tuple(s[:1].upper() + s[1:] for s in suggestions)
            if doc.text[hit.end : hit.end + 1] in (".", "!", "?", ",", ":"):
                # "Calm down." -> "I can see why this is frustrating." not "...frustrating.."
                suggestions = tuple(s[:-1] if len(s) > 1 and s[-1] in ".!:," else s for s in suggestions)
        line, column = doc.line_col(hit.start)
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=rule.severity,
            start=hit.start,
            end=hit.end,
            line=line,
            column=column,
            match=match,
            message=message,
            suggestions=tuple(suggestions),
            article=rule.article,
            why=rule.why,
        )


ORTHOGONAL = frozenset({"shouting", "readability", "unfilled-placeholder"})
"""Categories about how the words look, not what they say: they sit beside any other finding."""


def _one_finding_per_slip(findings: list[Finding]) -> list[Finding]:
    """Where two rules hit the same words, keep the one a person would name.

    The rule that matched the larger construction is the more specific ("You clearly
    didn't read" is blame, and "clearly" inside it is not a second, dismissive slip); on
    the very same words the more severe rule wins. Two findings of one category that
    overlap at all are the same slip said twice: the longer one stays. Findings that
    only share a few words and name different slips ("It's not our fault" + "not our
    fault you weren't in") both stay, as do shouting, readability, placeholders and the
    team's own rules.
    """
    if len(findings) < 2:
        return findings

    def rank(f: Finding) -> tuple[int, int]:
        return (f.end - f.start, -_SEVERITY_RANK[f.severity])  # longer first, then more severe

    def aside(f: Finding) -> bool:  # a team's own rules always show: the team asked for them
        return f.category in ORTHOGONAL or f.rule.startswith("team.")

    content = sorted((f for f in findings if not aside(f)), key=rank, reverse=True)
    kept: list[Finding] = []
    for candidate in content:
        beaten = False
        for winner in kept:
            if not (candidate.start < winner.end and winner.start < candidate.end):
                continue
            contained = winner.start <= candidate.start and candidate.end <= winner.end
            if contained or winner.category == candidate.category:
                beaten = True
                break
        if not beaten:
            kept.append(candidate)
    survivors = {id(f) for f in kept}
    return [f for f in findings if aside(f) or id(f) in survivors]


def _where_rules_are_silent(opinions: list[tuple[float, Finding]], named: list[tuple[str, int, int]]) -> list[Finding]:
    """The learned model's findings that add something: one per sentence (its most
    confident category), and none where a rule named that slip, even one the rep chose
    to ignore (ignoring a rule's finding must not make the model say it instead)."""
    best: dict[tuple[int, int], tuple[float, Finding]] = {}
    for confidence, finding in opinions:
        span = (finding.start, finding.end)
        if span not in best or confidence > best[span][0]:
            best[span] = (confidence, finding)
    out = []
    for _, finding in best.values():
        if any(c == finding.category and s < finding.end and finding.start < e for c, s, e in named):
            continue
        out.append(finding)
    return out


def _show(value: object) -> str:
    """A message value as a person writes it: 12, not 12.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
