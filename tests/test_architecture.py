"""The shape of the code: the core never loads Qt (STYLE.md #1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kb


def test_kb_never_imports_qt() -> None:
    modules = sorted(
        name
        for _, name, _ in pkgutil.walk_packages(kb.__path__, prefix="kb.")
        if not name.endswith("__main__")
    )
    assert "kb.models" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"kb imported Qt: {out.stdout}"


def test_import_kb_is_cheap() -> None:
    """``import kb`` must not drag in SQLite helpers, Whoosh or Markdown."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, kb; print(','.join(m for m in ('sqlite_utils', 'whoosh', 'markdown') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == ""
