"""Drafts: saved, listed, restored after a restart, kept apart from content."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.drafts import Draft, Drafts
from kb.errors import NotFound
from kb.store import Store


@pytest.fixture
def drafts(tmp_path: Path) -> Drafts:
    store = Store.open(tmp_path / "t.db")
    yield Drafts(store)
    store.close()


def test_save_update_and_get(drafts: Drafts) -> None:
    draft = drafts.save(Draft(case_ref="C-1", customer="Ana", body="Hi Ana,",
                              questions={"why": "late parcel"}, values={"customer_name": "Ana"},
                              ignored=["blame:you should have"]))
    assert draft.id is not None
    draft.body = "Hi Ana, sorry about the parcel."
    drafts.save(draft)
    again = drafts.get(draft.id)
    assert again.body == "Hi Ana, sorry about the parcel."
    assert again.questions == {"why": "late parcel"}
    assert again.values == {"customer_name": "Ana"}
    assert again.ignored == ["blame:you should have"]


def test_latest_open_draft_comes_back_after_reopening(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.db")
    d = Drafts(store)
    d.save(Draft(body="first"))
    closed = d.save(Draft(body="sent already"))
    d.close(closed.id)
    d.save(Draft(body="still writing"))
    store.close()
    store = Store.open(tmp_path / "t.db")
    assert Drafts(store).latest_open().body == "still writing"
    assert [x.body for x in Drafts(store).recent()][:2] == ["still writing", "sent already"]
    store.close()


def test_missing_draft_is_a_clear_error(drafts: Drafts) -> None:
    with pytest.raises(NotFound, match="No draft"):
        drafts.get(999)


def test_prune_keeps_open_drafts(drafts: Drafts) -> None:
    for i in range(5):
        drafts.close(drafts.save(Draft(body=f"old {i}")).id)
    keep = drafts.save(Draft(body="open"))
    assert drafts.prune(keep=2) == 3
    assert drafts.get(keep.id).body == "open"


def test_empty_drafts_are_recognised() -> None:
    assert Draft().is_empty
    assert not Draft(body="x").is_empty
