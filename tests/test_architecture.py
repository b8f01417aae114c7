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


def test_every_package_is_installed() -> None:
    """A wheel carries exactly the packages pyproject.toml lists; a missing one breaks installs."""
    import tomllib
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    listed = set(tomllib.loads((repo / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(repo).parts)
        for top in ("kb", "desktop")
        for init in (repo / top).rglob("__init__.py")
    }
    assert on_disk <= listed, f"add to pyproject.toml: {sorted(on_disk - listed)}"
