"""The compiled-regex cache: later starts load the rules from it, and it can never change
what the checker finds, whatever state the file is in."""

from __future__ import annotations

import json
import marshal
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kb.lint import compiled
from kb.lint.compiled import CompiledCache
from kb.paths import DataPaths

REPO = Path(__file__).resolve().parent.parent
PATTERN = r"\b(?:sorry (?:if|that) you (?:feel|felt|think))\b|(?P<calm>calm down)"
TEXTS = [
    "I'm sorry if you feel that way.",
    "Please calm down, sir.",
    "Thanks for waiting, the refund is on its way.",
]

_LOAD_AND_LINT = """
import json, sys
from kb.lint import Linter
from kb.lint.compiled import CACHE
linter = Linter.load(compiled_cache=sys.argv[1])
texts = json.loads(sys.argv[2])
print(json.dumps({
    "hits": CACHE.hits, "misses": CACHE.misses,
    "findings": [[(f.rule, f.start, f.end) for f in linter.lint(t)] for t in texts],
}))
"""

REPLIES = [
    "I'm sorry if you feel that way, but you should have read the terms.",
    "They won't let me refund it. Please calm down!!",
    "Sorry for any inconvenience. This will never happen again.",
    "Hi {first_name}, no.",
    "Thanks for bearing with us: the replacement left the warehouse this morning.",
]


def _run(cache: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _LOAD_AND_LINT, str(cache), json.dumps(REPLIES)],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=120,
    )
    return json.loads(out.stdout)


def _matches(regex: re.Pattern[str]) -> list:
    return [(m.span(), m.lastgroup) if (m := regex.search(t)) else None for t in TEXTS]


def _expected() -> list:
    return _matches(re.compile(PATTERN, re.I))


def test_a_later_start_reads_every_rule_from_the_cache_and_finds_the_same_slips(tmp_path):
    cache = tmp_path / "cache" / compiled.file_name()
    first = _run(cache)
    assert first["misses"] > 20 and cache.is_file()
    later = _run(cache)
    assert later["misses"] == 0 and later["hits"] == first["misses"] + first["hits"]
    assert later["findings"] == first["findings"]
    assert all(first["findings"][:4]) and first["findings"][4] == []


def _saved(path: Path) -> CompiledCache:
    """A cache that compiled PATTERN and wrote it to ``path``."""
    writer = CompiledCache()
    writer.use_file(path)
    assert _matches(writer.compile(PATTERN, re.I)) == _expected()
    assert writer.save() and path.is_file()
    return writer


def test_the_cache_file_round_trips_a_pattern(tmp_path):
    path = tmp_path / "c.bin"
    _saved(path)
    reader = CompiledCache()
    reader.use_file(path)
    regex = reader.compile(PATTERN, re.I)
    assert (reader.hits, reader.misses) == (1, 0)
    assert _matches(regex) == _expected() and regex.groupindex == {"calm": 1}
    assert not reader.save(), "nothing new was compiled, so nothing is written"


def test_an_edited_pattern_or_other_flags_compile_afresh(tmp_path):
    path = tmp_path / "c.bin"
    _saved(path)
    reader = CompiledCache()
    reader.use_file(path)
    assert reader.compile(PATTERN, 0).search("Calm down") is None
    assert reader.compile(PATTERN + "|no", re.I).search("no") is not None
    assert (reader.hits, reader.misses) == (0, 2)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x00\xffnot marshal at all" * 50,
        marshal.dumps([1, 2, 3]),
        marshal.dumps((compiled.FORMAT, ("other-python", "9.9", 1, 4), {})),
        marshal.dumps((compiled.FORMAT + 1, compiled._ENGINE, {})),
    ],
    ids=["empty", "garbage", "wrong-shape", "other-python", "newer-format"],
)
def test_a_damaged_or_foreign_cache_file_is_ignored_and_rewritten(tmp_path, content):
    path = tmp_path / "c.bin"
    path.write_bytes(content)
    cache = CompiledCache()
    cache.use_file(path)
    assert _matches(cache.compile(PATTERN, re.I)) == _expected()
    assert cache.misses == 1
    assert cache.save()
    again = CompiledCache()
    again.use_file(path)
    again.compile(PATTERN, re.I)
    assert again.hits == 1


def test_a_tampered_entry_falls_back_to_compiling_the_pattern(tmp_path):
    path = tmp_path / "c.bin"
    _saved(path)
    fmt, engine, entries = marshal.loads(path.read_bytes())
    entries = {key: (flags, [0xFFFF] * len(code), groups, gi, ig) for key, (flags, code, groups, gi, ig) in entries.items()}
    path.write_bytes(marshal.dumps((fmt, engine, entries)))
    reader = CompiledCache()
    reader.use_file(path)
    assert _matches(reader.compile(PATTERN, re.I)) == _expected()
    assert reader.misses == 1


def test_a_broken_pattern_is_still_reported():
    with pytest.raises(re.error):
        CompiledCache().compile(r"(unclosed")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder the user cannot write")
def test_a_read_only_folder_only_means_no_cache(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        cache = CompiledCache()
        cache.use_file(folder / "c.bin")
        assert cache.compile(PATTERN, re.I).search("calm down")
        assert cache.save() is False
    finally:
        folder.chmod(0o700)


def test_a_file_in_the_way_only_means_no_cache(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    cache = CompiledCache()
    cache.use_file(blocker / "c.bin")
    assert cache.compile(PATTERN, re.I).search("calm down")
    assert cache.save() is False


def test_the_data_folder_keeps_the_cache_in_its_cache_folder(tmp_path):
    from kb.lint import load_team_sources

    paths = DataPaths(tmp_path)
    assert load_team_sources(paths)["compiled_cache"] == tmp_path / "cache" / compiled.file_name()


def test_a_file_half_written_by_a_killed_process_is_cleared_up(tmp_path):
    path = tmp_path / "c.bin"
    leftover = tmp_path / "c.bin.abc123.tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (0, 0))
    fresh = tmp_path / "c.bin.def456.tmp"
    fresh.write_bytes(b"another process is writing this one")
    _saved(path)
    assert not leftover.exists() and fresh.exists()
