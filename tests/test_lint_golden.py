"""Golden files: for each category, a text and its exact expected findings.

``tests/golden/lint/<category>.txt`` holds realistic lines that should and should not be
flagged; ``<category>.json`` holds every finding the bundled rules produce for it (the
``tactful lint --json`` shape plus ``why``). A change to any rule that moves, adds or
drops a finding fails here, so it is seen and reviewed.

Regenerate on purpose, after checking the new findings are right:

    .venv/bin/python tests/test_lint_golden.py --regenerate

and review the diff of ``tests/golden/lint/*.json`` before committing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "lint"
CATEGORIES = (
    "blame", "distancing", "non-apology", "generic-apology", "dismissive",
    "over-promise", "hard-no", "shouting", "unfilled-placeholder", "readability",
)


def findings_for(category: str) -> list[dict]:
    from kb.lint import lint

    text = (GOLDEN / f"{category}.txt").read_text(encoding="utf-8")
    return [dict(f.to_json(), why=f.why) for f in lint(text)]


@pytest.mark.parametrize("category", CATEGORIES)
def test_golden(category: str) -> None:
    expected = json.loads((GOLDEN / f"{category}.json").read_text(encoding="utf-8"))
    actual = findings_for(category)
    assert actual == expected, f"findings changed; if intended, regenerate: {__doc__.split('Regenerate')[1]}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_golden_covers_its_category(category: str) -> None:
    """Each golden text exercises its own category (and the file is not empty by mistake)."""
    expected = json.loads((GOLDEN / f"{category}.json").read_text(encoding="utf-8"))
    assert any(f["category"] == category for f in expected)


def regenerate() -> None:
    for category in CATEGORIES:
        path = GOLDEN / f"{category}.json"
        path.write_text(json.dumps(findings_for(category), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        raise SystemExit("usage: tests/test_lint_golden.py --regenerate")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    regenerate()
