"""The search engine on a dozen hand-written articles: matching, ranking, filters,
highlighting, hostile queries, updates, rebuilds, damage and threads."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb import resources
from kb.errors import Cancelled
from kb.progress import CancelToken
from kb.search import IndexDoc, IndexState, SearchIndex
from kb.search.postings import Postings
from kb.search.schema import SCHEMA_VERSION

def doc(slug: str, title: str, body: str, *, summary: str = "", tags: tuple[str, ...] = (),
        status: str = "vetted") -> IndexDoc:
    return IndexDoc(slug=slug, title=title, summary=summary, tags=list(tags), status=status,
                    body=body, content_hash=f"hash-{slug}-{len(body)}")


ARTICLES = [
    doc("refunds-outside-window", "Refunds outside the return window",
        "## When this applies\nA customer asks for a **refund** after the 30-day window.\n\n"
        "## What to do\n1. Check the order date.\n2. Offer store credit or an exchange.\n"
        "Refunds after the window need a team lead's approval.",
        summary="What to offer when the return window has closed.", tags=("Refunds", "billing")),
    doc("reimbursing-fees", "Reimbursing courier fees",
        "If the courier charged the customer a fee by mistake, we reimburse it within five days. "
        "Ask for a photo of the receipt first.", summary="Paying back courier charges.", tags=("billing",)),
    doc("apologising-well", "Apologising well",
        "Apologise once, for the specific thing that went wrong. Apologising for \"any inconvenience\" "
        "sounds like a script. Say what you are doing about it.",
        summary="Specific apologies beat generic ones.", tags=("apology", "tone")),
    doc("colour-and-cancellation", "Colour mismatch and cancelled orders",
        "When the colour of an item differs from the photo, offer a swap. If the order was cancelled "
        "by our system, explain the behaviour of the stock checker.", tags=("orders",)),
    doc("gray-areas", "Handling gray areas",
        "Some complaints are gray: neither side was clearly wrong. Analyze what each side expected "
        "before you decide.", summary="Neither side clearly wrong.", tags=("judgement",)),
    doc("customers-who-vent", "When a customer needs to vent",
        "Some callers shout because nobody listened before. Let them vent, then steer the call back "
        "to what you can fix. Do not pass them to a supervisor just to end the call.",
        summary="Listen first, then steer.", tags=("Angry customer", "calls")),
    doc("saying-no-kindly", "Declining a request kindly",
        "When you have to decline, say what you can do instead. Refusing without an alternative "
        "leaves the customer nowhere to go.", summary="Pair every refusal with an option.",
        tags=("policy",)),
    doc("late-deliveries", "Late deliveries",
        "Check the tracking number with the courier. If the parcel is more than five days late, "
        "send a replacement or arrange a delivery slot.", tags=("delivery",)),
    doc("password-reset", "Reset a customer's password",
        "To reset the password, open the account page and choose reset password. The customer gets "
        "an email with a link that works for one hour.", tags=("accounts",)),
    doc("password-policy", "Password rules",
        "A password must have twelve characters. After five failed attempts the account is locked "
        "and the customer has to wait. Support can reset locks on request.", tags=("accounts",)),
    doc("escalation-guide", "Escalation to a team lead",
        "Escalate only for decisions you are not allowed to make.", tags=("calls",)),
    doc("call-notes", "Writing call notes",
        "Good notes say what the customer asked, what you did and whether an escalation is "
        "pending. Notes about escalation should name the team lead. Keep escalation notes short.",
        tags=("calls",)),
    doc("security-notice", "Security notice <script>alert('hi')</script>",
        "Never paste <script>alert(\"refund\")</script> into a reply & never share R&D plans. "
        "Phishing emails ask for a refund to a new card; some hide &lt;script&gt; tags.",
        summary="Phishing & <b>fake</b> refund requests.", tags=("security",)),
    doc("draft-refund-macros", "Refund macros (draft)",
        "New macros for refund replies, not yet reviewed.", status="draft", tags=("billing",)),
    doc("retired-refund-process", "Old refund process",
        "The refund form we used before 2024.", status="retired", tags=("billing",)),
]


OPENED: list[SearchIndex] = []


def open_index(path: Path, **kwargs: object) -> SearchIndex:
    """A SearchIndex that is closed after the test (Whoosh keeps its files open)."""
    kwargs.setdefault("synonyms_path", resources.path("search", "synonyms.txt"))
    index = SearchIndex(path, **kwargs)  # type: ignore[arg-type]
    OPENED.append(index)
    return index


@pytest.fixture(autouse=True)
def _close_indexes():  # type: ignore[no-untyped-def]
    yield
    while OPENED:
        OPENED.pop().close()


def build_index(path: Path, docs: list[IndexDoc] | None = None, **kwargs: object) -> SearchIndex:
    index = open_index(path, **kwargs)
    docs = ARTICLES if docs is None else docs
    index.rebuild(docs, total=len(docs), generation=1, kb_id="kb-test")
    return index


def slugs(results: object) -> list[str]:
    return [h.slug for h in results.hits]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    shared = SearchIndex(tmp_path_factory.mktemp("search") / "index",
                         synonyms_path=resources.path("search", "synonyms.txt"))
    shared.rebuild(ARTICLES, total=len(ARTICLES), generation=1, kb_id="kb-test")
    yield shared
    shared.close()


@pytest.fixture
def fresh(tmp_path: Path) -> SearchIndex:
    """An index of its own, for tests that change it."""
    return build_index(tmp_path / "index")


# -- matching ----------------------------------------------------------------------------------


def test_stemming(index: SearchIndex) -> None:
    assert slugs(index.search("apologising ")) [0] == "apologising-well"
    assert slugs(index.search("apologises "))[0] == "apologising-well"
    assert slugs(index.search("refund "))[0] == "refunds-outside-window"
    assert "refunds-outside-window" in slugs(index.search("refunding "))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("apologize ", "apologising-well"), ("apologizing ", "apologising-well"),
     ("color ", "colour-and-cancellation"), ("canceled ", "colour-and-cancellation"),
     ("behavior ", "colour-and-cancellation"), ("grey ", "gray-areas"), ("analyse ", "gray-areas")],
)
def test_spelling_variants_both_ways(index: SearchIndex, query: str, expected: str) -> None:
    results = index.search(query)
    assert slugs(results)[:1] == [expected]
    assert not results.fuzzy and results.suggestion is None


def test_synonyms(index: SearchIndex) -> None:
    assert slugs(index.search("rant "))[:1] == ["customers-who-vent"]  # rant / vent
    assert slugs(index.search("yelling "))[:1] == ["customers-who-vent"]  # yell / shout
    assert slugs(index.search("say no "))[:1] == ["saying-no-kindly"]  # say no / decline / refuse
    assert "refunds-outside-window" in slugs(index.search("money back "))


def test_exact_match_outranks_synonym(index: SearchIndex) -> None:
    refund = index.search("refund ")
    assert slugs(refund).index("refunds-outside-window") < slugs(refund).index("reimbursing-fees")
    reimburse = index.search("reimburse ")
    assert slugs(reimburse)[0] == "reimbursing-fees"
    assert slugs(reimburse).index("reimbursing-fees") < slugs(reimburse).index("refunds-outside-window")


def test_typo_finds_the_word_and_suggests_it(index: SearchIndex) -> None:
    results = index.search("refnd ")
    assert results.fuzzy
    assert results.suggestion == "refund"
    assert slugs(results)[0] == "refunds-outside-window"
    assert index.suggest("how to apologyse for the delay") == "how to apologise for the delay"
    assert index.suggest("pasword reset") == "password reset"
    assert index.suggest("password reset") is None
    exact = index.search("refund ").hits[0]
    assert results.hits[0].score < exact.score  # an exact match outranks the corrected typo


def test_transposed_letters_are_one_typo(index: SearchIndex) -> None:
    assert index.search("pasword").suggestion == "password"
    assert index.search("passowrd ").suggestion == "password"


def test_prefix_as_you_type(index: SearchIndex) -> None:
    assert slugs(index.search("refu"))[0] == "refunds-outside-window"
    assert slugs(index.search("reset pass"))[:2] == ["password-reset", "password-policy"]
    assert "apologising-well" in slugs(index.search("apologisin"))
    assert index.search("refu ").hits == [] or "refunds-outside-window" not in slugs(index.search("refu "))


def test_quoted_phrases_are_required(index: SearchIndex) -> None:
    results = index.search('"reset password"')
    assert slugs(results) == ["password-reset"]
    assert index.search('"password reset"').hits == []
    assert slugs(index.search('"tracking number" courier'))[:1] == ["late-deliveries"]


# -- ranking -----------------------------------------------------------------------------------


def test_title_match_outranks_body_only_match(index: SearchIndex) -> None:
    found = slugs(index.search("escalation "))
    assert found[0] == "escalation-guide"  # once in the title
    assert "call-notes" in found  # three times in the body


def test_words_together_outrank_words_apart(index: SearchIndex) -> None:
    found = slugs(index.search("reset password "))
    assert found.index("password-reset") < found.index("password-policy")


def test_more_words_matched_ranks_higher(index: SearchIndex) -> None:
    assert slugs(index.search("courier fee receipt "))[0] == "reimbursing-fees"


# -- filters -----------------------------------------------------------------------------------


def test_only_vetted_by_default(index: SearchIndex) -> None:
    found = slugs(index.search("refund ", limit=20))
    assert "draft-refund-macros" not in found and "retired-refund-process" not in found
    everything = slugs(index.search("refund ", limit=20, statuses=None))
    assert {"draft-refund-macros", "retired-refund-process"} <= set(everything)
    assert slugs(index.search("refund ", statuses=["draft"])) == ["draft-refund-macros"]
    assert index.search("refund ", statuses=[]).hits == []


def test_tag_filter_is_case_insensitive_and_combines(index: SearchIndex) -> None:
    assert set(slugs(index.search("refund ", tags=["BILLING"], statuses=None, limit=20))) == {
        "refunds-outside-window", "reimbursing-fees", "draft-refund-macros", "retired-refund-process"}
    assert slugs(index.search("customer ", tags=["angry customer"])) == ["customers-who-vent"]
    assert slugs(index.search("refund ", tags=["refunds", "billing"])) == ["refunds-outside-window"]
    assert index.search("refund ", tags=["no-such-tag"]).hits == []


# -- hits and highlighting ---------------------------------------------------------------------


def test_hit_fields(index: SearchIndex) -> None:
    hit = index.search("refund outside").hits[0]
    assert hit.slug == "refunds-outside-window"
    assert hit.title == "Refunds outside the return window"
    assert hit.summary == "What to offer when the return window has closed."
    assert hit.tags == ["Refunds", "billing"] and hit.status == "vetted"
    assert hit.score > 0
    assert any("<b>refund</b>" in h.lower() for h in hit.highlights)
    assert all("**" not in h for h in hit.highlights)


def test_highlights_are_html_safe(index: SearchIndex) -> None:
    hit = next(h for h in index.search("phishing refund ").hits if h.slug == "security-notice")
    assert hit.title.startswith("Security notice <script>")  # plain text; the GUI escapes titles
    joined = " ".join(hit.highlights)
    assert "<script" not in joined and "&lt;script&gt;" in joined
    assert "&amp;" in joined and "<b>refund</b>" in joined.lower()
    assert joined.replace("<b>", "").replace("</b>", "").count("<") == 0


def test_highlights_can_be_skipped(index: SearchIndex) -> None:
    assert all(h.highlights == [] for h in index.search("refund ", highlight=False).hits)


def test_a_match_outside_the_body_shows_the_opening(index: SearchIndex) -> None:
    hit = index.search("judgement ").hits[0]  # only in the tags
    assert hit.slug == "gray-areas"
    assert hit.highlights == ["Some complaints are gray: neither side was clearly wrong. Analyze "
                              "what each side expected before you decide."]


# -- any query at all --------------------------------------------------------------------------

HOSTILE = [
    '"unbalanced', 'refund"', '(((', ')', "[refund", "AND", "OR", "NOT", "refund AND", "NOT refund",
    "*", "?", "refund*", "ref?nd", "title:refund", "body:", ":", "-", "--refund", "+refund", "~",
    "^2", "refund^10", "\\", "'", "%", "a" * 10_000, "refund " * 2000, "😀", "refund 😀",
    "مرحبا", "שלום refund", "\u202eدفع", "\x00", "refund\x00", "\x01\x02\x1b[31m", "\ud800",
    "!!!", "...", "the", "the and of to", "   ", "", "\t\n", "ｒｅｆｕｎｄ", "ﬁx",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise(index: SearchIndex, query: str) -> None:
    results = index.search(query)
    assert results.total >= len(results.hits)
    index.suggest(query)
    assert not index.damaged


def test_fullwidth_and_ligatures_are_folded(index: SearchIndex) -> None:
    assert slugs(index.search("ｒｅｆｕｎｄ "))[:1] == ["refunds-outside-window"]


@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=200), st.booleans())
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_a_query(index: SearchIndex, query: str, highlight: bool) -> None:
    results = index.search(query, highlight=highlight)
    for hit in results.hits:
        for fragment in hit.highlights:
            assert fragment.replace("<b>", "").replace("</b>", "").count("<") == 0
    index.suggest(query)
    assert not index.damaged


@given(st.lists(st.sampled_from(["refund", "reset", "password", '"', "AND", "NOT", "(", "*",
                                 "courier", "apologise", "refnd", "the", "say", "no", ":", "-"]),
                max_size=12).map(" ".join))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_mix_of_words_and_syntax_is_a_query(index: SearchIndex, query: str) -> None:
    index.search(query)
    assert not index.damaged


# -- state, updates, rebuilds ------------------------------------------------------------------


def test_state_records_what_the_index_reflects(index: SearchIndex) -> None:
    assert index.state() == IndexState(generation=1, kb_id="kb-test", schema=SCHEMA_VERSION,
                                       doc_count=len(ARTICLES))
    assert index.hashes() == {d.slug: d.content_hash for d in ARTICLES}


def test_missing_index(tmp_path: Path) -> None:
    index = open_index(tmp_path / "index")
    assert index.state() is None
    assert index.hashes() == {}
    assert index.search("refund").hits == []
    index.update([ARTICLES[0]], generation=2)  # nothing to update: the facade rebuilds
    assert index.state() is None
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_update_is_visible_to_the_next_search(fresh: SearchIndex) -> None:
    assert fresh.search("quokka").hits == []
    changed = doc("late-deliveries", "Late deliveries", "Courier lost the quokka-shaped parcel.",
                  tags=("delivery",))
    start = time.perf_counter()
    fresh.update([changed, doc("new-one", "Brand new", "A zygote article.")], generation=7)
    assert slugs(fresh.search("quokka")) == ["late-deliveries"]
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"update + search took {elapsed:.3f} s"
    assert slugs(fresh.search("zygo")) == ["new-one"]  # new words complete and correct too
    assert fresh.search("zygoet ").suggestion == "zygote"
    state = fresh.state()
    assert state is not None and state.generation == 7 and state.kb_id == "kb-test"
    assert state.doc_count == len(ARTICLES) + 1
    assert fresh.hashes()["late-deliveries"] == changed.content_hash
    assert fresh.search("tracking number ").hits == [] or "late-deliveries" not in slugs(
        fresh.search('"tracking number"'))


def test_delete(fresh: SearchIndex) -> None:
    fresh.update(delete=["refunds-outside-window", "not-there"], generation=2)
    assert "refunds-outside-window" not in slugs(fresh.search("refund ", limit=20, statuses=None))
    assert "refunds-outside-window" not in fresh.hashes()
    assert fresh.state().doc_count == len(ARTICLES) - 1  # type: ignore[union-attr]
    assert fresh.state().generation == 2  # type: ignore[union-attr]


def test_many_small_updates_stay_consistent(fresh: SearchIndex) -> None:
    for i in range(12):
        fresh.update([doc(f"note-{i}", f"Note {i}", f"Widget number{i} troubleshooting.")],
                     generation=10 + i)
    assert len(fresh.search("widget troubleshooting ", limit=50).hits) == 12
    assert slugs(fresh.search("number7 ")) == ["note-7"]
    assert fresh.state().generation == 21  # type: ignore[union-attr]


def test_rebuild_reports_progress_and_replaces_everything(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index")
    calls: list[tuple[int, int, str]] = []
    docs = [doc(f"a-{i}", f"Article {i}", f"Body about otters {i}.") for i in range(250)]
    index.rebuild(iter(docs), total=len(docs), generation=5, kb_id="other-kb",
                  progress=lambda done, total, message="": calls.append((done, total, message)))
    assert calls[0][0] == 0 and calls[-1][:2] == (250, 250)
    assert all(total == 250 for _, total, _ in calls)
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)
    assert len(calls) >= 10
    assert index.state() == IndexState(5, "other-kb", SCHEMA_VERSION, 250)
    assert index.search("refund").hits == []
    assert len(list((tmp_path / "index").glob("ix-*"))) == 1  # the old copy is gone


def test_cancelled_rebuild_leaves_the_old_index(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index")
    token = CancelToken()

    def docs():  # type: ignore[no-untyped-def]
        for i in range(100):
            if i == 40:
                token.cancel()
            yield doc(f"a-{i}", f"Article {i}", "otters")

    with pytest.raises(Cancelled):
        index.rebuild(docs(), total=100, generation=9, kb_id="x", cancel=token)
    assert index.state() == IndexState(1, "kb-test", SCHEMA_VERSION, len(ARTICLES))
    assert slugs(index.search("refund "))[0] == "refunds-outside-window"
    assert index.search("otters").hits == []
    assert len(list((tmp_path / "index").glob("ix-*"))) == 1  # the partial copy was removed


def test_a_failing_document_source_leaves_the_old_index(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index")

    def docs():  # type: ignore[no-untyped-def]
        yield doc("a", "A", "otters")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(docs(), total=2, generation=9, kb_id="x")
    assert index.state().generation == 1  # type: ignore[union-attr]


# -- damage ------------------------------------------------------------------------------------


def _copy(tmp_path: Path, source: SearchIndex) -> Path:
    target = tmp_path / "damaged"
    shutil.copytree(source.index_dir, target)
    return target


def _live(root: Path) -> Path:
    return root / (root / "CURRENT").read_text().strip()


def _segment_files(root: Path) -> list[Path]:
    return [f for f in _live(root).iterdir() if not f.name.endswith((".toc", "WRITELOCK"))]


def _truncate_segments(root: Path) -> None:
    for seg in _segment_files(root):
        seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])


def _zero_segments(root: Path) -> None:
    for seg in _segment_files(root):
        seg.write_bytes(b"\0" * seg.stat().st_size)


def _truncate_postings(root: Path) -> None:
    for seg in _live(root).glob("*.pst"):
        seg.write_bytes(seg.read_bytes()[: seg.stat().st_size // 2])


def _delete_terms(root: Path) -> None:
    for seg in _live(root).glob("*.trm"):
        seg.unlink()


def _delete_stored(root: Path) -> None:
    for seg in _live(root).glob("*_stored.col"):
        seg.unlink()


def _garbage_toc(root: Path) -> None:
    for toc in _live(root).glob("*.toc"):
        toc.write_bytes(b"\x80\x04garbage" * 50)


def _truncate_toc(root: Path) -> None:
    for toc in _live(root).glob("*.toc"):
        toc.write_bytes(toc.read_bytes()[:40])


def _delete_segments(root: Path) -> None:
    for seg in _segment_files(root):
        seg.unlink()


def _delete_toc(root: Path) -> None:
    for toc in _live(root).glob("*.toc"):
        toc.unlink()


def _delete_current(root: Path) -> None:
    (root / "CURRENT").unlink()


def _bad_current(root: Path) -> None:
    (root / "CURRENT").write_text("../../etc\n")


def _dangling_current(root: Path) -> None:
    (root / "CURRENT").write_text("ix-0123456789abcdef\n")


def _empty_copy(root: Path) -> None:
    for f in _live(root).iterdir():
        f.unlink()


@pytest.mark.parametrize(
    "damage",
    [_truncate_segments, _zero_segments, _truncate_postings, _delete_terms, _delete_stored,
     _garbage_toc, _truncate_toc, _delete_segments, _delete_toc, _delete_current, _bad_current,
     _dangling_current, _empty_copy],
)
def test_damaged_index_is_detected_and_rebuilt(tmp_path: Path, index: SearchIndex, damage) -> None:  # type: ignore[no-untyped-def]
    root = _copy(tmp_path, index)
    damage(root)
    damaged = open_index(root)
    assert damaged.state() is None
    assert damaged.search("refund").hits == []  # no exception
    assert damaged.hashes() == {} or isinstance(damaged.hashes(), dict)
    damaged.rebuild(ARTICLES, total=len(ARTICLES), generation=3, kb_id="kb-test")
    assert damaged.state() == IndexState(3, "kb-test", SCHEMA_VERSION, len(ARTICLES))
    assert slugs(damaged.search("refund "))[0] == "refunds-outside-window"


def test_an_older_index_format_means_rebuild(tmp_path: Path, index: SearchIndex,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.search.session as session

    root = _copy(tmp_path, index)
    monkeypatch.setattr(session, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    assert open_index(root).state() is None


def test_damage_found_by_a_search_makes_state_none(tmp_path: Path, index: SearchIndex,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    root = _copy(tmp_path, index)
    opened = open_index(root)
    assert opened.state() is not None
    # Postings garbled in place after opening: the TOC and file directory still read fine.
    seg = next(_live(root).glob("*.pst"))
    data = bytearray(seg.read_bytes())
    data[100 : len(data) // 2] = b"\x07" * (len(data) // 2 - 100)
    seg.write_bytes(bytes(data))
    opened.close()
    results = opened.search("refund password courier")
    assert results.hits == [] or opened.damaged is False
    if opened.damaged:
        assert opened.state() is None
        assert "search failed" in caplog.text


# -- threads -----------------------------------------------------------------------------------


def test_concurrent_searches_while_updating(fresh: SearchIndex) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()
    seen_new = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                results = fresh.search("password reset ")
                assert "password-reset" in slugs(results)
                if "marmot" in " ".join(h.slug for h in fresh.search("marmot").hits):
                    seen_new.set()
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for i in range(8):
            fresh.update([doc(f"marmot-{i}", f"Marmot {i}", "Marmot care.")], generation=100 + i)
    finally:
        time.sleep(0.05)
        stop.set()
        for t in threads:
            t.join(10)
    assert not errors, errors
    assert seen_new.is_set()
    assert len(fresh.search("marmot", limit=20).hits) == 8
    assert not fresh.damaged


def test_concurrent_writers_in_one_process_take_turns(fresh: SearchIndex) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                fresh.update([doc(f"w{n}-{i}", f"Writer {n}", "Heron notes.")], generation=n * 10 + i)
        except BaseException as err:  # noqa: BLE001
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert len(fresh.search("heron", limit=50).hits) == 15


# -- internals that ranking relies on ----------------------------------------------------------


def test_fast_and_generic_posting_readers_agree(fresh: SearchIndex) -> None:
    fresh.update([doc(f"extra-{i}", "Refund extra", "refund " * (i + 1)) for i in range(3)],
                 delete=["reimbursing-fees"], generation=2)  # a second segment and a deletion
    with fresh._session() as session:
        assert session is not None
        reader = session.reader
        fast, generic = Postings(reader, fast=True), Postings(reader, fast=False)
        for term in ("refund", "custom", "password", "courier"):
            assert fast.docs(term) == generic.docs(term)
            assert [list(w) for _, w in fast.blocks(term)] != [] or fast.docs(term) == []
            everything = set(range(reader.doc_count_all()))
            assert fast.weights_for(term, everything) == generic.weights_for(term, everything)
            assert fast.positions(term, everything) == generic.positions(term, everything)
            some = set(sorted(everything)[::3])
            assert fast.weights_for(term, some) == generic.weights_for(term, some)


def test_a_cancelled_update_changes_nothing(fresh: SearchIndex) -> None:
    token = CancelToken()

    def docs():  # type: ignore[no-untyped-def]
        yield doc("gone-1", "Capybara", "Capybara care.")
        token.cancel()
        token.raise_if_cancelled()

    with pytest.raises(Cancelled):
        fresh.update(docs(), delete=["password-reset"], generation=50)
    assert fresh.search("capybara").hits == []
    assert "password-reset" in fresh.hashes()
    assert fresh.state().generation == 1  # type: ignore[union-attr]
