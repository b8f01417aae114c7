"""Two real processes on one index folder: one writer at a time, clear errors, no crashes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb.errors import IndexBusy
from kb.search import IndexDoc, SearchIndex

CHILD_REBUILD = r"""
import sys, time
from pathlib import Path
from kb.search import IndexDoc, SearchIndex

index_dir, locked, release = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

def docs():
    for i in range(30):
        if i == 1:
            locked.write_text("yes")
            deadline = time.monotonic() + 30
            while not release.exists():
                if time.monotonic() > deadline:
                    raise SystemExit("never released")
                time.sleep(0.02)
        yield IndexDoc(slug=f"child-{i}", title=f"Child article {i}", summary="", tags=[],
                       status="vetted", body="Written by the other window about pelicans.",
                       content_hash=str(i))

index = SearchIndex(index_dir)
index.rebuild(docs(), total=30, generation=42, kb_id="kb-proc")
index.close()
print("rebuilt")
"""

CHILD_UPDATES = r"""
import sys
from pathlib import Path
from kb.search import IndexDoc, SearchIndex

index = SearchIndex(Path(sys.argv[1]), writer_timeout=30)
for i in range(15):
    index.update([IndexDoc(slug=f"child-{i}", title=f"Child note {i}", summary="", tags=[],
                           status="vetted", body="Kingfisher notes.", content_hash=str(i))],
                 generation=1000 + i)
    index.search("kingfisher")
index.close()
print("done")
"""


def doc(slug: str, body: str) -> IndexDoc:
    return IndexDoc(slug=slug, title=slug.replace("-", " ").title(), summary="", tags=[],
                    status="vetted", body=body, content_hash=slug + body)


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    index = SearchIndex(path)
    docs = [doc(f"parent-{i}", "Refund policy for herons.") for i in range(5)]
    index.rebuild(docs, total=len(docs), generation=1, kb_id="kb-proc")
    index.close()
    return path


def _wait_for(path: Path, child: subprocess.Popen[str], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if child.poll() is not None:
            raise AssertionError(f"child exited early: {child.communicate()}")
        if time.monotonic() > deadline:
            raise AssertionError("child never took the lock")
        time.sleep(0.02)


def test_a_second_process_waits_then_says_the_index_is_busy(index_dir: Path, tmp_path: Path) -> None:
    locked, release = tmp_path / "locked", tmp_path / "release"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD_REBUILD, str(index_dir), str(locked), str(release)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    index = SearchIndex(index_dir, writer_timeout=0.5)
    try:
        _wait_for(locked, child)
        start = time.monotonic()
        with pytest.raises(IndexBusy, match="Another Tactful window is updating the search index"):
            index.update([doc("parent-new", "Pelican")], generation=2)
        assert time.monotonic() - start >= 0.45  # it waited before giving up
        with pytest.raises(IndexBusy):
            index.rebuild([doc("x", "y")], total=1, generation=3, kb_id="kb-proc")
        # Reading never waits for the writer: the old copy is still searched.
        assert [h.slug for h in index.search("heron").hits][:1] == ["parent-0"]
        assert index.state() is not None and index.state().generation == 1  # type: ignore[union-attr]

        # A patient writer gets its turn once the other process is done.
        waited: list[BaseException | None] = []

        def patient() -> None:
            try:
                SearchIndex(index_dir, writer_timeout=30).update(
                    [doc("parent-late", "Late pelican")], generation=43)
                waited.append(None)
            except BaseException as err:  # noqa: BLE001 - reported below
                waited.append(err)

        thread = threading.Thread(target=patient)
        thread.start()
        time.sleep(0.2)
        release.write_text("go")
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert "rebuilt" in out
        thread.join(30)
        assert waited == [None]
    finally:
        release.write_text("go")
        if child.poll() is None:
            child.kill()
            child.communicate()

    state = index.state()
    assert state is not None and state.kb_id == "kb-proc" and state.generation == 43
    assert len(index.search("pelicans", limit=50).hits) == 31  # the child's rebuild + the late one
    assert index.search("heron").hits == []  # the parent's old articles went with the rebuild
    index.close()


def test_two_processes_updating_at_once_never_crash(index_dir: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", CHILD_UPDATES, str(index_dir)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    index = SearchIndex(index_dir, writer_timeout=30)
    try:
        for i in range(15):
            index.update([doc(f"parent-note-{i}", "Kingfisher sightings.")], generation=2000 + i)
            index.search("kingfisher")
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    assert child.returncode == 0, err
    assert "done" in out
    slugs = {h.slug for h in index.search("kingfisher", limit=100).hits}
    assert slugs == {f"child-{i}" for i in range(15)} | {f"parent-note-{i}" for i in range(15)}
    assert set(index.hashes()) >= slugs
    assert index.state() is not None
    index.close()
