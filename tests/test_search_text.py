"""The search engine's text handling: markdown stripping, analysis, query parsing,
synonym files and HTML-safe excerpts (no index needed)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import resources
from kb.search.analysis import add_positions, analyse, stem, terms, text_analyzer
from kb.search.highlight import TermMatcher, excerpts, marked, opening
from kb.search.plaintext import clean_text, markdown_to_text
from kb.search.querytext import MAX_QUERY_CHARS, parse_query
from kb.search.synonyms import (
    SYNONYM_WEIGHT,
    VARIANT_WEIGHT,
    Synonyms,
    is_spelling_variant,
    parse_groups,
)

ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=()), max_size=300)

# -- markdown to plain text -----------------------------------------------------------------


MARKDOWN = """\
# Refunds **fast** #

Intro with **bold**, *em*, _under_, ~~gone~~, `code` and snake_case_name.
See [the policy](https://example.com/a_(b) "Policy") and ![a chart](img/chart.png).
Visit https://example.com/x?y=1 or <https://example.org>.

Setext heading
==============

> [!NOTE]
> Be **careful** <span class="x">here</span> &amp; there.

```powershell
Get-Mailbox -Identity sam
```

:::image type="content" source="media/a.png" alt-text="Screenshot":::

::: moniker range="office"

| Option | Effect |
|---|:--:|
| Refund | Money back |

- a list item
1. a *numbered* step
!!! note "Heads up"
    Admonition body.
<!-- a hidden comment -->
<script>alert("x")</script>
Escaped \\*stars\\* stay.
[ref]: https://example.com/ref
"""


def test_markdown_markup_is_stripped() -> None:
    doc = markdown_to_text(MARKDOWN)
    text = doc.text
    for gone in ("**", "https://", "example.com", "chart.png", "[!NOTE]", "<span", "```",
                 ":::", "|---", "<!--", "hidden comment", "alert", "~~", "`"):
        assert gone not in text, gone
    for kept in ("Refunds fast", "bold, em, under, gone, code and snake_case_name",
                 "See the policy and", "Be careful here & there.", "Get-Mailbox -Identity sam",
                 "Refund · Money back", "a list item", "a numbered step", "Heads up",
                 "Admonition body.", "Escaped *stars* stay."):
        assert kept in text, kept


def test_headings_come_from_atx_and_setext_lines() -> None:
    doc = markdown_to_text(MARKDOWN)
    assert doc.headings == ["Refunds fast", "Setext heading"]
    assert markdown_to_text("Para\n\n---\n\nMore").headings == []  # a rule, not a heading


@given(ANY_TEXT)
@settings(max_examples=150, deadline=None)
def test_markdown_to_text_never_fails_and_drops_control_characters(text: str) -> None:
    doc = markdown_to_text(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]", doc.text)
    doc.text.encode("utf-8")


def test_clean_text_keeps_ordinary_text_and_removes_invisible_characters() -> None:
    assert clean_text("Café — naïve\tok\n") == "Café — naïve\tok\n"
    assert clean_text("a\x00b\u200bc\ud800d\r\ne") == "a bcd\ne"


# -- analysis ---------------------------------------------------------------------------------


def test_stemming_and_apostrophes() -> None:
    assert stem("apologising") == stem("apologise")
    assert stem("refunds") == stem("refund") == stem("refunded")
    assert terms("Don't SHOUT, customer's can't") == ["dont", "shout", "custom", "cant"]
    assert terms("**reset** outlook.exe version 2.7.5") == ["reset", "outlook", "exe", "version", "2.7.5"]
    assert terms("the and of to") == []  # stop words only
    assert terms("say no, they said") == ["say", "no", "they", "said"]  # kept on purpose


@given(ANY_TEXT)
@settings(max_examples=150, deadline=None)
def test_fast_index_path_agrees_with_the_whoosh_analyzer(text: str) -> None:
    positions: dict[str, list[int]] = {}
    weights: dict[str, float] = {}
    add_positions(text, 0, 1.0, positions, weights)
    expected: dict[str, list[int]] = {}
    first = None
    for token in text_analyzer()(text, positions=True):
        # Whoosh's StopFilter leaves the first kept word at its original position and
        # numbers the rest from there; we number from 0. Only relative positions matter.
        first = token.pos if first is None else first
        expected.setdefault(token.text, []).append(token.pos - first)
    assert positions == expected
    assert [w.stem for w in analyse(text) if w.stem] == [t.text for t in text_analyzer()(text)]


# -- query parsing ----------------------------------------------------------------------------


def test_quotes_make_required_phrases_and_the_rest_are_words() -> None:
    parsed = parse_query('"say no" to a customer ')
    assert [[w.text for w in p] for p in parsed.phrases] == [["say", "no"]]
    assert [w.stem for w in parsed.words if w.stem] == ["custom"]
    assert parsed.prefix is None


def test_the_unfinished_last_word_is_a_prefix() -> None:
    assert parse_query("refund outs").prefix.text == "outs"
    assert parse_query("refund outs ").prefix is None
    assert parse_query("refund outs?").prefix is None
    assert parse_query('"open quote stil').prefix.text == "stil"  # an open quote is ignored
    assert parse_query('"closed quote"').prefix is None


@pytest.mark.parametrize(
    "query",
    ['title:refund AND (x', "NOT", "OR", "*", "?", "((", '"', '"""', "-refund", "c++",
     "\x00\x01", "😀🙂", "مرحبا بالعالم", "\u202erefund", "the and of", "!!!", ""],
)
def test_hostile_queries_parse(query: str) -> None:
    parsed = parse_query(query)
    assert isinstance(parsed.is_empty, bool)


def test_long_queries_are_cut() -> None:
    parsed = parse_query("refund " * 5000)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert len([w for w in parsed.words if w.stem]) <= 24


# -- synonyms ---------------------------------------------------------------------------------


def test_synonym_file_format() -> None:
    text = "# comment\nRefund,  money back , reimburse # trailing\n\nsolo\nrant, vent, rant\n"
    assert parse_groups(text) == [["refund", "money back", "reimburse"], ["rant", "vent"]]


@pytest.mark.parametrize(
    ("a", "b"),
    [("apologise", "apologize"), ("grey", "gray"), ("colour", "color"), ("centre", "center"),
     ("cancelled", "canceled"), ("behaviour", "behavior"), ("analyse", "analyze")],
)
def test_spelling_variants_are_recognised(a: str, b: str) -> None:
    assert is_spelling_variant(a, b) and is_spelling_variant(b, a)


@pytest.mark.parametrize(("a", "b"), [("rant", "vent"), ("yell", "shout"), ("refund", "money back")])
def test_synonyms_are_not_spelling_variants(a: str, b: str) -> None:
    assert not is_spelling_variant(a, b)


def test_bundled_synonyms_load_and_match_by_stem() -> None:
    synonyms = Synonyms.load(resources.path("search", "synonyms.txt"), terms)
    assert len(synonyms) > 100

    def alternatives(word: str) -> dict[str, float]:
        return {a.text: a.weight for a in synonyms.alternatives(tuple(terms(word)))}

    assert alternatives("apologizing")["apologise"] == VARIANT_WEIGHT
    assert alternatives("apologise")["apologize"] == VARIANT_WEIGHT
    assert alternatives("gray")["grey"] == VARIANT_WEIGHT
    assert alternatives("refunds")["money back"] == SYNONYM_WEIGHT
    assert alternatives("money back")["refund"] == SYNONYM_WEIGHT
    assert "vent" in alternatives("ranting") and "shout" in alternatives("yelling")
    assert {"decline", "refuse", "turn down"} <= set(alternatives("say no"))
    assert alternatives("customer").get("customise") is None  # no stem collisions


def test_missing_synonym_file_means_no_synonyms(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert len(Synonyms.load(tmp_path / "missing.txt", terms)) == 0


# -- excerpts ---------------------------------------------------------------------------------


def test_excerpts_escape_everything_but_the_marks() -> None:
    text = 'Intro.\nNever run <script>alert("refund")</script> & refunds go out by "Friday".'
    found = excerpts(text, TermMatcher({stem("refund")}))
    assert found == [
        "Never run &lt;script&gt;alert(&quot;<b>refund</b>&quot;)&lt;/script&gt; &amp; "
        "<b>refunds</b> go out by &quot;Friday&quot;."
    ]


def test_excerpts_are_short_and_cut_at_words() -> None:
    text = ("lorem ipsum dolor " * 30) + "the refund arrives " + ("sit amet consectetur " * 30)
    (found,) = excerpts(text, TermMatcher({"refund"}))
    assert found.startswith("…") and found.endswith("…")
    assert "<b>refund</b>" in found and len(found) < 260
    assert " lorem ipsum" not in found[:3]


def test_matches_are_confirmed_by_stem_not_by_prefix() -> None:
    matcher = TermMatcher({stem("no")})
    assert marked("No, nothing is noted now.", matcher) == "<b>No</b>, nothing is noted now."
    assert marked("I am happy, happier", TermMatcher({stem("happy")})) == "I am <b>happy</b>, happier"


def test_opening_is_escaped() -> None:
    assert opening("<b>x</b> & y\nsecond line") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert opening("") == ""


@given(ANY_TEXT, st.lists(st.text(min_size=1, max_size=8), max_size=4))
@settings(max_examples=150, deadline=None)
def test_excerpts_never_let_markup_through(text: str, words: list[str]) -> None:
    matcher = TermMatcher({t for w in words for t in terms(w)})
    for fragment in excerpts(clean_text(text), matcher) + [opening(clean_text(text))]:
        stripped = fragment.replace("<b>", "").replace("</b>", "")
        assert "<" not in stripped and ">" not in stripped
        assert re.fullmatch(r"([^&]|&(amp|lt|gt|quot|#x27);)*", stripped)


def test_importing_the_search_package_does_not_load_whoosh() -> None:
    import subprocess
    import sys

    code = ("import sys, kb.search; from kb.search import IndexDoc, IndexState; "
            "print('whoosh' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
