"""The learned second opinion (opt-in: resources/learned-rules): it adds findings where
the rules are silent, never replaces or repeats them, and the checker works without it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from kb import resources
from kb.lint import Linter, learned
from kb.lint.rules import load_dir
from kb.lint.text import analyse

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUCK_PASSING = "Billing decides that sort of thing, I just answer the chat."
OPT_IN = resources.path("learned-rules")
LINTER = Linter.load(team_rule_dirs=[OPT_IN])
lint = LINTER.lint


def test_the_bundled_rules_leave_the_model_off() -> None:
    bundled = Linter.load()
    assert not bundled.uses_learned_model() and LINTER.uses_learned_model()
    assert not [f for f in bundled.lint(BUCK_PASSING) if f.rule.endswith(".learned")]


@pytest.mark.parametrize("rule", load_dir(OPT_IN, "learned-rules")[0], ids=lambda r: r.id)
def test_opt_in_rule_examples(rule) -> None:
    assert rule.kind == "learned" and rule.why and rule.suggestions and rule.examples_bad and rule.examples_good
    for text in rule.examples_bad:
        assert rule.id in {f.rule for f in lint(text)}, f"{rule.id} should flag: {text}"
    for text in rule.examples_good:
        assert lint(text) == [], f"nothing should flag: {text}"


def test_ignoring_a_rule_does_not_let_the_model_say_it_instead() -> None:
    text = "Obviously you need to log in."
    assert [f.rule for f in lint(text, ignore=["dismissive.obviously"])] == []


def _dev_texts() -> list[str]:
    texts = []
    for name in ("phrasing_dev.jsonl", "phrasing_dev_round4.jsonl"):
        texts += [json.loads(line)["text"] for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line]
    return texts


def test_the_bundled_model_was_trained_on_the_current_data() -> None:
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import train_phrasing_model as training
    finally:
        sys.path.remove(str(REPO / "tools"))
    assert learned.load().trained_on == training.fingerprint(training.examples()), (
        "the labelled sets, rule examples or playbook changed: retrain with "
        "pip install -e '.[train]' && python tools/train_phrasing_model.py"
    )


def test_wording_no_rule_names_gets_a_suggestion_that_says_what_to_do() -> None:
    found = [f for f in lint(BUCK_PASSING) if f.category == "distancing"]
    assert [f.rule for f in found] == ["distancing.learned"]
    finding = found[0]
    assert finding.severity == "suggestion" and finding.article == "owning-without-taking-it-personally"
    assert (finding.start, finding.end) == (0, len(BUCK_PASSING)) and finding.suggestions


def test_the_model_never_repeats_or_displaces_a_rule() -> None:
    for text in _dev_texts():
        findings = lint(text)
        rules = [f for f in findings if not f.rule.endswith(".learned")]
        opinions = [f for f in findings if f.rule.endswith(".learned")]
        spans = [(f.start, f.end) for f in opinions]
        assert len(spans) == len(set(spans)), f"two learned findings on one sentence: {text}"
        for opinion in opinions:
            assert not any(
                f.category == opinion.category and f.start < opinion.end and opinion.start < f.end for f in rules
            ), f"{opinion.rule} repeats a rule's finding: {text}"


def test_an_offer_in_the_next_sentence_keeps_a_refusal_quiet() -> None:
    assert lint("We can't refund opened items. What I can do is send you a replacement today.") == []


def test_quoted_customer_words_are_not_read_as_the_reps() -> None:
    text = f'You wrote "{BUCK_PASSING}" and I am sorry that happened; I have fixed the bill.'
    assert not [f for f in lint(text) if f.rule.endswith(".learned")]


def test_a_team_can_switch_the_model_off_for_a_category() -> None:
    off = {"id": "distancing.learned", "extends": "learned", "category": "distancing", "level": "suggestion",
           "message": "m", "enabled": False}
    linter = Linter.load(team_rule_dirs=[OPT_IN], extra_rules=[("team-rules", off)])
    assert "distancing.learned" not in {f.rule for f in linter.lint(BUCK_PASSING)}


def test_a_missing_or_damaged_model_leaves_the_rules_running(monkeypatch, tmp_path) -> None:
    broken = tmp_path / "phrasing.npz"
    broken.write_bytes(b"not a model at all")
    with pytest.raises((ValueError, OSError, KeyError)):
        learned.Model.read(broken)

    def unreadable(path=None):
        raise ValueError("damaged")

    monkeypatch.setattr(learned, "load", unreadable)
    monkeypatch.setattr(learned, "_available", {})
    linter = Linter.load(team_rule_dirs=[OPT_IN])
    rules = {f.rule for f in linter.lint("You should have kept the receipt. " + BUCK_PASSING)}
    assert "blame.should-have" in rules
    assert not {r for r in rules if r.endswith(".learned")}


def test_the_model_file_round_trips(tmp_path) -> None:
    model = learned.load()
    copy = tmp_path / "copy.npz"
    model.write(copy)
    again = learned.Model.read(copy)
    texts = [BUCK_PASSING, "Thanks, your refund is on its way."]
    assert np.allclose(again.probabilities(texts), model.probabilities(texts), atol=1e-3)
    assert again.trained_on == model.trained_on


def test_features_ignore_apostrophe_style_and_spacing() -> None:
    assert learned.ngrams("Don\u2019t  worry") == learned.ngrams("don't worry")


def test_a_greeting_and_sign_off_do_not_hide_the_opinion() -> None:
    reply = f"Hi Dana,\n\n{BUCK_PASSING}\n\nKind regards,\nSam"
    assert "distancing.learned" in {f.rule for f in lint(reply)}


def test_sentence_scores_match_reading_each_sentence_with_its_neighbours() -> None:
    """The neighbour windows are counted from each sentence's own n-grams; the result is the
    same as reading the joined text, paragraph breaks respected."""
    model = learned.load()
    reply = (
        "Hi Dana,\n\nWe can't refund opened items. I can send a replacement today. "
        "That one is up to the courier.\n\nThey won't let me change it. Kind regards, Sam"
    )
    doc = analyse(reply)
    spans = learned.sentence_texts(doc)
    texts = [t for _, _, t in spans]
    windows = []
    for i, text in enumerate(texts):
        parts = [text]
        if i > 0 and learned._same_paragraph(doc.text, spans[i - 1][1], spans[i][0]):
            parts.insert(0, texts[i - 1])
        if i + 1 < len(texts) and learned._same_paragraph(doc.text, spans[i][1], spans[i + 1][0]):
            parts.append(texts[i + 1])
        windows.append(" ".join(parts))
    expected = np.minimum(model.probabilities(texts), model.probabilities(windows))
    got = np.array([p for _, _, p in learned.scores(doc, model)])
    assert np.allclose(got, expected, atol=1e-5)


def test_an_offer_in_the_same_sentence_clears_a_learned_hard_no(tmp_path) -> None:
    flat = "As per our policy we can't refund it."
    with_offer = "As per our policy we can't refund it, but I can offer store credit."
    rule = (OPT_IN / "hard-no.learned.yaml").read_text(encoding="utf-8")
    without_unless = rule.split("unless:")[0] + "examples:" + rule.split("examples:")[1]
    (tmp_path / "hard-no.learned.yaml").write_text(without_unless, encoding="utf-8")
    bare = Linter.load(team_rule_dirs=[tmp_path])
    assert "hard-no.learned" in {f.rule for f in bare.lint(with_offer)}, "the model alone misreads the offer"
    assert "hard-no.learned" not in {f.rule for f in lint(with_offer)}
    assert {f.category for f in lint(flat)} & {"hard-no"}


def test_a_learned_rule_s_exceptions_clear_a_sentence(tmp_path) -> None:
    rule = (OPT_IN / "distancing.learned.yaml").read_text(encoding="utf-8")
    (tmp_path / "distancing.learned.yaml").write_text(
        rule.split("exceptions:")[0] + 'exceptions: ["i just answer"]\nexamples:' + rule.split("examples:")[1].split("good:")[0],
        encoding="utf-8",
    )
    cleared = Linter.load(team_rule_dirs=[tmp_path])
    assert "distancing.learned" in {f.rule for f in lint(BUCK_PASSING)}
    assert "distancing.learned" not in {f.rule for f in cleared.lint(BUCK_PASSING)}
