"""Measure the phrasing checker against labelled replies: slot recall and precision.

Each line of a data set is ``{"text": ..., "expect": [slot, ...]}``. A slot is a category
or several joined by ``|`` (``"hard-no|dismissive"``: either one meets it). Scoring:

* recall: the share of slots met by at least one finding of a listed category;
* precision: the share of findings whose category matches one of the line's slots (a
  finding of any category named in an ``a|b`` slot is not a false positive). Printed
  twice: counting every finding, and counting each category once per line;
* clean lines flagged: of the lines that expect nothing, the share with any finding.

Usage::

    .venv/bin/python tools/eval_phrasing.py            # the shared sample and tests/data/phrasing_dev.jsonl
    .venv/bin/python tools/eval_phrasing.py -v FILE    # one data set, listing every miss and false alarm
    .venv/bin/python tools/eval_phrasing.py --with-rules resources/learned-rules FILE   # with the learned model on
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_SETS = (
    REPO.parent / "shared" / "eval" / "phrasing_sample.jsonl",
    REPO / "tests" / "data" / "phrasing_dev.jsonl",
)


@dataclass
class Score:
    slots: int = 0
    met: int = 0
    findings: int = 0
    good_findings: int = 0
    categories: int = 0
    good_categories: int = 0
    lines: int = 0
    clean: int = 0
    clean_flagged: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.met / self.slots if self.slots else 1.0

    @property
    def precision(self) -> float:
        return self.good_findings / self.findings if self.findings else 1.0

    @property
    def clean_false_positive_rate(self) -> float:
        """The share of lines that should get no finding at all but got one."""
        return self.clean_flagged / self.clean if self.clean else 0.0

    @property
    def category_precision(self) -> float:
        return self.good_categories / self.categories if self.categories else 1.0


def load(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{number}: not valid JSON ({exc})") from None
        if not isinstance(row.get("text"), str) or not isinstance(row.get("expect"), list):
            raise SystemExit(f"{path}:{number}: needs 'text' (string) and 'expect' (list)")
        rows.append(row)
    return rows


def score(rows: list[dict], lint) -> Score:
    result = Score()
    for row in rows:
        result.lines += 1
        findings = lint(row["text"])
        slots = [set(slot.split("|")) for slot in row["expect"]]
        allowed = set().union(*slots) if slots else set()
        found = {f.category for f in findings}
        if not slots:
            result.clean += 1
            result.clean_flagged += bool(findings)
        for slot in slots:
            result.slots += 1
            if slot & found:
                result.met += 1
            else:
                result.misses.append(f"MISS {'|'.join(sorted(slot))}: {row['text']}")
        for finding in findings:
            result.findings += 1
            if finding.category in allowed:
                result.good_findings += 1
            else:
                result.false_alarms.append(
                    f"FALSE {finding.category} ({finding.rule}: {finding.match!r}): {row['text']}"
                )
        result.categories += len(found)
        result.good_categories += len(found & allowed)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="JSONL data sets (default: the sample and the dev set)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--with-rules", type=Path, action="append", default=[], metavar="DIR",
                        help="also load the rule files in DIR, as a team would (e.g. resources/learned-rules)")
    args = parser.parse_args(argv)
    if args.with_rules:
        from kb.lint import Linter

        lint = Linter.load(team_rule_dirs=args.with_rules).lint
    else:
        from kb.lint import lint

    paths = args.paths or [p for p in DEFAULT_SETS if p.is_file()]
    if not paths:
        print("No data sets found.", file=sys.stderr)
        return 2
    for path in paths:
        result = score(load(path), lint)
        print(
            f"{path.name}: {result.lines} lines, {result.slots} slots, {result.findings} findings | "
            f"slot recall {result.recall:.3f} | precision {result.precision:.3f} "
            f"(per category per line {result.category_precision:.3f}) | "
            f"clean lines flagged {result.clean_flagged}/{result.clean} ({result.clean_false_positive_rate:.1%})"
        )
        if args.verbose:
            for line in result.misses + result.false_alarms:
                print("   ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
