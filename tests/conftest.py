"""Shared fixtures: every test gets its own data folder; Qt runs offscreen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything can import Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# No machine-wide policy (/etc/tactful/policy.json, one beside the checkout) leaks into a
# test or the processes it starts; policy tests point this at a file of their own.
os.environ["TACTFUL_POLICY_FILE"] = ""

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


@pytest.fixture(autouse=True)
def no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected would wait for a click forever; fail the test instead.

    Tests that expect one patch the method themselves (their patch wins, it comes later).
    """
    try:
        from PySide6.QtWidgets import QMessageBox
    except ImportError:  # pragma: no cover - the core tests run without Qt too
        return

    def unexpected(kind: str):
        def show(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            texts = [a for a in args if isinstance(a, str)]
            raise AssertionError(f"unexpected QMessageBox.{kind}: {texts}")

        return show

    for kind in ("warning", "critical", "information", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(unexpected(kind)))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the test process without Python's teardown once pytest has reported everything.

    PySide6 6.12 sometimes releases ``True``/``False`` once too often while Qt objects are
    torn down at interpreter exit ("Fatal Python error: bool_dealloc"), which would turn
    a green run into an abort. The app avoids the same teardown (``desktop.app._exit_now``).
    """
    import sys

    if "PySide6" not in sys.modules or os.environ.get("TACTFUL_NO_HARD_EXIT"):
        return
    status = getattr(config, "_tactful_exitstatus", 0)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(int(status))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config._tactful_exitstatus = exitstatus  # type: ignore[attr-defined]
