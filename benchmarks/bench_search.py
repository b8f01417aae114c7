"""Benchmark the Whoosh search engine against SQLite FTS5; prints numbers, asserts nothing.

Bars (issue 2): search p95 <= 30 ms at 20,000 articles with highlighting, and <= 4x
FTS5's p95 measured in the same run; the 2,459 real articles indexed fast enough for
import + index <= 30 s overall.

Bars (issue 12), on known-item sets built from each corpus's own titles
(``search_corpus.known_items``): a whole title with one letter dropped from its longest
word (hit rate >= 0.98), the first two words plus half the third (>= 0.95, crowded
queries excluded and counted), and every keystroke of typing a title; each p95 <= 30 ms,
<= 3x FTS5's p95 on the same queries, worst <= 100 ms.

    .venv/bin/python benchmarks/bench_search.py [--quick] [--size N] [--rounds R]

For each corpus (the real one, then a generated one of ``--size`` articles, see
``search_corpus.py``) and each engine, the build and the queries run in fresh child
processes, so peak memory (ru_maxrss) is per engine and per phase, and the query
process opens the index from disk as the app would.

Whoosh: ``kb.search.SearchIndex`` exactly as the app uses it (markdown stripping,
synonyms, typo tolerance, prefix completion, the status filter, highlighting).
FTS5: the same documents in an ``fts5`` table (porter unicode61 tokenizer, prefix
indexes, ``bm25()`` with the same column weights, ``snippet()`` for the highlight,
``word*`` for the unfinished last word, the same stop words dropped, OR between
words as in our engine). FTS5 has no typo tolerance or synonyms: its typo queries
just find little, which flatters it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from search_corpus import CORPUS, KnownItem, all_queries, corpus, known_items  # noqa: E402

FTS_WEIGHTS = (0.0, 3.0, 2.2, 2.0, 1.5, 1.0)  # slug, title, summary, tags, headings, body


def _peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# -- Whoosh -------------------------------------------------------------------------------


def whoosh_build(name: str, size: int, where: Path) -> dict:
    from kb import resources
    from kb.search import SearchIndex

    docs = corpus(name, size)
    loaded = _peak_mb()
    index = SearchIndex(where / "index", synonyms_path=resources.path("search", "synonyms.txt"))
    start = time.perf_counter()
    index.rebuild(docs, total=len(docs), generation=1, kb_id="bench")
    seconds = time.perf_counter() - start
    index.close()
    return {"docs": len(docs), "build_s": seconds, "size_mb": _size_mb(where / "index"),
            "peak_mb": _peak_mb(), "peak_before_build_mb": loaded}


def whoosh_query(rounds: int, where: Path) -> dict:
    from kb import resources
    from kb.search import IndexDoc, SearchIndex

    start = time.perf_counter()
    index = SearchIndex(where / "index", synonyms_path=resources.path("search", "synonyms.txt"))
    state = index.state()
    opened = time.perf_counter() - start
    start = time.perf_counter()
    index.search("outlook password")
    first = time.perf_counter() - start
    assert state is not None
    queries = all_queries()
    for _, q in queries:  # warm-up round (caches, page cache)
        index.search(q)
    timings: dict[str, list[float]] = {}
    hits = 0
    for _ in range(rounds):
        for kind, q in queries:
            t = time.perf_counter()
            results = index.search(q, limit=10, highlight=True)
            timings.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            hits += bool(results.hits)
    plain = []
    for _, q in queries:
        t = time.perf_counter()
        index.search(q, limit=10, highlight=False)
        plain.append((time.perf_counter() - t) * 1000)
    # Incremental update: a new article must be searchable within 200 ms.
    doc = IndexDoc(slug="bench-update", title="Quarterly zyxwvu report", summary="", tags=[],
                   status="vetted", body="The zyxwvu widget needs a restart.", content_hash="x")
    t = time.perf_counter()
    index.update([doc], generation=2)
    found = index.search("zyxwvu").hits
    visible = (time.perf_counter() - t) * 1000
    known = _known_items(where, lambda q: [h.slug for h in index.search(q, limit=10, highlight=True).hits])
    index.close()
    return {"open_ms": opened * 1000, "first_ms": first * 1000, "timings": timings,
            "no_highlight": plain, "with_hits": hits / (rounds * len(queries)),
            "update_visible_ms": visible, "update_found": bool(found), "peak_mb": _peak_mb(),
            "known": known}


# -- FTS5 ---------------------------------------------------------------------------------


def fts_build(name: str, size: int, where: Path) -> dict:
    from kb.search.plaintext import markdown_to_text

    docs = corpus(name, size)
    loaded = _peak_mb()
    db = where / "fts.db"
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(slug UNINDEXED, title, summary, tags, headings, body,"
        " status UNINDEXED, tokenize='porter unicode61', prefix='2 3')"
    )
    with conn:
        for doc in docs:
            plain = markdown_to_text(doc.body)
            conn.execute(
                "INSERT INTO docs VALUES (?,?,?,?,?,?,?)",
                (doc.slug, doc.title, doc.summary, " ".join(doc.tags), "\n".join(plain.headings),
                 plain.text, doc.status),
            )
    conn.execute("INSERT INTO docs(docs) VALUES('optimize')")
    conn.close()
    seconds = time.perf_counter() - start
    return {"docs": len(docs), "build_s": seconds, "size_mb": _size_mb(db),
            "peak_mb": _peak_mb(), "peak_before_build_mb": loaded}


def fts_expression(query: str) -> str:
    """The same reading of a query as our engine's, in FTS5 syntax."""
    from kb.search.analysis import STOP_WORDS

    parts = query.split('"')
    phrases = [p for i, p in enumerate(parts) if i % 2 == 1 and i < len(parts) - 1]
    loose_text = " ".join(p for i, p in enumerate(parts) if not (i % 2 == 1 and i < len(parts) - 1))
    words = [w.lower() for w in re.findall(r"\w+", loose_text)]
    open_last = bool(words) and bool(re.search(r"\w$", query))
    terms = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        if word in STOP_WORDS and not (last and open_last):
            continue
        terms.append(f'"{word}"*' if last and open_last else f'"{word}"')
    required = " AND ".join('"' + " ".join(re.findall(r"\w+", p)) + '"' for p in phrases if p.strip())
    loose = " OR ".join(terms)
    if required and loose:
        return f"({required}) AND ({loose})"
    return required or loose


def fts_query(rounds: int, where: Path) -> dict:
    start = time.perf_counter()
    conn = sqlite3.connect(where / "fts.db")
    conn.execute("SELECT count(*) FROM docs").fetchone()
    opened = time.perf_counter() - start
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    sql = (
        f"SELECT slug, title, summary, bm25(docs, {weights}) AS rank,"
        " snippet(docs, 5, '<b>', '</b>', '…', 24) FROM docs"
        " WHERE docs MATCH ? AND status = 'vetted' ORDER BY rank LIMIT 10"
    )
    queries = [(kind, q, fts_expression(q)) for kind, q in all_queries()]
    for _, _, expr in queries:
        if expr:
            conn.execute(sql, (expr,)).fetchall()
    timings: dict[str, list[float]] = {}
    hits = 0
    for _ in range(rounds):
        for kind, _, expr in queries:
            t = time.perf_counter()
            rows = conn.execute(sql, (expr,)).fetchall() if expr else []
            timings.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            hits += bool(rows)

    def titles(query: str) -> list[str]:
        expr = fts_expression(query)
        return [row[0] for row in conn.execute(sql, (expr,)).fetchall()] if expr else []

    known = _known_items(where, titles)
    conn.close()
    return {"open_ms": opened * 1000, "timings": timings,
            "with_hits": hits / (rounds * len(queries)), "peak_mb": _peak_mb(), "known": known}


# -- known items --------------------------------------------------------------------------


def _known_items(where: Path, search: Callable[[str], list[str]]) -> dict:
    """Time every known-item query once (after an untimed sample) and score the top ten.

    ``search`` returns the slugs of the top ten, best first.
    """
    items = [KnownItem(**row) for row in json.loads((where / "known.json").read_text())]
    for item in items[:: max(1, len(items) // 200)]:
        search(item.query)
    out: dict[str, dict] = {}
    for item in items:
        t = time.perf_counter()
        slugs = search(item.query)
        ms = (time.perf_counter() - t) * 1000
        kind = out.setdefault(item.kind, {"ms": [], "found": [], "slowest": []})
        kind["ms"].append(ms)
        found = not set(item.slugs).isdisjoint(slugs)
        kind["found"].append(found)
        if item.kind == "keystrokes" and item.query == item.title.lower():
            kind.setdefault("found_whole", []).append(found)
        if not found and item.kind != "keystrokes":
            kind.setdefault("misses", []).append([item.query, item.title, slugs[:3]])
        kind["slowest"] = sorted(kind["slowest"] + [[ms, item.query]], reverse=True)[:3]
    return out


def report_known(wq: dict, fq: dict, excluded: int) -> None:
    print(f"known items (top-10 hit rate; ms p50 / p95 / worst), {excluded} crowded prefix queries excluded:")
    print(f"  {'set':14}{'queries':>8}{'Whoosh hits':>13}{'Whoosh ms':>22}{'FTS5 hits':>11}{'FTS5 ms':>22}{'p95 ratio':>11}")
    for kind, w in wq["known"].items():
        f = fq["known"][kind]
        wms, fms = w["ms"], f["ms"]
        cell = lambda v: f"{_percentile(v, 50):.1f} / {_percentile(v, 95):.1f} / {max(v):.0f}"  # noqa: E731
        print(f"  {kind:14}{len(wms):>8}{sum(w['found']) / len(wms):>13.3f}{cell(wms):>22}"
              f"{sum(f['found']) / len(fms):>11.3f}{cell(fms):>22}"
              f"{_percentile(wms, 95) / max(_percentile(fms, 95), 1e-9):>10.2f}x")
        if "found_whole" in w:
            print(f"  {'':14}whole title typed: Whoosh {sum(w['found_whole']) / len(w['found_whole']):.3f}, "
                  f"FTS5 {sum(f['found_whole']) / len(f['found_whole']):.3f}")
        print(f"  {'':14}slowest: " + "; ".join(f"{ms:.0f} ms {q!r}" for ms, q in w["slowest"]))
        for query, title, got in w.get("misses", [])[:4]:
            print(f"  {'':14}miss: {query!r} -> wanted {title!r}, got {got}")


# -- orchestration ------------------------------------------------------------------------


def _child(args: argparse.Namespace) -> None:
    where = Path(args.dir)
    if args.child == "whoosh-build":
        out = whoosh_build(args.corpus, args.size, where)
    elif args.child == "whoosh-query":
        out = whoosh_query(args.rounds, where)
    elif args.child == "fts-build":
        out = fts_build(args.corpus, args.size, where)
    else:
        out = fts_query(args.rounds, where)
    print(json.dumps(out))


def _run(child: str, corpus_name: str, size: int, rounds: int, where: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", child, "--corpus", corpus_name, "--size", str(size),
           "--rounds", str(rounds), "--dir", str(where)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{child} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _all(timings: dict[str, list[float]]) -> list[float]:
    return [t for values in timings.values() for t in values]


def report(name: str, wb: dict, wq: dict, fb: dict, fq: dict) -> None:
    w_all, f_all = _all(wq["timings"]), _all(fq["timings"])
    w95, f95 = _percentile(w_all, 95), _percentile(f_all, 95)
    print(f"\n== {name}: {wb['docs']:,} articles ==")
    print(f"{'':28}{'Whoosh (Tactful)':>18}{'SQLite FTS5':>14}")
    rows = [
        ("index build (s)", wb["build_s"], fb["build_s"], "{:.1f}"),
        ("index size on disk (MB)", wb["size_mb"], fb["size_mb"], "{:.1f}"),
        ("peak RSS, build (MB)", wb["peak_mb"], fb["peak_mb"], "{:.0f}"),
        ("  of which corpus loaded", wb["peak_before_build_mb"], fb["peak_before_build_mb"], "{:.0f}"),
        ("peak RSS, queries (MB)", wq["peak_mb"], fq["peak_mb"], "{:.0f}"),
        ("open index (ms)", wq["open_ms"], fq["open_ms"], "{:.1f}"),
        ("query p50 (ms)", _percentile(w_all, 50), _percentile(f_all, 50), "{:.2f}"),
        ("query p95 (ms)", w95, f95, "{:.2f}"),
        ("query max (ms)", max(w_all), max(f_all), "{:.2f}"),
        ("queries with hits", wq["with_hits"] * 100, fq["with_hits"] * 100, "{:.0f}%"),
    ]
    for label, a, b, fmt in rows:
        print(f"{label:28}{fmt.format(a):>18}{fmt.format(b):>14}")
    print(f"p95 ratio Whoosh / FTS5: {w95 / f95:.2f}x (bar <= 4x); Whoosh p95 {w95:.1f} ms (bar <= 30 ms)")
    print(f"Whoosh without highlighting: p50 {_percentile(wq['no_highlight'], 50):.2f} ms, "
          f"p95 {_percentile(wq['no_highlight'], 95):.2f} ms; first search after open {wq['first_ms']:.0f} ms")
    print(f"incremental update visible to search after {wq['update_visible_ms']:.0f} ms "
          f"(found: {wq['update_found']}; bar <= 200 ms)")
    print("p50 / p95 by kind (ms):  " + "   ".join(
        f"{kind} {_percentile(v, 50):.1f}/{_percentile(v, 95):.1f} vs "
        f"{_percentile(fq['timings'][kind], 50):.1f}/{_percentile(fq['timings'][kind], 95):.1f}"
        for kind, v in wq["timings"].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="2,000 generated articles, 2 rounds")
    parser.add_argument("--size", type=int, default=20_000, help="generated articles (default 20,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds of the query mix")
    parser.add_argument("--only", choices=("real", "generated"), help="run one corpus only")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", default="real", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    if not CORPUS.is_dir():
        print(f"skipped: the corpus {CORPUS} is not present")
        return
    size, rounds = (2_000, 2) if args.quick else (args.size, args.rounds)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs; "
          f"{len(all_queries())} queries x {rounds} rounds")
    for name in (args.only,) if args.only else ("real", "generated"):
        where = Path(tempfile.mkdtemp(prefix=f"bench-search-{name}-"))
        items, excluded = known_items(corpus(name, size))
        (where / "known.json").write_text(json.dumps([asdict(i) for i in items]))
        try:
            wb = _run("whoosh-build", name, size, rounds, where)
            fb = _run("fts-build", name, size, rounds, where)
            wq = _run("whoosh-query", name, size, rounds, where)
            fq = _run("fts-query", name, size, rounds, where)
            report("real corpus" if name == "real" else "generated corpus", wb, wq, fb, fq)
            report_known(wq, fq, excluded)
        finally:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
