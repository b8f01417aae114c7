"""The phrasing checker understands context: each exception the issue names, as its own test."""

from __future__ import annotations

import pytest

from kb.lint import lint


def categories(text: str) -> set[str]:
    return {f.category for f in lint(text)}


def rules(text: str) -> set[str]:
    return {f.rule for f in lint(text)}


# -- tokens: word boundaries, case, apostrophes, contractions, inflections -------------


@pytest.mark.parametrize(
    "text",
    [
        "We won't refund it.",
        "We won’t refund it.",  # curly apostrophe
        "We wont refund it.",  # no apostrophe
        "We will not refund it.",
        "WE WILL NOT REFUND IT.",
        "We cannot refund it.",
        "We can't refund it.",
    ],
)
def test_contractions_and_case_are_one_pattern(text: str) -> None:
    assert "hard-no" in categories(text)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("You've clearly misunderstood how it works.", "blame"),
        ("We unfortunately can't refund it.", "hard-no"),
        ("We really do apologise for any inconvenience.", "generic-apology"),
        ("I'm honestly just the messenger.", "distancing"),
    ],
)
def test_filler_adverbs_do_not_hide_a_phrase(text: str, category: str) -> None:
    assert category in categories(text)


def test_rules_about_the_adverb_itself_still_see_it() -> None:
    assert "dismissive" in categories("Obviously you need to log in first.")
    assert "over-promise" in categories("It will definitely arrive tomorrow.")


def test_word_boundaries_not_substrings() -> None:
    assert lint("The cancellation fee was waived.") == []
    assert "dismissive" not in categories("The nobviously-named setting is on.")


@pytest.mark.parametrize("text", ["We apologise for any inconvenience.", "We apologized for any inconvenience.",
                                  "Apologising for any inconvenience caused."])
def test_inflections(text: str) -> None:
    assert "generic-apology" in categories(text)


# -- "you should have" + past participle is blame; "you should have an email" is not ---


def test_should_have_past_participle_is_blame() -> None:
    assert "blame" in categories("You should have kept the receipt.")


def test_should_have_a_noun_is_not_blame() -> None:
    assert lint("You should have an email from us with the subject 'Your order'.") == []


def test_should_have_received_is_not_blame() -> None:
    assert lint("You should have received an email.") == []
    assert lint("You should've received a refund by now.") == []


# -- "they" for the rep's organisation is distancing; parcels are not -----------------


def test_they_for_the_company_is_distancing() -> None:
    assert "distancing" in categories("I'm sorry, they won't let me cancel it.")


@pytest.mark.parametrize(
    "text",
    [
        "They will ship together.",
        "The boxes are packed, and they will leave the warehouse tonight.",
        "Your sons can share the account; they each get their own profile.",
    ],
)
def test_they_for_parcels_or_people_outside_the_company_is_fine(text: str) -> None:
    assert lint(text) == []


# -- "guarantee" the noun is fine -------------------------------------------------------


def test_guarantee_the_verb_is_an_over_promise() -> None:
    assert "over-promise" in categories("I guarantee you'll have it by Friday.")


@pytest.mark.parametrize(
    "text", ["The heater has a three-year guarantee.", "A two-year guarantee is included.", "Your guarantee covers the motor."]
)
def test_guarantee_the_noun_is_fine(text: str) -> None:
    assert lint(text) == []


# -- a refusal is a hard no only when no alternative follows ---------------------------


def test_refusal_without_alternative_is_a_hard_no() -> None:
    assert "hard-no" in categories("We can't refund opened items.")


@pytest.mark.parametrize(
    "text",
    [
        "We can't refund opened items, but I can send a replacement.",
        "We can't refund opened items. Instead, I've arranged a free repair.",
        "We can't refund opened items. What I can do is send a replacement today.",
        "We can't exchange worn shoes, but I can offer you 15% off your next pair.",
    ],
)
def test_refusal_with_alternative_in_the_same_or_next_sentence_is_fine(text: str) -> None:
    assert "hard-no" not in categories(text)


def test_alternative_two_sentences_later_does_not_count() -> None:
    text = "We can't refund opened items. The policy is on our website. I can send a replacement."
    assert "hard-no" in categories(text)


def test_a_refusal_does_not_count_its_own_words_as_an_offer() -> None:
    assert "hard-no" in categories("Unfortunately that's not something we can do.")


# -- quoted material is skipped ---------------------------------------------------------


def test_customer_quoted_in_double_quotes_is_skipped() -> None:
    assert lint('You wrote "you should have told me", and you were right.') == []


def test_curly_and_single_quotes_are_skipped() -> None:
    assert lint("You said “calm down” was rude, and I agree.") == []
    assert lint("You said 'calm down' was rude, and I agree.") == []


def test_quoted_email_lines_are_skipped() -> None:
    text = "> Obviously you people don't care!!!\n> Calm down? I AM CALM.\nI'm sorry it has felt that way."
    assert lint(text) == []


def test_apostrophes_are_not_quotes() -> None:
    assert "blame" in categories("The customer's box is fine; you should've kept the receipt.")


# -- placeholders, shouting, readability -------------------------------------------------


@pytest.mark.parametrize(
    "placeholder", ["{name}", "{{order_id}}", "[NAME]", "<order number>", "{{ case_id }}", "XX/XX/XXXX", "£XX.XX", "___"]
)
def test_all_placeholder_shapes(placeholder: str) -> None:
    """The four shapes DESIGN.md names, plus XX-style and ___ blanks that templates use."""
    findings = lint(f"Hello {placeholder}, your refund is on its way.")
    assert [f.match for f in findings if f.category == "unfilled-placeholder"] == [placeholder]


@pytest.mark.parametrize(
    "text", ["See the [returns guide](guide.md).", "Tick [x] to agree.", "The word <b>free</b> is bold.", "x < y and z > w"]
)
def test_links_and_tags_are_not_placeholders(text: str) -> None:
    assert "unfilled-placeholder" not in categories(text)


def test_placeholder_inside_quotes_is_still_found() -> None:
    assert "unfilled-placeholder" in categories('The subject line said "Order {order_id}".')


@pytest.mark.parametrize("text", ["Your PIN and the PDF invoice are attached.", "Use a USB-C cable; see the FAQ.",
                                  "Your RMA is 5512 and the IMEI is on the box.", "I checked your order."])
def test_acronyms_are_not_shouting(text: str) -> None:
    assert lint(text) == []


def test_capitals_and_exclamation_marks_are_shouting() -> None:
    assert [f.match for f in lint("THIS IS THE THIRD TIME.")] == ["THIS IS THE THIRD TIME"]
    assert [f.match for f in lint("Please do NOT open it.")] == ["NOT"]
    assert [f.match for f in lint("Thanks so much!!!")] == ["!!!"]
    assert lint("Thanks for bearing with me! The new code is 7781.") == []


def test_placeholder_in_capitals_is_not_also_shouting() -> None:
    assert categories("Order [ORDER NUMBER] will arrive on Monday.") == {"unfilled-placeholder"}


def test_long_or_hard_sentences_are_flagged_and_plain_ones_are_not() -> None:
    long = " ".join(["We checked the order and the parcel and the label"] * 4) + "."
    assert {f.rule for f in lint(long)} == {"readability.long-sentence"}
    hard = ("Subsequent investigation determined that the unauthorised modification of the device "
            "necessitated comprehensive recalibration by our engineers.")
    assert {f.rule for f in lint(hard)} == {"readability.hard-sentence"}
    plain = "I've checked your account, refunded the extra payment, and sent you a summary by email."
    assert lint(plain) == []


def test_one_rule_never_reports_overlapping_findings() -> None:
    findings = lint("Sorry for any inconvenience, any inconvenience at all, sorry for any trouble.")
    by_rule: dict[str, list] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    for items in by_rule.values():
        for a, b in zip(items, items[1:]):
            assert a.end <= b.start
