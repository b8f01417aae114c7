"""Train the phrasing checker's learned second opinion (``kb.lint.learned``).

Reads every labelled set in ``tests/data`` except the ones kept apart for measuring
(``HELD_OUT``), each rule's ``examples``, the playbook's vetted snippets and its own
guidance to reps (articles and recipe hints, as clean lines), and real agent
replies as clean lines (``tests/data/learned``: 3,000 MultiWOZ / CamRest676 agent turns
from the ``convlab`` 3.0.1 sdist, Apache-2.0, so that ordinary replies stay quiet), and fits one logistic regression per
category over word and letter n-grams (scikit-learn, a development dependency only:
the app reads the result with numpy). Each category's threshold is chosen by
cross-validation across the sets (each set left out in turn, the same situation as a
new writer's wording): the lowest threshold at which the model still reaches
``TARGET_PRECISION`` on the set it did not see and flags at most ``MAX_CLEAN_RATE`` of
its clean lines.

    .venv/bin/python tools/train_phrasing_model.py            # writes resources/models/phrasing.npz
    .venv/bin/python tools/train_phrasing_model.py --check    # exit 1 if the data changed since

Training is deterministic: the same data gives the same file. The file records a hash
of what it was trained on, so ``--check`` (and the test suite) can tell when the
labelled sets changed without retraining (which takes a few minutes).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kb.lint import learned  # noqa: E402
from kb.lint.rules import LEARNED_CATEGORIES  # noqa: E402

DATA = REPO / "tests" / "data"
RULES = REPO / "resources" / "rules"
PLAYBOOK = REPO / "resources" / "playbook"
SNIPPETS = PLAYBOOK / "snippets"
OUT = REPO / "resources" / "models" / learned.MODEL_FILE
CATEGORIES = LEARNED_CATEGORIES
HELD_OUT = frozenset({"phrasing_round4b.jsonl", "phrasing_round4c.jsonl", "phrasing_round4d.jsonl"})
"""Sets written apart and never tuned or trained on: they measure wording nobody has seen."""
MIN_DF = 2
C = 4.0
TARGET_PRECISION = 0.93
MAX_CLEAN_RATE = 0.002
"""Each category may flag at most this share of clean lines it was not trained on."""
THRESHOLDS = tuple(round(0.5 + 0.025 * i, 3) for i in range(20))  # 0.5 ... 0.975


def examples() -> list[tuple[str, frozenset[str], str]]:
    """(text, categories, group): every labelled line; the group is where it came from."""
    import yaml

    out: list[tuple[str, frozenset[str], str]] = []
    for path in sorted(DATA.rglob("phrasing_*.jsonl")):
        if path.name in HELD_OUT:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels = frozenset(c for slot in row["expect"] for c in slot.split("|"))
                out.append((row["text"], labels, path.name))
    for path in sorted((DATA / "learned").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append((json.loads(line)["text"], frozenset(), path.name))
    for path in sorted(SNIPPETS.glob("*.yaml")):
        for snippet in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("snippets") or ():
            out.append((snippet["text"], frozenset(), "playbook-snippets"))
    for path in sorted(RULES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("extends") == "learned":
            continue
        found = data.get("examples") or {}
        for text in found.get("bad") or ():
            out.append((text, frozenset({data["category"]}), "rule-examples"))
        for text in found.get("good") or ():
            out.append((text, frozenset(), "rule-examples"))
    out.extend((text, frozenset(), "playbook-guidance") for text in guidance())
    return out


def guidance() -> list[str]:
    """The playbook's own advice to reps, sentence by sentence, with the quoted examples
    of what not to say left out (the checker reads article prose the same way)."""
    import yaml

    from kb.lint.text import analyse

    texts = []
    for path in sorted((PLAYBOOK / "articles").glob("*.md")):
        doc = analyse(path.read_text(encoding="utf-8"))
        texts.extend(t for _, _, t in learned.sentence_texts(doc))
    for path in sorted((PLAYBOOK / "recipes").glob("*.yaml")):
        for stage in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("stages") or ():
            texts.extend(str(stage[key]) for key in ("title", "hint") if stage.get(key))
    return texts


def matrix(texts: list[str], index: dict[str, int], idf: np.ndarray):
    from scipy.sparse import csr_matrix

    model = learned.Model((), index, idf, np.zeros((len(index), 0), np.float32), np.zeros(0), np.zeros(0))
    rows, columns, values = model.vectors(texts)
    return csr_matrix((values, (rows, columns)), shape=(len(texts), len(index)), dtype=np.float64)


def vocabulary(texts: list[str]) -> tuple[dict[str, int], np.ndarray]:
    df: Counter[str] = Counter()
    for text in texts:
        df.update(learned.ngrams(text).keys())
    terms = sorted(t for t, n in df.items() if n >= MIN_DF)
    n = len(texts)
    idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float32)
    return {t: i for i, t in enumerate(terms)}, idf


def fit(texts: list[str], labels: list[frozenset[str]]):
    from sklearn.linear_model import LogisticRegression

    index, idf = vocabulary(texts)
    X = matrix(texts, index, idf)
    weights = np.zeros((len(index), len(CATEGORIES)), np.float32)
    bias = np.zeros(len(CATEGORIES), np.float32)
    for j, category in enumerate(CATEGORIES):
        y = np.array([category in label for label in labels])
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
        clf.fit(X, y)
        weights[:, j] = clf.coef_[0]
        bias[j] = clf.intercept_[0]
    return index, idf, weights, bias


def choose_thresholds(rows: list[tuple[str, frozenset[str], str]]) -> np.ndarray:
    """Per category, the lowest threshold that keeps out-of-set precision and clean lines
    flagged within the targets."""
    groups = sorted({g for _, _, g in rows})
    probabilities = np.zeros((len(rows), len(CATEGORIES)))
    for group in groups:
        train = [r for r in rows if r[2] != group]
        test = [i for i, r in enumerate(rows) if r[2] == group]
        index, idf, weights, bias = fit([t for t, _, _ in train], [l for _, l, _ in train])
        model = learned.Model(CATEGORIES, index, idf, weights, bias, np.zeros(len(CATEGORIES)))
        probabilities[test] = model.probabilities([rows[i][0] for i in test])
    clean = np.array([not label for _, label, _ in rows])
    chosen = []
    for j, category in enumerate(CATEGORIES):
        truth = np.array([category in label for _, label, _ in rows])
        pick = THRESHOLDS[-1]
        for threshold in THRESHOLDS:
            said = probabilities[:, j] >= threshold
            precision = (said & truth).sum() / max(said.sum(), 1)
            if precision >= TARGET_PRECISION and (said & clean).sum() / clean.sum() <= MAX_CLEAN_RATE:
                pick = threshold
                break
        said = probabilities[:, j] >= pick
        precision = (said & truth).sum() / max(said.sum(), 1)
        recall = (said & truth).sum() / max(truth.sum(), 1)
        print(
            f"  {category:16} threshold {pick:.3f}: out-of-set precision {precision:.3f}, recall {recall:.3f}, "
            f"clean lines flagged {(said & clean).sum() / clean.sum():.2%}",
            file=sys.stderr,
        )
        chosen.append(pick)
    return np.array(chosen, np.float32)


def fingerprint(rows: list[tuple[str, frozenset[str], str]]) -> str:
    """What the model was trained from: the data and the settings, hashed."""
    import hashlib

    digest = hashlib.sha256(repr((MIN_DF, C, TARGET_PRECISION, MAX_CLEAN_RATE, THRESHOLDS, CATEGORIES)).encode())
    for text, labels, group in sorted(rows, key=lambda r: (r[2], r[0], sorted(r[1]))):
        digest.update(f"{group}\0{text}\0{','.join(sorted(labels))}\n".encode("utf-8"))
    return digest.hexdigest()


def train() -> learned.Model:
    rows = examples()
    print(f"{len(rows)} labelled lines from {len({g for _, _, g in rows})} sources", file=sys.stderr)
    thresholds = choose_thresholds(rows)
    index, idf, weights, bias = fit([t for t, _, _ in rows], [l for _, l, _ in rows])
    print(f"{len(index)} features", file=sys.stderr)
    return learned.Model(CATEGORIES, index, idf, weights, bias, thresholds, trained_on=fingerprint(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the bundled model is out of date")
    args = parser.parse_args(argv)
    if args.check:
        current = fingerprint(examples())
        same = OUT.is_file() and learned.Model.read(OUT).trained_on == current
        print("up to date" if same else f"{OUT.relative_to(REPO)} is out of date: run {Path(__file__).name}")
        return 0 if same else 1
    model = train()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    model.write(OUT)
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
