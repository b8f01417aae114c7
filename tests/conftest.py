"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything can import Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "officedocs-support"
EVAL_SAMPLE = SHARED / "eval" / "phrasing_sample.jsonl"


@pytest.fixture(autouse=True)
def tactful_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data folder for each test (also exported as TACTFUL_HOME)."""
    home = tmp_path / "home"
    monkeypatch.setenv("TACTFUL_HOME", str(home))
    return home


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpora/officedocs-support is not present")
    return CORPUS
