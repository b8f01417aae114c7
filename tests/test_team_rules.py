"""Team rules kept in the database: validated on save, applied by the checker at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import team_rules
from kb.errors import InvalidInput, NotFound
from kb.facade import KnowledgeBase
from kb.team_rules import TeamRule

TEXT = "Per our policy, we cannot help with that today."


@pytest.fixture
def kb(tmp_path: Path):
    kb = KnowledgeBase.open(tmp_path / "home")
    yield kb
    kb.close()


def _team_findings(kb: KnowledgeBase, text: str = TEXT) -> list:
    return [f for f in kb.lint(text) if f.rule.startswith("team.")]


def _rule(**kw) -> TeamRule:
    base = dict(
        phrases=["per our policy"],
        category="hard-no",
        severity="error",
        message="'%s' quotes rules at the customer.",
        suggestions=["Here is what I can do"],
        article="saying-no-so-it-sounds-like-yes",
        why="It hides behind the rulebook.",
    )
    base.update(kw)
    return TeamRule(**base)


def test_a_saved_rule_applies_at_once_and_a_deleted_one_no_longer_does(kb: KnowledgeBase) -> None:
    assert _team_findings(kb) == []
    rule = _rule()
    changes = kb.save_team_rule(rule)
    assert changes.rules and rule.rule_id == "team.per-our-policy"
    [finding] = _team_findings(kb)
    assert finding.rule == "team.per-our-policy"
    assert (finding.start, finding.end, finding.match) == (0, 14, "Per our policy")
    assert finding.severity == "error" and finding.category == "hard-no"
    assert finding.message == "'Per our policy' quotes rules at the customer."
    assert finding.suggestions == ("Here is what I can do",)
    assert finding.article == "saying-no-so-it-sounds-like-yes"
    assert kb.delete_team_rule("team.per-our-policy").rules
    assert _team_findings(kb) == []
    with pytest.raises(NotFound):
        kb.delete_team_rule("team.per-our-policy")


def test_rules_are_stored_in_the_database_for_every_instance(kb: KnowledgeBase) -> None:
    kb.save_team_rule(_rule())
    other = KnowledgeBase.open(kb.home)
    try:
        assert [r.rule_id for r in other.team_rules()] == ["team.per-our-policy"]
        assert len(_team_findings(other)) == 1
    finally:
        other.close()


def test_updating_a_rule_keeps_its_id_and_changes_the_finding(kb: KnowledgeBase) -> None:
    rule = _rule()
    kb.save_team_rule(rule)
    rule.message = "Say what you can do instead."
    rule.phrases.append("company policy says")
    kb.save_team_rule(rule)
    assert [r.rule_id for r in kb.team_rules()] == ["team.per-our-policy"]
    found = _team_findings(kb, "Per our policy, no. Company policy says no.")
    assert [f.match for f in found] == ["Per our policy", "Company policy says"]
    assert found[0].message == "Say what you can do instead."


def test_generated_ids_are_unique_and_defaults_fill_in(kb: KnowledgeBase) -> None:
    first, second = _rule(message="", article=None, severity="warning"), _rule()
    kb.save_team_rule(first)
    kb.save_team_rule(second)
    assert (first.rule_id, second.rule_id) == ("team.per-our-policy", "team.per-our-policy-2")
    finding = next(f for f in _team_findings(kb) if f.rule == first.rule_id)
    assert "team's list of phrases to avoid" in finding.message
    assert finding.article == "saying-no-so-it-sounds-like-yes"  # the category's article


def test_disabled_rule_is_kept_but_does_not_fire(kb: KnowledgeBase) -> None:
    kb.save_team_rule(_rule(enabled=False))
    assert kb.team_rules()[0].enabled is False
    assert _team_findings(kb) == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"phrases": []}, "at least one phrase"),
        ({"phrases": ["  "]}, "at least one phrase"),
        ({"phrases": ["!!!"]}, "no words"),
        ({"category": "rudeness"}, "category 'rudeness'"),
        ({"severity": "fatal"}, "severity 'fatal'"),
        ({"rule_id": "dismissive.calm-down"}, "must start with 'team.'"),
        ({"rule_id": "team.Bad Id"}, "must start with 'team.'"),
        ({"article": "Not A Slug"}, "not an article slug"),
        ({"article": "no-such-article"}, "does not exist"),
    ],
)
def test_invalid_rules_are_refused_with_a_clear_message(kb: KnowledgeBase, change: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        kb.save_team_rule(_rule(**change))
    assert kb.team_rules() == []


def test_yaml_round_trip_and_linter_shape() -> None:
    rule = _rule(rule_id="team.per-our-policy")
    again = team_rules.from_yaml(team_rules.to_yaml(rule), source="x.yaml")
    assert again.to_data() == rule.to_data()
    data = team_rules.to_lint_data(rule)
    assert data["extends"] == "existence" and data["level"] == "error" and data["id"] == rule.rule_id
    with pytest.raises(InvalidInput, match="unknown key 'colour'"):
        TeamRule.from_data({**rule.to_data(), "colour": "red"}, source="x.yaml")


def test_a_rule_saved_by_another_process_applies_without_a_restart(tmp_path) -> None:
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from kb import KnowledgeBase

    home = tmp_path / "shared-home"
    with KnowledgeBase.open(home, seed=False) as app_kb:
        assert app_kb.lint("Please use the gizmotron.") == []
        script = textwrap.dedent(f"""
            from kb import KnowledgeBase
            from kb.team_rules import TeamRule
            with KnowledgeBase.open({str(home)!r}, seed=False) as kb:
                kb.save_team_rule(TeamRule(phrases=["gizmotron"], category="distancing",
                                           message="Say 'the new tool'.", suggestions=["the new tool"]))
        """)
        subprocess.run([sys.executable, "-c", script], check=True, timeout=60,
                       cwd=Path(__file__).resolve().parent.parent)
        assert [f.match for f in app_kb.lint("Please use the gizmotron.")] == ["gizmotron"]
