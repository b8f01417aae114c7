"""The checker's API: findings, offsets, silencing, team rules and vocabularies."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import InvalidInput
from kb.lint import Linter, finding_key, lint, load_team_sources
from kb.lint.engine import MAX_TEXT_CHARS
from kb.models import CATEGORIES, SEVERITIES, Finding
from kb.paths import DataPaths

BAD = "Sorry for any inconvenience."


def test_finding_has_every_field() -> None:
    [f] = lint(BAD)
    assert isinstance(f, Finding)
    assert (f.rule, f.category, f.severity) == ("generic-apology.any-inconvenience", "generic-apology", "warning")
    assert (f.start, f.end, f.match) == (10, 27, "any inconvenience")
    assert (f.line, f.column) == (1, 11)
    assert f.article == "apologising-dos-and-donts"
    assert "any inconvenience" in f.message and f.why and f.suggestions
    assert f.category in CATEGORIES and f.severity in SEVERITIES


def test_findings_are_sorted_by_offset() -> None:
    findings = lint("Calm down. " + BAD + " You should have kept the receipt!!")
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert len(findings) == 4


def test_empty_and_blank_text_have_no_findings() -> None:
    assert lint("") == []
    assert lint(" \n\t\r\n ") == []


def test_too_long_text_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="too long to check"):
        lint("a " * (MAX_TEXT_CHARS // 2 + 1))


def test_text_must_be_str() -> None:
    with pytest.raises(TypeError):
        lint(b"bytes")  # type: ignore[arg-type]


def test_bundled_linter_is_cached() -> None:
    from kb.lint import default_linter

    assert default_linter() is default_linter()


# -- offsets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix",
    ["", "👍🏽 ", "e\u0301e\u0301 ", "שלום ", "مرحبا ", "Line one\r\n", "\r\n\r\n", "İİİ ", "ß ", "\u200b\ufeff "],
)
def test_offsets_are_exact_for_any_unicode(prefix: str) -> None:
    text = prefix + "We apologise for any inconvenience 🙏."
    [f] = lint(text)
    assert text[f.start : f.end] == f.match == "any inconvenience"
    line_start = max(text.rfind("\n", 0, f.start), -1) + 1
    assert f.line == text.count("\n", 0, f.start) + 1
    assert f.column == f.start - line_start + 1


def test_crlf_lines_and_columns() -> None:
    text = "Hi Sam,\r\n\r\nCalm down.\r\n"
    [f] = lint(text)
    assert (f.line, f.column, f.match) == (3, 1, "Calm down")


def test_contraction_match_covers_whole_tokens() -> None:
    [f] = [f for f in lint("I'm sorry, they won’t let me cancel it.") if f.category == "distancing"]
    assert f.match == "they won’t let me"


# -- silencing --------------------------------------------------------------------------------


def test_finding_key_survives_edits_elsewhere() -> None:
    [f] = lint(BAD)
    key = finding_key(f)
    assert key == "generic-apology.any-inconvenience:any inconvenience"
    edited = "Hello Sam, thanks for writing.\n\nSORRY for any   Inconvenience."
    assert key in {finding_key(g) for g in lint(edited)}
    assert [g for g in lint(edited, ignore=[key]) if g.category == "generic-apology"] == []


def test_ignore_by_rule_or_category() -> None:
    text = BAD + " Calm down."
    assert {f.category for f in lint(text, ignore=["generic-apology"])} == {"dismissive"}
    assert {f.category for f in lint(text, ignore=["dismissive.calm-down"])} == {"generic-apology"}


@pytest.mark.parametrize(
    "text",
    [
        "<!-- tactful-ignore -->\n" + BAD,
        "<!-- tactful-ignore -->\n\n" + BAD,
        BAD + " <!-- tactful-ignore -->",
        "<!-- tactful-ignore generic-apology -->\n" + BAD,
        "<!-- tactful-ignore generic-apology.* -->\n" + BAD,
        "<!-- tactful-disable -->\nIntro.\n" + BAD + "\n<!-- tactful-enable -->",
        "<!-- tactful-disable generic-apology.any-inconvenience -->\n" + BAD,
    ],
)
def test_inline_markers_silence(text: str) -> None:
    assert lint(text) == []


def test_inline_marker_scope() -> None:
    text = "<!-- tactful-ignore -->\n" + BAD + "\n" + BAD
    assert [f.line for f in lint(text)] == [3]
    assert len(lint("<!-- tactful-ignore dismissive -->\n" + BAD)) == 1
    text = "<!-- tactful-disable -->\n" + BAD + "\n<!-- tactful-enable -->\n" + BAD
    assert [f.line for f in lint(text)] == [4]


def test_marker_is_not_a_placeholder() -> None:
    assert lint("<!-- tactful-ignore hard-no -->\nHello.") == []


# -- team rules, accept and reject ---------------------------------------------------------------


def _rule(**overrides) -> dict:
    data = {
        "extends": "existence",
        "category": "dismissive",
        "level": "warning",
        "message": "'%s' sounds curt.",
        "tokens": ["per my last email"],
    }
    data.update(overrides)
    return data


def test_extra_rules_are_validated_like_files() -> None:
    linter = Linter.load(
        extra_rules=[
            ("db:team-rule-1", _rule(id="team.per-my-last")),
            ("db:team-rule-2", _rule(id="team.broken", category="rude")),
            ("db:team-rule-3", _rule(id="team.no-tokens", tokens=None)),
        ]
    )
    assert any(r.id == "team.per-my-last" for r in linter.rules)
    assert len(linter.problems) == 2
    assert linter.problems[0].startswith("db:team-rule-2: 'category' must be one of")
    assert "db:team-rule-3" in linter.problems[1]
    assert any(f.rule == "team.per-my-last" for f in linter.lint("Per my last email, it's attached."))


def test_team_rule_replaces_or_disables_a_bundled_rule() -> None:
    linter = Linter.load(extra_rules=[("db:1", _rule(id="dismissive.obviously", enabled=False))])
    assert lint("Obviously you need to log in.") and not linter.lint("Obviously you need to log in.")


def test_accept_list_is_never_flagged() -> None:
    linter = Linter.load(accept=["as per our policy", "TACTFUL"])
    text = "As per our policy, we only refund unopened items."
    assert "hard-no.quoting-policy" in {f.rule for f in lint(text)}
    assert linter.lint(text) == []
    assert [f.match for f in linter.lint("Please USE TACTFUL today.")] == ["USE"]


def test_reject_list_flags_extra_phrases() -> None:
    linter = Linter.load(
        reject=[
            {"phrase": "Kind regards", "category": "generic-apology", "message": "Too stiff.", "suggestion": "Thanks"},
            {"phrase": "we're on it", "category": "over-promise", "message": "Say when.", "level": "suggestion"},
            {"phrase": "oops", "message": "no category"},
        ]
    )
    findings = linter.lint("Kind regards,\nWe are on it!")
    assert [(f.rule, f.match, f.suggestions) for f in findings] == [
        ("team.reject.kind-regards", "Kind regards", ("Thanks",)),
        ("team.reject.we-re-on-it", "We are on it", ()),
    ]
    assert findings[1].severity == "suggestion" and findings[1].article == "accepting-blame-and-moving-on"
    assert linter.problems == ["reject list entry 3: 'category' must be one of " + ", ".join(CATEGORIES) + " (got None) (entry skipped)"]


def test_load_team_sources_reads_the_data_folder(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "home")
    (paths.rules_dir).mkdir(parents=True)
    (paths.vocab_dir).mkdir()
    (paths.rules_dir / "team.curt.yaml").write_text(
        "extends: existence\ncategory: dismissive\nlevel: warning\nmessage: Curt.\ntokens: [per my last email]\n",
        encoding="utf-8",
    )
    (paths.rules_dir / "team.broken.yaml").write_text("extends: existence\ncategory: [\n", encoding="utf-8")
    (paths.vocab_dir / "accept.txt").write_text("# team words\nACME\n\nas per our agreement  # fine\n", encoding="utf-8")
    (paths.vocab_dir / "reject.yaml").write_text(
        "- phrase: to be honest\n  category: dismissive\n  message: Drop it.\n", encoding="utf-8"
    )
    sources = load_team_sources(paths)
    assert sources["accept"] == ("ACME", "as per our agreement")
    assert sources["team_rule_dirs"] == (paths.rules_dir,)
    linter = Linter.load(**sources)
    assert [p for p in linter.problems if "team.broken.yaml" in p][0].endswith("(rule skipped)")
    found = {f.rule for f in linter.lint("To be honest, per my last email, ACME HQ is closed.")}
    assert {"team.curt", "team.reject.to-be-honest"} <= found


def test_load_team_sources_never_creates_anything(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "missing")
    sources = load_team_sources(paths)
    cache = sources.pop("compiled_cache")
    assert sources == {"team_rule_dirs": (), "accept": (), "reject": (), "problems": ()}
    assert cache.parent == paths.cache_dir
    Linter.load(**load_team_sources(paths))
    assert not paths.home.exists()


def test_bad_vocab_files_are_reported(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path)
    paths.vocab_dir.mkdir()
    (paths.vocab_dir / "accept.txt").write_bytes(b"caf\xe9\n")
    (paths.vocab_dir / "reject.yaml").write_text("phrase: not a list\n", encoding="utf-8")
    problems = Linter.load(**load_team_sources(paths)).problems
    assert any("accept.txt: not UTF-8" in p for p in problems)
    assert any("reject.yaml: must be a list" in p for p in problems)
