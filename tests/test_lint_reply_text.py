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


def categories(text: str) -> list[str]:
    return [f.category for f in lint(text) if f.category not in ("shouting", "readability")]


@pytest.mark.parametrize(
    "text",
    [
        "we will NOT be able to help with that",
        "Sorry, I am NOT able to assist with this.",
        "We CAN'T help you any further on this one.",
        "I'm UNABLE to do anything about it.",
        "I can NOT refund an order that has been worn.",
        "We will NEVER accept returns on opened software.",
    ],
)
def test_a_refusal_in_capitals_is_a_hard_no_not_distancing(text: str) -> None:
    found = lint(text)
    assert [f.category for f in found if f.category != "shouting"] == ["hard-no"], found
    assert "shouting" in {f.category for f in found}


def test_the_same_refusal_in_lower_case_is_still_distancing() -> None:
    assert categories("We will not be able to help with this.") == ["distancing"]


def test_a_capitals_refusal_with_an_offer_after_it_is_only_shouting() -> None:
    found = lint("We will NOT be able to help with the refund, but I can ask the bank to trace it.")
    assert [f.category for f in found] == ["shouting"]


@pytest.mark.parametrize(
    "text",
    [
        "I can move you to the annual plan at renewal. It is not possible to downgrade mid-term.",
        "What I can do is pause the account for a month. Cancelling early isn't possible on this plan.",
        "It is not possible to downgrade mid-term. I can move you to the annual plan at renewal instead.",
    ],
)
def test_not_possible_next_to_an_offer_is_not_a_hard_no(text: str) -> None:
    assert categories(text) == []


def test_not_possible_with_nothing_offered_nearby_is_a_hard_no() -> None:
    assert categories("Thanks for waiting. It is not possible to downgrade mid-term.") == ["hard-no"]
    # "I can see" and "I can confirm" describe, they do not offer anything.
    assert categories("I can see your plan. It is not possible to downgrade mid-term.") == ["hard-no"]


@pytest.mark.parametrize(
    "text",
    [
        "I can't refund this, it's company policy, and there's nothing I can do.",
        "Unfortunately I cannot refund this. That is company policy. There is nothing I can do.",
        "We won't replace it due to company policy, and there's nothing more we can do.",
    ],
)
def test_refusal_policy_and_nothing_i_can_do_are_all_read(text: str) -> None:
    found = [f for f in lint(text) if f.category not in ("shouting", "readability")]
    assert {f.category for f in found} == {"hard-no", "distancing"}, found
    assert [f.category for f in found].count("distancing") == 1
    assert any(f.rule == "hard-no.quoting-policy" for f in found), found
    spans = sorted((f.start, f.end) for f in found)
    for (_, e1), (s2, _) in zip(spans, spans[1:]):
        assert s2 >= e1, found  # never the same words twice


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("you should of charged it first, thats why it died", "blame"),
        ("You didn't choose tracked postage, so it was never going to be traceable.", "blame"),
        ("Next time please double check the dates before booking.", "blame"),
        ("The lid cracked in the oven, which the label tells you not to do.", "blame"),
        ("Head office won't let me refund the postage.", "distancing"),
        ("Not sure what the warehouse were thinking, someone there packed the wrong one.", "distancing"),
        ("That's one for the tech team, I only see the orders.", "distancing"),
        ("The delay is down to the courier, not us.", "distancing"),
        ("That's nothing to do with us, your bank blocked it.", "distancing"),
        ("We only go by the postmark, not the date you say you sent it.", "hard-no"),
        ("As I've said several times, the voucher has expired.", "dismissive"),
        ("100%, it'll be with you tomorrow.", "over-promise"),
        ("Either way, you'll have the refund on Friday.", "over-promise"),
        ("The new part is definitely going to fix it.", "over-promise"),
        ("Your connection will be totally problem-free going forward.", "over-promise"),
        ("We can't change the name once the ticket is issued.", "hard-no"),
        ("Your code gives you [X]% off.", "unfilled-placeholder"),
        ("Hi %FIRST_NAME%, your order is on its way.", "unfilled-placeholder"),
        ("We're sorry if the delay caused you any upset.", "non-apology"),
    ],
)
def test_more_shapes_name_one_category(text: str, category: str) -> None:
    assert set(categories(text)) == {category}, lint(text)


@pytest.mark.parametrize(
    "text",
    [
        "My manager always listens to me, so I'll put your case to her today.",
        "The terms you signed up to actually work in your favour: the refund is yours.",
        "I can promise you one thing: I'll ring you by 4pm with an update.",
        "No doubt you'll have more questions, so here is my direct line.",
        "No matter what size you choose, delivery is free.",
        "The leaflet says not to use it outdoors, so a shed or garage is best.",
        "We go by the delivery date, so you still have ten days to send it back.",
        "That's one for our billing team, so I've passed it on and they'll email you today.",
        "Our warehouse sent the wrong colour, so this one is on us.",
        "You get 20% off today and 10% off your next order.",
        "Open %localappdata%\\Microsoft\\Teams and delete the cache folder.",
        "Tick [x] if you'd like the newsletter.",
    ],
)
def test_more_look_alikes_stay_quiet(text: str) -> None:
    assert categories(text) == [] and "unfilled-placeholder" not in {f.category for f in lint(text)}, lint(text)


@pytest.mark.parametrize("text, field", [
    ("Dear $customer_name, your renewal is due on $renewal_date.", "$customer_name"),
    ("Hi ${first_name}, your order has shipped.", "${first_name}"),
    ("Your room at INSERT_HOTEL_NAME is confirmed.", "INSERT_HOTEL_NAME"),
    ("Your reference is CASE_NUMBER.", "CASE_NUMBER"),
])
def test_dollar_and_capitals_template_fields_are_unfilled_placeholders(text: str, field: str) -> None:
    found = [f for f in lint(text) if f.category == "unfilled-placeholder"]
    assert found and found[0].match in field  # "${first_name}" may be read as its "{first_name}"
    assert text[found[0].start : found[0].end] == found[0].match


@pytest.mark.parametrize("text", [
    "Your deposit of $50 is refundable until Friday.",
    "The page says ERR_CONNECTION_TIMED_OUT, so restart the router.",
])
def test_amounts_and_error_codes_are_not_template_fields(text: str) -> None:
    assert "unfilled-placeholder.template-field" not in rules(text)


@pytest.mark.parametrize("text", ["Simply reply YES to confirm your appointment.", "Text STOP to 60060 to opt out."])
def test_a_keyword_to_send_back_is_not_shouting(text: str) -> None:
    assert "shouting.capitals" not in rules(text)


def test_a_shouted_phrase_around_the_keyword_still_shouts() -> None:
    assert "shouting.capitals" in rules("REPLY YES NOW or lose your slot.")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Hey (customer name), just checking in on your ticket.", "(customer name)"),
        ("Thanks for calling, (Agent Name)", "(Agent Name)"),
        ("Your booking (insert date) is confirmed.", "(insert date)"),
        ("Please quote <account no.> when you ring.", "<account no.>"),
    ],
)
def test_fields_in_round_brackets_and_abbreviated_fields_are_unfilled(text: str, field: str) -> None:
    found = [f for f in lint(text) if f.rule == "unfilled-placeholder.template-field"]
    assert [text[f.start : f.end] for f in found] == [field]


@pytest.mark.parametrize(
    "text",
    [
        "You asked about the Liquid snippet: it should read {{ order.name }} exactly, braces and all.",
        "In the macro editor the merge field {first_name} fills itself in.",
        "Leave the section headed [Office Use Only] blank, as we fill that part in.",
        "Your refund of £20 (the full amount) is on its way.",
        "The courier (DPD) will text you a time slot.",
    ],
)
def test_template_syntax_shown_on_purpose_and_labels_are_not_unfilled(text: str) -> None:
    assert "unfilled-placeholder.template-field" not in rules(text)


def test_a_field_beside_an_everyday_code_word_is_still_unfilled() -> None:
    assert "unfilled-placeholder.template-field" in rules("Your voucher code is {{voucher_code}}.")


def test_a_sentence_of_internal_abbreviations_gets_a_plain_words_suggestion() -> None:
    text = "Your query is with tier 2 for RCA, and once the INC is closed the SLA clock restarts on the P2 matrix."
    found = [f for f in lint(text) if f.rule == "readability.abbreviations"]
    assert len(found) == 1 and "RCA, INC, SLA, P2" in found[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Your PIN, your IBAN and the PDF of your statement are all in the app.",
        "Your flight from DUB to LHR leaves at 7 AM, and the NHS letter is attached.",
        "We opened a root cause analysis (RCA), a service review (SLA) and an incident (INC) for this.",
        "PLEASE DO NOT CALL US AGAIN.",
    ],
)
def test_familiar_explained_or_shouted_capitals_are_not_jargon(text: str) -> None:
    assert "readability.abbreviations" not in rules(text)


def test_an_acronym_that_looks_like_a_plural_is_not_shouting() -> None:
    text = "You'll hear from PAS about the booking, and the PTL shows you near the top."
    assert "shouting.capitals" not in rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "Simply reply YES to confirm your appointment or NO to cancel it.",
        "To save the change, tap SAVE at the top of the screen.",
        "The charge shows on your statement as SHOPCO*MEMBERSHIP, which is us.",
    ],
)
def test_keywords_buttons_and_card_descriptors_are_not_shouting(text: str) -> None:
    assert "shouting.capitals" not in rules(text)


def test_shouting_after_a_keyword_still_shouts() -> None:
    assert "shouting.capitals" in rules("Reply YES and STOP SENDING THESE, we know.")
    assert "shouting.capitals" in rules("The answer is NO and it will stay NO.")


@pytest.mark.parametrize(
    "text",
    [
        "In the invitation you asked about, the {name} tag is swapped for each guest's name when it is sent.",
        "In your e-mail templates, type {{first_name}} wherever you want the customer's name.",
        'Please ignore the "[object Object]" text in yesterday\'s email; the corrected invoice is attached.',
    ],
)
def test_a_field_the_customer_asked_about_or_a_known_glitch_is_not_unfilled(text: str) -> None:
    assert "unfilled-placeholder.template-field" not in rules(text)


def test_a_field_next_to_a_word_like_tag_is_still_unfilled() -> None:
    assert "unfilled-placeholder.template-field" in rules("Hi {first_name}, your luggage tag is attached.")


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately the vaccination reminder went to the old email address on file, which was never updated.",
        "Ignoring the reminder letters has unfortunately meant the overpayment is now being taken from your payment.",
        "The duplicate webhooks came from the API key being rotated without revoking the old endpoints.",
        "Unfortunately, the information you need isn't available until the department has reviewed it.",
    ],
)
def test_plain_adult_words_and_abbreviations_do_not_make_a_sentence_hard(text: str) -> None:
    assert "readability.hard-sentence" not in rules(text)


def test_a_short_sentence_made_of_formal_words_is_hard() -> None:
    text = "Remittance reconciliation discrepancies necessitate manual adjudication prior to disbursement."
    assert "readability.hard-sentence" in rules(text)
    assert "readability.hard-sentence" not in rules("Please contact the customer relations department immediately.")


def test_the_hard_words_named_are_the_formal_ones() -> None:
    text = ("Subsequent investigation determined that the unauthorised modification of the device "
            "necessitated comprehensive recalibration by our engineers.")
    found = [f for f in lint(text) if f.rule == "readability.hard-sentence"]
    assert len(found) == 1 and "subsequent, unauthorised, modification" in found[0].message


def test_the_common_word_list_ships_with_its_licence_and_leaves_formal_words_out() -> None:
    from kb import resources
    from kb.lint import readability

    text = resources.read_text("lexicon", "common-words.txt")
    assert "CC-BY-SA 4.0" in text.split("\n\n")[0]
    assert all(readability.is_common_word(w) for w in ("unfortunately", "information", "available", "immediately"))
    assert not any(readability.is_common_word(w) for w in ("remittance", "necessitate", "commencement", "disbursement"))
