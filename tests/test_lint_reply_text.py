"""Text preparation that knows replies: signatures, links, handles and entities are not prose."""

from __future__ import annotations

import pytest

from kb.lint import lint
from kb.lint.text import analyse


def words(text: str) -> list[str]:
    doc = analyse(text)
    return [text[t.start : t.end] for t in doc.tokens if t.kind == "word"]


def rules(text: str) -> list[str]:
    return [f.rule for f in lint(text)]


@pytest.mark.parametrize("signoff", ["^AS", "/SO", "*SR", "-JD", "- AM", "~IT", "\nSO", "^AS.", "^AS https://t.co/x1"])
def test_sign_off_initials_are_a_signature_not_shouting(signoff: str) -> None:
    assert "shouting.capitals" not in rules(f"Your replacement is on its way and should arrive on Friday. {signoff}")


@pytest.mark.parametrize("text", ["Please do NOT reply to this. SO", "I will NOT help. NO more", "SO sorry about this ^AS"])
def test_capitals_elsewhere_still_shout(text: str) -> None:
    assert "shouting.capitals" in rules(text)


def test_html_entities_are_not_words_or_capitals() -> None:
    text = "Tom &amp; Jerry checked it &gt; the refund went out &#8211; today &NBSP; as promised."
    assert words(text) == ["Tom", "Jerry", "checked", "it", "the", "refund", "went", "out", "today", "as", "promised"]
    assert rules(text) == []


def test_handles_and_bare_links_are_not_words() -> None:
    text = "Thanks @ACMEHELP! Track it at bit.ly/3xYzAb, t.co/abc123 or example.com/help today."
    assert words(text) == ["Thanks", "Track", "it", "at", "or", "today"]
    assert "shouting.capitals" not in rules(text)


def test_offsets_stay_exact_after_masked_material() -> None:
    text = "Hi @Jane &amp; team, see bit.ly/x1 \u2014 sorry for any inconvenience. ^AS"
    found = [f for f in lint(text) if f.category == "generic-apology"]
    assert found and text[found[0].start : found[0].end].lower().endswith("any inconvenience")


def test_a_long_pasted_link_does_not_make_a_sentence_hard_to_read() -> None:
    url = "https://support.example.com/hc/en-us/articles/360012345678-How-to-reset-your-password-on-the-mobile-application"
    text = f"Please follow the steps in this guide {url} and let me know how you get on with it today."
    assert [f for f in lint(text) if f.category == "readability"] == []


def test_one_category_when_two_rules_hit_the_same_words() -> None:
    found = lint("You clearly didn't read the product description.")
    assert [f.category for f in found] == ["blame"]


def test_different_slips_that_share_a_few_words_both_stay() -> None:
    categories = {f.category for f in lint("It's not our fault you weren't in.")}
    assert categories == {"distancing", "blame"}


def test_the_same_slip_is_never_listed_twice() -> None:
    for text in ("Unfortunately that is not possible, it is against our policy and there is nothing I can do.",
                 "Sorry for any inconvenience caused, we apologise for any inconvenience.",
                 "I will NOT be able to help, company policy."):
        found = [f for f in lint(text) if f.category not in ("shouting", "readability")]
        spans = sorted((f.start, f.end, f.category) for f in found)
        for (s1, e1, c1), (s2, e2, c2) in zip(spans, spans[1:]):
            assert not (s2 < e1 and c1 == c2), (text, found)
            assert not (s1 <= s2 and e2 <= e1), (text, found)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Honestly, that one is on you.", "blame"),
        ("The mistake was entirely with you, not the courier.", "blame"),
        ("You were fully responsible for checking the address.", "blame"),
        ("The dispatch lads forgot to add your cable.", "distancing"),
        ("Those billing people got your invoice wrong again.", "distancing"),
        ("So sorry they treated you like that.", "distancing"),
        ("We apologise for any frustration you might have felt.", "non-apology"),
        ("Sorry about the misunderstanding on your part.", "non-apology"),
        ("We'll get this sorted for you whatever it takes.", "over-promise"),
        ("Come what may, I will have it there by Monday.", "over-promise"),
    ],
)
def test_new_shapes_name_the_category_a_person_would(text: str, category: str) -> None:
    assert category in {f.category for f in lint(text)}, lint(text)


@pytest.mark.parametrize(
    "text",
    [
        "The delivery people will call ahead of time.",
        "Our support people are here all weekend.",
        "You are responsible for nothing here; we will sort it out.",
        "No matter what you decide, your order stays on hold until Friday.",
        "It's on your account page now.",
        "Sorry, they will ship together in one box.",
    ],
)
def test_look_alikes_stay_quiet(text: str) -> None:
    assert [f.category for f in lint(text) if f.category not in ("readability",)] == []
