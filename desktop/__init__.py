"""Tactful's PySide6 desktop app; ``desktop.app.main`` starts it.

Importing the package imports PySide6 and spares it one start-up cost. After its own
import, PySide6 reads the source file of every module imported later, to learn whether
it mentions "PySide6"; the answer only matters to modules that opt in to its
``__feature__`` switches (``snake_case``, ``true_property``), which Tactful never does.
The answer for Tactful's own modules is known, so it is recorded before they load:
that saves reading about a hundred files, some 5-7 ms of a cold start
(``benchmarks/bench_startup.py``). Values are what PySide6 itself would have recorded.
"""

from __future__ import annotations

import os

import PySide6.QtCore  # noqa: F401 - PySide6 installs the import hook this pre-empts


def _record_own_modules() -> None:
    try:
        from PySide6.support import feature

        table = feature.pyside_feature_dict  # type: ignore[attr-defined]
    except (ImportError, AttributeError):  # another PySide6 version: it simply reads them
        return
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # 0: uses PySide6 (the GUI); -1: does not (the core never imports Qt).
    for package, uses_pyside in (("desktop", 0), ("kb", -1)):
        for folder, _dirs, files in os.walk(os.path.join(project, package)):
            prefix = os.path.relpath(folder, project).replace(os.sep, ".")
            for name in files:
                if name.endswith(".py"):
                    module = prefix if name == "__init__.py" else f"{prefix}.{name[:-3]}"
                    table.setdefault(module, uses_pyside)


_record_own_modules()
