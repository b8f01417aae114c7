"""The KnowledgeBase facade: what the app and the CLI see of the store and the index together."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kb import KnowledgeBase
from kb.errors import DataFolderError, InvalidInput, NotFound
from kb.models import Article
from kb.progress import CancelToken

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded and indexed data folder, copied by the tests that need one."""
    home = tmp_path_factory.mktemp("seeded") / "home"
    with KnowledgeBase.open(home) as kb:
        kb.ensure_index()
    return home


@pytest.fixture
def kb(seeded_home: Path, tmp_path: Path):
    home = tmp_path / "copy"
    shutil.copytree(seeded_home, home)
    with KnowledgeBase.open(home) as opened:
        yield opened


def test_a_new_folder_is_seeded_with_the_vetted_playbook(tactful_home: Path) -> None:
    with KnowledgeBase.open() as kb:
        assert kb.home == tactful_home
        slugs = {a.slug for a in kb.articles()}
        assert "three-key-questions" in slugs
        assert all(a.status == "vetted" for a in kb.articles())
        hits = kb.search("apologize", limit=3)
        assert hits[0].slug == "apologising-dos-and-donts"
        assert kb.snippets() and kb.recipes()


def test_reopening_does_not_seed_again_or_undo_edits(tactful_home: Path) -> None:
    with KnowledgeBase.open() as kb:
        article = kb.article("three-key-questions")
        article.title = "Three questions before you reply"
        kb.save_article(article)
    with KnowledgeBase.open() as kb:
        assert kb.article("three-key-questions").title == "Three questions before you reply"
        assert len(kb.revisions("three-key-questions")) == 2


def test_a_saved_article_is_searchable_at_once(kb: KnowledgeBase) -> None:
    kb.save_article(Article(slug="parcel-lockers", title="Parcel lockers",
                            body="Collecting from a zanzibarlocker takes a code.", status="vetted"))
    assert [h.slug for h in kb.search("zanzibarlocker")] == ["parcel-lockers"]
    article = kb.article("parcel-lockers")
    article.body = "Collecting from a quokkalocker takes a code."
    kb.save_article(article)
    assert kb.search("zanzibarlocker") == []
    assert [h.slug for h in kb.search("quokkalocker")] == ["parcel-lockers"]


def test_drafts_are_not_found_unless_asked_for(kb: KnowledgeBase) -> None:
    kb.save_article(Article(slug="unfinished", title="Unfinished wombat guide", status="draft"))
    assert kb.search("wombat") == []
    assert [h.slug for h in kb.search("wombat", statuses=None)] == ["unfinished"]


def test_bad_articles_are_refused_with_a_clear_message(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidInput, match="URL-safe"):
        kb.save_article(Article(slug="Bad Slug", title="x"))
    with pytest.raises(InvalidInput, match="title"):
        kb.save_article(Article(slug="no-title", title="  "))
    with pytest.raises(NotFound, match="nope"):
        kb.article("nope")
    with pytest.raises(InvalidInput):
        kb.search("refund", limit=0)


def test_a_deleted_index_is_rebuilt(seeded_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    shutil.copytree(seeded_home, home)
    shutil.rmtree(home / "index")
    with KnowledgeBase.open(home) as kb:
        assert kb.search("vent")[0].slug == "customers-who-want-to-vent"


def test_a_corrupt_index_is_rebuilt(seeded_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    shutil.copytree(seeded_home, home)
    for path in (home / "index").rglob("*"):
        if path.is_file() and not path.name.endswith(".lock"):
            path.write_bytes(b"\x00garbage" * 10)
    with KnowledgeBase.open(home) as kb:
        assert kb.ensure_index() == "rebuilt"
        assert kb.search("vent")[0].slug == "customers-who-want-to-vent"


def test_a_stale_index_catches_up_with_changes_made_elsewhere(seeded_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "h"
    shutil.copytree(seeded_home, home)
    with KnowledgeBase.open(home) as reader:
        assert reader.search("okapi") == []
        # Another process (the CLI, a second app window) writes to the same folder.
        script = textwrap.dedent(f"""
            from kb import KnowledgeBase
            from kb.models import Article
            with KnowledgeBase.open({str(home)!r}) as kb:
                kb.save_article(Article(slug="okapi", title="Okapi returns", status="vetted",
                                        body="How to return an okapi."))
        """)
        subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, timeout=60)
        assert [h.slug for h in reader.search("okapi")] == ["okapi"]


def test_an_index_from_another_knowledge_base_is_rebuilt(seeded_home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    with KnowledgeBase.open(other, seed=False) as kb:
        kb.save_article(Article(slug="only-here", title="Only here", status="vetted", body="narwhal"))
        kb.ensure_index()
    home = tmp_path / "h"
    shutil.copytree(seeded_home, home)
    shutil.rmtree(home / "index")
    shutil.copytree(other / "index", home / "index")
    with KnowledgeBase.open(home) as kb:
        assert kb.search("narwhal") == []
        assert kb.search("vent")[0].slug == "customers-who-want-to-vent"


def test_a_damaged_database_is_a_clear_error_and_is_not_overwritten(tmp_path: Path) -> None:
    home = tmp_path / "h"
    home.mkdir()
    (home / "tactful.db").write_bytes(b"this is not a database" * 100)
    with pytest.raises(DataFolderError) as raised:
        KnowledgeBase.open(home)
    assert "tactful.db" in str(raised.value)
    assert (home / "tactful.db").read_bytes().startswith(b"this is not a database")


def _write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def test_import_reports_bad_files_and_keeps_the_rest(kb: KnowledgeBase, tmp_path: Path) -> None:
    src = tmp_path / "src"
    _write(src, "good.md", "---\ntitle: Gift cards\ntags: [payments]\n---\nGift cards never expire.\n")
    _write(src, "sub/also-good.md", "# Store credit\n\nStore credit lasts a year.\n")
    _write(src, "broken.md", "---\ntitle: [unclosed\n---\nbody\n")
    _write(src, "binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    _write(src, "latin1.md", "caf\xe9".encode("latin-1"))
    report = kb.import_markdown(src)
    assert sorted(report.created) == ["also-good", "good"]
    assert sorted(Path(p.path).name for p in report.problems) == ["binary.md", "broken.md", "latin1.md"]
    assert all(p.message for p in report.problems)
    assert kb.search("gift cards")[0].slug == "good"
    assert kb.article("also-good").title == "Store credit"
    # The same folder again updates instead of duplicating.
    _write(src, "good.md", "---\ntitle: Gift cards\n---\nGift cards never expire, ever.\n")
    again = kb.import_markdown(src)
    assert again.created == [] and again.updated == ["good"] and again.unchanged == ["also-good"]
    assert len(kb.revisions("good")) == 2


def test_a_cancelled_import_changes_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    src = tmp_path / "src"
    for n in range(30):
        _write(src, f"a{n}.md", f"# Article {n}\n\nAbout kumquat number {n}.\n")
    before = {a.slug for a in kb.articles(None)}
    token = CancelToken()

    def progress(done: int, total: int, message: str = "") -> None:
        if done >= 10:
            token.cancel()

    report = kb.import_markdown(src, progress=progress, cancel=token)
    assert report.cancelled
    assert {a.slug for a in kb.articles(None)} == before
    assert kb.search("kumquat") == []


def test_export_then_import_keeps_every_field(kb: KnowledgeBase, tmp_path: Path) -> None:
    kb.save_article(Article(slug="round-trip", title="Round trip", summary="One line.",
                            body="## Steps\n\n1. First\n2. Second\n", tags=["a", "b"],
                            status="in-review", owner="Sam", reviewed="2026-01-02",
                            meta={"ms.topic": "article"}))
    out = tmp_path / "out"
    kb.export_markdown(out)
    assert (out / "round-trip.md").is_file()
    with KnowledgeBase.open(tmp_path / "other", seed=False) as other:
        report = other.import_markdown(out)
        assert not report.problems
        back = other.article("round-trip")
    original = kb.article("round-trip")
    assert back.content() == original.content()


def test_rendered_articles_link_in_app_and_are_sanitised(kb: KnowledgeBase) -> None:
    html = kb.render_article("three-causes-of-dissatisfaction")
    assert "tactful://article/" in html
    kb.save_article(Article(slug="evil", title="Evil", status="vetted",
                            body='<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=alert(1)>'))
    html = kb.render_article("evil")
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_lint_through_the_facade(kb: KnowledgeBase) -> None:
    categories = {f.category for f in kb.lint("Calm down. Sorry for any inconvenience.")}
    assert {"dismissive", "generic-apology"} <= categories
    assert kb.lint("Thanks for your patience, Sam. I've sent a new parcel today.") == []


@pytest.mark.corpus
def test_the_real_corpus_imports_and_searches(corpus: Path, tmp_path: Path) -> None:
    with KnowledgeBase.open(tmp_path / "h", seed=False) as kb:
        report = kb.import_markdown(corpus)
        files = len(list(corpus.rglob("*.md")))
        assert report.imported + len(report.problems) == files
        assert report.imported > 2400
        assert len(report.problems) < 10, [p.message for p in report.problems]
        hits = kb.search("outlook signature", limit=5)
        assert hits and all("<script" not in h for hit in hits for h in hit.highlights)
        assert kb.search("outlok") or kb.suggest("outlok")
        again = kb.import_markdown(corpus)
        assert again.created == [] and again.updated == []


def test_updating_the_only_article_keeps_it_findable(tmp_path: Path) -> None:
    """Whoosh counts the replaced copy until a merge; ranking must not go negative over it."""
    with KnowledgeBase.open(tmp_path / "one", seed=False) as kb:
        kb.save_article(Article(slug="a", title="Alpha refunds", body="refund policy", status="vetted"))
        for n in range(3):
            article = kb.article("a")
            article.body = f"refund policy, edition {n}"
            kb.save_article(article)
            assert [h.slug for h in kb.search("refund")] == ["a"]
