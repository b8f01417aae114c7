"""Benchmark the knowledge base as the app and the CLI use it; prints numbers, asserts nothing.

Bars (issue 2): the 2,459 real articles imported and indexed in <= 30 s; opening an
existing knowledge base <= 300 ms.

    .venv/bin/python benchmarks/bench_kb.py [--corpus PATH] [--rounds R]

Each measurement runs in a fresh child process, as a user starting the app or the CLI
would, so import costs (Python modules, SQLite, Whoosh) are counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "officedocs-support"

IMPORT = """
import json, sys, time
t0 = time.perf_counter()
from kb import KnowledgeBase
kb = KnowledgeBase.open(sys.argv[1], seed=False)
t1 = time.perf_counter()
report = kb.import_markdown(sys.argv[2])
t2 = time.perf_counter()
kb.close()
print(json.dumps({"open": t1 - t0, "import": t2 - t1, "imported": report.imported,
                  "problems": len(report.problems)}))
"""

OPEN = """
import json, sys, time
t0 = time.perf_counter()
from kb import KnowledgeBase
kb = KnowledgeBase.open(sys.argv[1])
t1 = time.perf_counter()
hits = kb.search("outlook signature", limit=10)
t2 = time.perf_counter()
kb.close()
print(json.dumps({"open": t1 - t0, "first_search": t2 - t1, "hits": len(hits)}))
"""

SEED = """
import json, sys, time
t0 = time.perf_counter()
from kb import KnowledgeBase
kb = KnowledgeBase.open(sys.argv[1])
t1 = time.perf_counter()
kb.ensure_index()
t2 = time.perf_counter()
print(json.dumps({"seed": t1 - t0, "index": t2 - t1, "articles": len(kb.articles()),
                  "snippets": len(kb.snippets())}))
"""


def child(script: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          cwd=REPO, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}; corpus {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        seeded = child(SEED, str(Path(tmp) / "seeded"))
        print(f"first start (seed bundled playbook): {seeded['seed'] * 1000:.0f} ms "
              f"({seeded['articles']} articles, {seeded['snippets']} snippets), "
              f"first index build {seeded['index'] * 1000:.0f} ms")
        if not args.corpus.is_dir():
            print("corpus not found; skipping the import benchmark")
            return
        home = str(Path(tmp) / "home")
        imported = child(IMPORT, home, str(args.corpus))
        total = imported["open"] + imported["import"]
        print(f"import + index of {imported['imported']} files ({imported['problems']} skipped): "
              f"{total:.1f} s (bar <= 30 s)")
        again = child(IMPORT, home, str(args.corpus))
        print(f"re-import of the same folder (nothing changed): {again['import']:.1f} s")
        opens, firsts = [], []
        for _ in range(args.rounds):
            result = child(OPEN, home)
            opens.append(result["open"] * 1000)
            firsts.append(result["first_search"] * 1000)
        print(f"open an existing knowledge base ({args.rounds} runs): median {statistics.median(opens):.0f} ms, "
              f"max {max(opens):.0f} ms (bar <= 300 ms)")
        print(f"then the first search: median {statistics.median(firsts):.0f} ms "
              f"(loads Whoosh and opens the index)")


if __name__ == "__main__":
    main()
