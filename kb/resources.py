"""The one place that finds bundled files (playbook, rules, synonyms, styles, icons).

In a source checkout or an editable install they live in ``resources/`` at the project
root; a wheel installs them as the package ``tactful_resources``; a frozen (PyInstaller)
app unpacks them to ``<bundle>/tactful_resources``. Callers ask for a path relative to
the resources root and never care which case applies. ``BUNDLED`` is the list the
packaging spec collects, so the frozen app carries exactly what this module reads.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = "tactful_resources"

# Top-level entries of resources/ that ship with the app (used by packaging/).
BUNDLED = ("playbook", "rules", "learned-rules", "models", "lexicon", "search", "styles", "icons", "licenses")


@lru_cache(maxsize=1)
def root() -> Path:
    """The folder holding the bundled resources."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base:
        return Path(frozen_base) / PACKAGE
    # The two layouts we ship are plain folders beside ``kb``: checked by path first,
    # because importing importlib.resources costs the app's start-up ~5 ms.
    packages = Path(__file__).resolve().parent.parent
    for candidate in (packages / PACKAGE, packages / "resources"):  # wheel, then checkout
        if (candidate / "playbook").is_dir():
            return candidate
    try:
        import importlib.resources

        files = importlib.resources.files(PACKAGE)
        path = Path(str(files))
        if path.is_dir():
            return path
    except ModuleNotFoundError:
        pass
    return packages / "resources"


def path(*parts: str) -> Path:
    """The path of a bundled file or folder, e.g. ``path("rules")``."""
    return root().joinpath(*parts)


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")
