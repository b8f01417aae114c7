"""Ranking rules a rep notices when searching as they type (issue 12).

Modelled on Meilisearch's and Typesense's rules: documents matching every typed word
beat those matching some; fewer typos beat more; words together and in order, and in
the title, beat scattered ones; the unfinished last word completes to common words,
never rare ones; fewer words are required only when all of them find nothing. Plus the
correction index: long words with one slip, and kept right through add, edit, delete.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import resources
from kb.search import IndexDoc, SearchIndex
from kb.search.corrections import Corrector, Titles, SegmentTitles, title_key

FILLER = (
    "Write down what the customer said and what you did next. Keep the notes short, "
    "plain and kind, so the next person can pick the case up without asking again."
)


def doc(slug: str, title: str, body: str = FILLER, **kwargs: object) -> IndexDoc:
    return IndexDoc(slug=slug, title=title, summary=str(kwargs.get("summary", "")),
                    tags=list(kwargs.get("tags", ())), status="vetted", body=body,
                    content_hash=f"h-{slug}-{len(body)}")


def filler_docs(count: int, word: str) -> list[IndexDoc]:
    """Articles that make ``word`` common in the index."""
    return [doc(f"{word}-{i}", f"Notes on {word} case {i}", f"The {word} asked about case {i}. {FILLER}")
            for i in range(count)]


OPENED: list[SearchIndex] = []


@pytest.fixture(autouse=True)
def _close():  # type: ignore[no-untyped-def]
    yield
    while OPENED:
        OPENED.pop().close()


def build(tmp_path: Path, docs: list[IndexDoc]) -> SearchIndex:
    index = SearchIndex(tmp_path / "index", synonyms_path=resources.path("search", "synonyms.txt"))
    OPENED.append(index)
    index.rebuild(docs, total=len(docs), generation=1, kb_id="kb-rules")
    return index


def slugs(index: SearchIndex, query: str) -> list[str]:
    return [h.slug for h in index.search(query).hits]


# -- all words beat some -------------------------------------------------------------------


def test_an_article_with_every_typed_word_beats_one_with_a_rare_word_many_times(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("discount-groups", "Set up customer discount groups",
            "Discount groups give a set of customers the same prices. " + FILLER),
        doc("reconcile", "Reconcile Cust. and Vend. Accs.",
            "Cust. ledger entries and Vend. ledger entries. Cust. totals. Cust. balances. " + FILLER),
        doc("gobd", "GoBD filter examples", "Filter custodian records by custodianship. " + FILLER),
        *filler_docs(12, "customer"),
    ])
    assert slugs(index, "set up cust")[0] == "discount-groups"
    assert slugs(index, "customer discount gr")[0] == "discount-groups"


def test_all_words_beat_some_even_when_one_word_is_far_rarer(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("courier-tracking", "Late parcels",
            "Ask the courier for the tracking number, then check the parcel. " + FILLER),
        doc("zebra-courier", "Zebra courier zebra", "Zebra zebra zebra. " + FILLER),
        *filler_docs(8, "parcel"),
    ])
    assert slugs(index, "zebra courier tracking parcel")[0] == "courier-tracking"


def test_fewer_words_count_only_when_no_article_has_them_all(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("refunds", "Refunds after thirty days", "A refund after the window needs approval. " + FILLER),
        doc("exchanges", "Exchanges", "Offer an exchange in store. " + FILLER),
    ])
    # No article has "refund" and "helicopter": the refund article still comes back.
    assert slugs(index, "refund helicopter ")[0] == "refunds"
    # Some article has both words: it comes first, the one-word match after it.
    found = slugs(index, "refund approval ")
    assert found[0] == "refunds"


def test_results_count_the_articles_with_every_word_apart(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("refunds", "Refunds after thirty days", "A refund after the window needs approval. " + FILLER),
        doc("late-refund", "Late refunds", "A refund can take five days to arrive. " + FILLER),
        doc("approval", "Approval", "Who gives approval for exceptions. " + FILLER),
    ])
    both = index.search("refund approval")
    assert (both.total, both.complete) == (3, 1)
    assert index.search("refund").complete == 2
    assert index.search("refund exceptions").complete == 0


# -- fewer typos first ---------------------------------------------------------------------


def test_fewer_typos_beat_more_even_against_a_stronger_match(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("shipping", "Shipping rates", "Rates depend on weight and distance. " + FILLER),
        # Two edits from "shiping" ("whipping"), but a short article all about it.
        doc("whipping", "Whipping whipping whipping", "Whipping."),
    ])
    results = index.search("shiping ")
    assert results.fuzzy
    assert [h.slug for h in results.hits][0] == "shipping"


def test_an_exact_word_beats_a_correction_of_it(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("status", "Status page", "The status page shows outages. " + FILLER),
        doc("satus", "Satus report", "A satus report, spelt like that on purpose."),
        *filler_docs(30, "status"),
    ])
    assert slugs(index, "satus ")[0] == "satus"


# -- proximity and the title -----------------------------------------------------------------


def test_a_title_match_beats_the_same_word_in_the_body(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("in-body", "Account notes", "Invoices can be resent from the account page. " + FILLER),
        doc("in-title", "Invoices", "Resend from the account page. " + FILLER),
    ])
    assert slugs(index, "invoices ")[0] == "in-title"


def test_words_together_and_in_order_beat_scattered_ones(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("scattered", "Account help",
            "The password rules are strict. " + FILLER + " A team lead may reset locks."),
        doc("together", "Account help 2",
            "To reset password links, open the account page. " + FILLER + " Locks are strict."),
    ])
    assert slugs(index, "reset password ")[0] == "together"


def test_a_title_that_starts_with_what_was_typed_comes_first(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("merge", "How to merge Word documents", "Use the compare tool. " + FILLER),
        doc("messages", "Messages stuck in the outbox", "Messages wait in the outbox. " * 5 + FILLER),
        doc("meetings", "Meeting invites", "Meetings and meeting invites. " * 5 + FILLER),
        doc("prevent", "Prevent users from creating groups", "Only admins can create groups. " + FILLER),
        doc("free", "Free/busy lookups for users", "Prevent free lookups for users. " * 3 + FILLER),
    ])
    # Nothing but stop words so far, the last one unfinished: it is the start of a word.
    assert slugs(index, "how to me")[0] == "merge"
    # "fr" may become "from", a word the index does not keep: it is not required.
    assert slugs(index, "prevent users fr")[0] == "prevent"


# -- completions by how common they are ------------------------------------------------------


def test_completions_rank_by_how_common_they_are_not_by_rarity(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("custard", "Custard recall", "One custard batch was recalled. " + FILLER),
        doc("customer-notes", "Customer notes", "Customer notes in brief. " + FILLER),
        *filler_docs(20, "customer"),
    ])
    found = slugs(index, "cust")
    assert found.index("customer-notes") < found.index("custard")


# -- the correction index ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["sustainabilty", "sustainabillity", "sustainabiltiy", "sustainobility", "ustainability"],
    ids=["dropped", "added", "swapped", "replaced", "first-letter-dropped"],
)
def test_a_long_word_with_one_slip_is_corrected(tmp_path: Path, typed: str) -> None:
    index = build(tmp_path, [
        doc("green", "Set up sustainability features in Business Central",
            "Track emissions and sustainability goals. " + FILLER),
        *filler_docs(3, "invoice"),
    ])
    results = index.search(f"set up {typed} features")
    assert results.hits[0].slug == "green"
    assert results.suggestion == "set up sustainability features"


def test_a_swapped_pair_is_one_edit_even_in_a_short_word(tmp_path: Path) -> None:
    index = build(tmp_path, [doc("refund", "Refund rules", "How a refund works. " + FILLER)])
    results = index.search("refnud ")
    assert [h.slug for h in results.hits] == ["refund"]
    assert results.suggestion == "refund"


def test_the_corrections_follow_articles_added_edited_and_deleted(tmp_path: Path) -> None:
    index = build(tmp_path, filler_docs(5, "invoice"))
    assert index.search("quetzalcaotl ").hits == []

    index.update([doc("added", "Quetzalcoatl toys", "The quetzalcoatl plush is sold out.")], generation=2)
    results = index.search("quetzalcaotl ")
    assert [h.slug for h in results.hits] == ["added"]
    assert results.suggestion == "quetzalcoatl"

    index.update([doc("added", "Xylophonist lessons", "Book a xylophonist for the shop.")], generation=3)
    assert index.search("quetzalcaotl ").hits == []
    assert index.suggest("quetzalcaotl ") is None
    assert [h.slug for h in index.search("xylophonsit ").hits] == ["added"]
    assert index.suggest("xylophonsit ") == "xylophonist"

    index.update(delete=["added"], generation=4)
    assert index.search("xylophonsit ").hits == []
    assert index.suggest("xylophonsit ") is None


def test_a_quoted_phrase_with_a_typo_is_read_with_its_correction(tmp_path: Path) -> None:
    index = build(tmp_path, [
        doc("call", 'Error "couldn\'t complete the call" in Teams', "Restart the client. " + FILLER),
        *filler_docs(3, "invoice"),
    ])
    results = index.search('error "couldn\'t omplete the call" in teams')
    assert [h.slug for h in results.hits] == ["call"]
    assert results.fuzzy


def test_corrector_and_titles_on_their_own() -> None:
    corrector = Corrector.of_words(["refund", "refunds", "return", "sustainability"])
    assert corrector.within("refnud", 1) == {"refund": 1}
    assert corrector.within("sustainabilty", 2)["sustainability"] == 1
    assert corrector.within("refund", 0) == {}

    titles = Titles([(SegmentTitles.of([title_key("How to merge Word documents"),
                                         title_key("Merge fields"), ""]), 0, None)])
    match = titles.find("how to me", open_end=True)
    assert match.start == {0} and match.completions == {"merge": 1}
    assert titles.find("merge fields", open_end=False).exact == {1}
    assert titles.find("merge", open_end=False).inside == {0}
    assert not titles.find("how to me", open_end=False)
