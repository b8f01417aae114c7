"""The SQLite store: schema on open, revisions, generations, damaged and future databases."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from kb.errors import DataFolderError, NotFound
from kb.migrations import NAMES
from kb.models import Article, Snippet, SnippetField
from kb.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "tactful.db")
    yield s
    s.close()


def _article(slug: str = "refunds", **kw) -> Article:
    return Article(slug=slug, title=kw.pop("title", "Refunds"), body=kw.pop("body", "Body."), **kw)


def test_open_applies_migrations_wal_and_foreign_keys(store: Store) -> None:
    db = store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    tables = set(db.table_names())
    assert {"articles", "article_revisions", "snippets", "snippet_revisions", "recipes",
            "team_rules", "drafts", "meta"} <= tables
    applied = [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    assert applied == NAMES
    assert len(store.kb_id) == 32


def test_reopening_keeps_data_and_identity(tmp_path: Path) -> None:
    first = Store.open(tmp_path / "t.db")
    first.save_articles([_article()])
    kb_id = first.kb_id
    first.close()
    second = Store.open(tmp_path / "t.db")
    assert second.kb_id == kb_id
    assert second.article("refunds").title == "Refunds"
    second.close()


def test_save_creates_updates_and_skips_unchanged(store: Store) -> None:
    assert store.save_articles([_article()]).created == ["refunds"]
    assert store.save_articles([_article()]).unchanged == ["refunds"]
    assert store.save_articles([_article(body="New body.")]).updated == ["refunds"]
    assert store.article("refunds").body == "New body."


def test_every_change_keeps_the_previous_version(store: Store) -> None:
    store.save_articles([_article(body="one")], author="ann")
    store.save_articles([_article(body="two")], author="bob", note="fix")
    store.save_articles([_article(body="two")])  # no change, no revision
    revisions = store.revisions("article", "refunds")
    assert [r.rev for r in revisions] == [1, 2]
    assert [r.data["body"] for r in revisions] == ["one", "two"]
    assert revisions[1].author == "bob" and revisions[1].note == "fix"


def test_generation_moves_only_when_articles_change(store: Store) -> None:
    start = store.generation
    store.save_articles([_article()])
    assert store.generation == start + 1
    store.save_articles([_article()])
    assert store.generation == start + 1
    store.save_articles([_article("a"), _article("b")])
    assert store.generation == start + 2


def test_status_is_checked_by_the_database(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.save_articles([_article(status="published")])
    assert store.article("refunds") is None  # the failed transaction left nothing


def test_filters_by_status_and_tag(store: Store) -> None:
    store.save_articles(
        [
            _article("a", status="vetted", tags=["Refunds"]),
            _article("b", status="draft", tags=["refunds"]),
            _article("c", status="vetted", tags=["delivery"]),
        ]
    )
    assert [a.slug for a in store.articles(["vetted"])] == ["a", "c"]
    assert [a.slug for a in store.articles(None, tag="REFUNDS")] == ["a", "b"]
    assert store.tags(["vetted"])[0] in {("Refunds", 1), ("delivery", 1)}


def test_restore_undoes_a_write_exactly(store: Store) -> None:
    store.save_articles([_article(body="original")])
    before = {"refunds": store.article("refunds"), "new-one": None}
    store.save_articles([_article(body="changed"), _article("new-one")])
    store.restore_articles(before)
    assert store.article("refunds").body == "original"
    assert store.article("new-one") is None
    assert [r.rev for r in store.revisions("article", "refunds")] == [1]


def test_snippets_round_trip_with_revisions(store: Store) -> None:
    snippet = Snippet(
        slug="greet",
        title="Greeting",
        text="Hi {customer_name},",
        stage="greeting",
        fields=[SnippetField(name="customer_name", label="Customer name", sample="Sam")],
        status="vetted",
    )
    store.save_snippets([snippet])
    snippet.text = "Hello {customer_name},"
    store.save_snippets([snippet])
    loaded = store.snippet("greet")
    assert loaded.fields[0].label == "Customer name"
    assert [r.data["text"] for r in store.revisions("snippet", "greet")] == [
        "Hi {customer_name},",
        "Hello {customer_name},",
    ]
    with pytest.raises(NotFound):
        store.revisions("snippet", "nope")


def test_threads_each_get_their_own_connection(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                store.save_articles([_article(f"t{n}-{i}")])
                store.article(f"t{n}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.article_count() == 80


def test_a_damaged_file_is_a_clear_message_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "tactful.db"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(DataFolderError, match="damaged"):
        Store.open(path)
    assert path.read_bytes() == garbage


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.db")
    store.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('tactful', 'm999_future', 'x')"
    )
    store.close()
    with pytest.raises(DataFolderError, match="newer version"):
        Store.open(tmp_path / "t.db")
