"""The checker meets its bars on labelled replies, and agrees with the bundled playbook."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from kb import resources
from kb.lint import lint
from kb.models import CATEGORIES

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = REPO.parent / "shared" / "eval" / "phrasing_sample.jsonl"

sys.path.insert(0, str(REPO / "tools"))
try:
    import eval_phrasing
finally:
    sys.path.remove(str(REPO / "tools"))


@pytest.mark.parametrize("name", ["sample"] + sorted(p.name for p in DATA.glob("phrasing_*.jsonl")))
def test_recall_and_precision_bars(name: str) -> None:
    path = SAMPLE if name == "sample" else DATA / name
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    result = eval_phrasing.score(eval_phrasing.load(path), lint)
    details = "\n".join(result.misses + result.false_alarms)
    assert result.recall >= 0.95, details
    assert result.precision >= 0.95, details
    assert result.category_precision >= 0.95, details
    assert result.clean_false_positive_rate <= 0.02, details


def test_dev_set_is_large_and_varied() -> None:
    rows = eval_phrasing.load(DATA / "phrasing_dev.jsonl")
    assert len(rows) >= 150
    assert len({row["text"] for row in rows}) == len(rows), "no duplicate lines"
    slots = {c for row in rows for slot in row["expect"] for c in slot.split("|")}
    assert slots == set(CATEGORIES)
    assert sum(1 for row in rows if not row["expect"]) >= 75, "plenty of hard negatives"


# -- the bundled playbook: phrases that work are clean, phrases to avoid are flagged ------------

ARTICLES = sorted(resources.path("playbook", "articles").glob("*.md"))
SNIPPET_FILES = sorted(resources.path("playbook", "snippets").glob("*.yaml"))


def _section(body: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}\s*\n(.*?)(?=^## |\Z)", body, re.M | re.S)
    return m.group(1) if m else ""


def _phrases(section: str) -> list[str]:
    return re.findall(r'^\s*[-*]\s+"([^"]+)"', section, re.M)


def _articles() -> list[Path]:
    if not ARTICLES:
        pytest.skip("the bundled playbook has no articles yet")
    return ARTICLES


def test_phrases_that_work_lint_clean() -> None:
    bad = [
        f"{path.stem}: {phrase!r} -> {[f.rule for f in lint(phrase)]}"
        for path in _articles()
        for phrase in _phrases(_section(path.read_text(encoding="utf-8"), "Phrases that work"))
        if lint(phrase)
    ]
    assert bad == []


def test_phrases_to_avoid_are_flagged() -> None:
    missed = [
        f"{path.stem}: {phrase!r}"
        for path in _articles()
        for phrase in _phrases(_section(path.read_text(encoding="utf-8"), "Phrases to avoid"))
        if not lint(phrase)
    ]
    assert missed == []


def test_better_replies_lint_clean() -> None:
    bad = []
    for path in _articles():
        m = re.search(r"^### A better reply\s*\n(.*?)(?=^#|\Z)", path.read_text(encoding="utf-8"), re.M | re.S)
        if not m:
            continue
        reply = "\n".join(re.sub(r"^>\s?", "", line) for line in m.group(1).strip().splitlines())
        findings = lint(reply)
        if findings:
            bad.append(f"{path.stem}: {[(f.rule, f.match) for f in findings]}")
    assert bad == []


def test_bundled_snippets_lint_clean() -> None:
    if not SNIPPET_FILES:
        pytest.skip("the bundled playbook has no snippets yet")
    bad = []
    for path in SNIPPET_FILES:
        for snippet in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("snippets", []):
            values = {
                f["name"]: str(f.get("sample") or f.get("default") or f.get("label") or f["name"])
                for f in snippet.get("fields", [])
            }
            text = re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group()), snippet["text"])
            findings = lint(text)
            if findings:
                bad.append(f"{path.name}:{snippet['slug']}: {[(f.rule, f.match) for f in findings]}")
    assert bad == []


def test_eval_script_prints_the_numbers(capsys) -> None:
    assert eval_phrasing.main([str(DATA / "phrasing_dev.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "slot recall" in out and "precision" in out and "clean lines flagged" in out


def test_clean_lines_with_a_finding_are_counted() -> None:
    rows = [{"text": "Calm down.", "expect": []}, {"text": "Thanks, it is on its way.", "expect": []}]
    result = eval_phrasing.score(rows, lint)
    assert (result.clean, result.clean_flagged, result.clean_false_positive_rate) == (2, 1, 0.5)


def test_data_sets_are_well_formed() -> None:
    for path in DATA.glob("phrasing_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert set(row) == {"text", "expect"}
            for slot in row["expect"]:
                assert set(slot.split("|")) <= set(CATEGORIES), (path.name, slot)
