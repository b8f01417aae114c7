"""Property-based tests: arbitrary text never breaks the checker, and offsets are always right."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.lint import lint

PHRASES = [
    "Sorry for any inconvenience", "you should have kept the receipt", "they won't let me", "calm down",
    "We can't refund it", "but I can send a replacement", "I guarantee it", "a two-year guarantee",
    "THIS IS URGENT", "!!!", "?!", "{first_name}", "{{ order_id }}", "[NAME]", "<order number>",
    "As I told you", "obviously", "rules are rules", "I'm sorry if you feel", "Head office messed up",
    "It will never break again", "the PDF and PIN", "won’t", "can't", "cannot", "you'd", "it's",
    "<!-- tactful-ignore -->", "<!-- tactful-disable -->", "<!-- tactful-enable -->", "> quoted line",
    "```code```", "`x`", "https://example.com/A/B", "sam@example.com", "e.g.", "Dr. Smith", "£15.99",
    "Notwithstanding the aforementioned considerations pertaining to reimbursement", "no problem",
]
SEPARATORS = [" ", "  ", "\n", "\r\n", "\n\n", ". ", ", ", "; ", " — ", "\t", '"', "'", "“", "”", "‘", "’",
              "👍🏽", "e\u0301", "שלום", "\u200b", "\ufeff", "(", ")", "[", "]", "{", "}", "<", ">", "*", "#", "-"]

fragments = st.lists(st.one_of(st.sampled_from(PHRASES), st.sampled_from(SEPARATORS), st.text(max_size=12)), max_size=30)
texts = st.one_of(st.text(max_size=400), fragments.map("".join), fragments.map(lambda parts: "".join(parts).upper()))

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_findings(text: str) -> list:
    findings = lint(text)
    previous = {}
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.match
        assert f.match == f.match.strip(), "a finding starts and ends on the matched words"
        line_start = max(text.rfind("\n", 0, f.start), text.rfind("\r", 0, f.start) if "\r" in text else -1) + 1
        assert f.column >= 1 and f.line >= 1
        if "\r" not in text and "\u2028" not in text and "\u2029" not in text:
            assert f.line == text.count("\n", 0, f.start) + 1
            assert f.column == f.start - line_start + 1
        if f.rule in previous:
            assert previous[f.rule] <= f.start, "one rule's findings never overlap"
        previous[f.rule] = f.end
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    return findings


@SETTINGS
@given(texts)
def test_arbitrary_text_never_raises_and_offsets_are_exact(text: str) -> None:
    check_findings(text)


@SETTINGS
@given(texts)
def test_phrase_findings_sit_on_word_boundaries(text: str) -> None:
    for f in lint(text):
        if f.category in ("shouting", "unfilled-placeholder", "readability"):
            continue
        before = text[f.start - 1] if f.start else " "
        after = text[f.end] if f.end < len(text) else " "
        assert not (before.isalnum() and f.match[0].isalnum()), (before, f.match)
        assert not (after.isalnum() and f.match[-1].isalnum()), (f.match, after)


@SETTINGS
@given(texts, st.integers(min_value=0, max_value=5))
def test_applying_any_suggestion_never_raises(text: str, which: int) -> None:
    findings = lint(text)
    for f in findings:
        for suggestion in f.suggestions:
            fixed = text[: f.start] + suggestion + text[f.end :]
            check_findings(fixed)
    if findings:
        f = findings[which % len(findings)]
        if f.suggestions:
            fixed = text[: f.start] + f.suggestions[0] + text[f.end :]
            assert f.rule not in {g.rule for g in lint(fixed) if g.start == f.start and g.match == f.match}
