"""Find the modules the app really imports, so the spec can name them deliberately.

PyInstaller follows ``import`` statements, but Tactful loads its CLI commands with
``importlib`` and whoosh-reloaded ships stale modules that fail to import, so neither
"trust the analysis" nor ``collect_submodules('whoosh')`` is right. This script runs the
app's real paths from source, each in a fresh interpreter with a throw-away data folder:

* the CLI: first search (seeds the database, builds the index), a second search (reads
  the index from disk), show, lint (with a long sentence so readability grading runs),
  export, import, reindex;
* the GUI on the offscreen platform for a few seconds (first start, panels, close).

Every module in ``sys.modules`` at exit is recorded, and the ``whoosh.*`` ones are
written to ``packaging/traced-imports.txt``, which ``tactful.spec`` reads. Re-run it
when the search engine starts using another part of Whoosh:

    .venv/bin/python packaging/trace_imports.py

``--tests`` also runs the test suite under the same tracing (slower; reports modules the
tests reach that the scenarios above did not, without adding them to the list).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "traced-imports.txt"
TRACED_PACKAGES = ("whoosh",)  # third-party packages whose submodules we list by tracing

RISKY_REPLY = (
    "As I already said, you should have read the terms before ordering. "
    "We apologise for any inconvenience. Dear {name}, this will never happen again!! "
    "Unfortunately there is nothing I can do about the refund because the warehouse team, "
    "who are responsible for every parcel that leaves the building and for checking each "
    "item against the original order, would have to approve it first and they never do.\n"
)

_RUNNER = r"""
import atexit, json, os, sys
def _dump():
    with open(os.environ["TACTFUL_TRACE_OUT"], "w", encoding="utf-8") as f:
        json.dump(sorted(sys.modules), f)
atexit.register(_dump)
args = sys.argv[1:]
if not args:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([sys.argv[0]])
    QTimer.singleShot(int(os.environ.get("TACTFUL_TRACE_GUI_MS", "4000")), QApplication.closeAllWindows)
from kb.cli import main
code = main(args)
sys.exit(code)
"""


def _run(name: str, args: list[str], env: dict[str, str], out_dir: Path, stdin: str | None = None) -> set[str]:
    out = out_dir / f"{name}.json"
    env = dict(env, TACTFUL_TRACE_OUT=str(out))
    proc = subprocess.run(
        [sys.executable, "-c", _RUNNER, *args],
        cwd=ROOT, env=env, input=stdin, text=True, capture_output=True, timeout=300,
    )
    if not out.exists():
        raise SystemExit(f"trace {name} failed (exit {proc.returncode}):\n{proc.stderr}")
    print(f"  {name:<14} exit {proc.returncode}", file=sys.stderr)
    return set(json.loads(out.read_text(encoding="utf-8")))


def scenarios(tmp: Path) -> dict[str, set[str]]:
    home = tmp / "home"
    env = dict(os.environ, TACTFUL_HOME=str(home), QT_QPA_PLATFORM="offscreen", HOME=str(tmp / "user"))
    (tmp / "user").mkdir()
    export_dir = tmp / "export"
    runs = {
        "search-first": (["search", "refund", "--json"], None),
        "search-again": (["search", "refnud", "--limit", "3"], None),
        "show": (["show", "three-key-questions"], None),
        "lint": (["lint", "--json", "--fail-on", "suggestion", "-"], RISKY_REPLY),
        "export": (["export", str(export_dir)], None),
        "import": (["import", str(export_dir)], None),
        "reindex": (["reindex"], None),
        "gui": ([], None),
        "gui-again": ([], None),
    }
    return {name: _run(name, args, env, tmp, stdin) for name, (args, stdin) in runs.items()}


def traced(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in TRACED_PACKAGES)


def from_tests(tmp: Path) -> set[str]:
    plugin = tmp / "trace_plugin.py"
    out = tmp / "tests.json"
    plugin.write_text(
        "import json, sys\n"
        "def pytest_sessionfinish(session, exitstatus):\n"
        f"    json.dump(sorted(sys.modules), open({str(out)!r}, 'w'))\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(tmp), QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "trace_plugin", "-x"], cwd=ROOT, env=env)
    return set(json.loads(out.read_text(encoding="utf-8")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tests", action="store_true", help="also trace the test suite (report only)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the list on disk is out of date")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tactful-trace-") as tmp_name:
        tmp = Path(tmp_name)
        print("Tracing imports (fresh interpreter per scenario):", file=sys.stderr)
        runs = scenarios(tmp)
        union = set().union(*runs.values())
        modules = traced(union)
        text = (
            "# whoosh modules the app imports, traced by packaging/trace_imports.py; read by\n"
            "# tactful.spec as hidden imports. Regenerate, don't edit by hand.\n"
            + "".join(f"{m}\n" for m in modules)
        )
        if opts.check:
            current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
            if current != text:
                print(f"{OUT.name} is out of date: run packaging/trace_imports.py", file=sys.stderr)
                return 1
        else:
            OUT.write_text(text, encoding="utf-8")
            print(f"Wrote {len(modules)} modules to {OUT.relative_to(ROOT)}", file=sys.stderr)
        gui_only = sorted({m.split(".")[0] for m in runs["gui"]} - {m.split(".")[0] for m in runs["search-first"]})
        print("Top-level packages the GUI adds to the CLI:", ", ".join(gui_only), file=sys.stderr)
        qt = sorted(m for m in union if m.startswith("PySide6."))
        print("PySide6 modules used:", ", ".join(qt), file=sys.stderr)
        if opts.tests:
            extra = traced(from_tests(tmp)) 
            missing = sorted(set(extra) - set(modules))
            print("whoosh modules the tests reach beyond the app:", ", ".join(missing) or "none", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
