"""A second opinion learned from examples: a linear model over word and letter n-grams.

The rules (``resources/rules``) catch the shapes someone has written down; every new
writer brings everyday wording they do not cover yet. This model is trained on the
labelled replies in the repository (``tools/train_phrasing_model.py``) and reads each
sentence the rules left alone in that category. It speaks only when it is confident,
for the categories that are about meaning (blame, distancing, non-apology,
generic-apology, dismissive, over-promise, hard-no); capitals, placeholders and
readability are measured, not guessed.

A rule file with ``extends: learned`` turns the model's opinion for its category into
findings. None is bundled as active: the opt-in rules are in ``resources/learned-rules``,
and a team copies them into its data folder's ``rules/`` to switch the model on, change
their level or word their messages like any other rule.

The model file (``resources/models/phrasing.npz``) holds the vocabulary, the idf
weights, one weight column per category, the biases and each category's threshold,
chosen by cross-validation when it was trained. It is plain arrays (numpy, no pickle).
Features are computed here, for training and for checking alike, so they always agree.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np


MODEL_FILE = "phrasing.npz"
FORMAT = 1

_WORD = re.compile(r"[a-z0-9']+")
_MASKS = re.compile("[\ue000-\uf8ff]+")
"""The private-use characters ``kb.lint.text`` puts where it masks links, code and quotes."""
_SPACE = re.compile(r"\s+")
WORD_NGRAMS = (1, 3)
CHAR_NGRAMS = (3, 5)


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, single spaces."""
    return _SPACE.sub(" ", text.lower().replace("\u2019", "'").replace("\u2018", "'")).strip()


def ngrams(text: str) -> dict[str, int]:
    """Counts of the word n-grams (``w:``) and letter n-grams within words (``c:``)."""
    text = normalise(text)
    counts: dict[str, int] = {}
    words = _WORD.findall(text)
    low, high = WORD_NGRAMS
    for n in range(low, high + 1):
        for i in range(len(words) - n + 1):
            key = "w:" + " ".join(words[i : i + n])
            counts[key] = counts.get(key, 0) + 1
    for word in text.split(" "):
        for key, count in _letter_ngrams(word).items():
            counts[key] = counts.get(key, 0) + count
    return counts


def _letter_ngrams(word: str) -> dict[str, int]:
    """Counts of the letter n-grams (``c:``) of one word, padded with a space each side."""
    counts: dict[str, int] = {}
    low, high = CHAR_NGRAMS
    padded = f" {word} "
    size = len(padded)
    for n in range(low, min(high, size) + 1):
        for i in range(size - n + 1):
            key = "c:" + padded[i : i + n]
            counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass(frozen=True)
class Model:
    categories: tuple[str, ...]
    index: dict[str, int]
    idf: np.ndarray
    """float32, one per feature."""
    weights: np.ndarray
    """float32, features x categories."""
    bias: np.ndarray
    thresholds: np.ndarray
    trained_on: str = ""
    """A hash of the training data and settings (``tools/train_phrasing_model.py``)."""
    _letters: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict, compare=False, repr=False)
    """Each word's known letter n-grams, filled as words are seen (``features``)."""

    @classmethod
    def read(cls, path: Path) -> "Model":
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT:
                raise ValueError(f"{path.name} is model format {int(data['format'])}; this Tactful reads {FORMAT}")
            vocabulary = bytes(data["vocabulary"]).decode("utf-8").split("\n")
            categories = tuple(bytes(data["categories"]).decode("utf-8").split("\n"))
            model = cls(
                categories=categories,
                index={term: i for i, term in enumerate(vocabulary)},
                idf=data["idf"].astype(np.float32),
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                thresholds=data["thresholds"].astype(np.float32),
                trained_on=bytes(data["trained_on"]).decode("ascii") if "trained_on" in data else "",
            )
        if model.weights.shape != (len(vocabulary), len(categories)) or model.idf.shape != (len(vocabulary),):
            raise ValueError(f"{path.name} does not hold a consistent model")
        return model

    def write(self, path: Path) -> None:
        vocabulary = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(
            path,
            format=np.array(FORMAT),
            vocabulary=np.frombuffer("\n".join(vocabulary).encode("utf-8"), dtype=np.uint8),
            categories=np.frombuffer("\n".join(self.categories).encode("utf-8"), dtype=np.uint8),
            idf=self.idf.astype(np.float32),
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            trained_on=np.frombuffer(self.trained_on.encode("ascii"), dtype=np.uint8),
        )

    def known(self, counts: dict[str, int]) -> dict[int, int]:
        """The n-gram counts of ``counts`` the model knows, by feature number."""
        index = self.index
        return {index[k]: c for k, c in counts.items() if k in index}

    def features(self, text: str) -> dict[int, int]:
        """``known(ngrams(text))``, faster: each word's letter n-grams are looked up once
        per process, as a rep's drafts reuse the same few thousand words."""
        text = normalise(text)
        found: dict[int, int] = {}
        get = self.index.get
        words = _WORD.findall(text)
        low, high = WORD_NGRAMS
        for n in range(low, high + 1):
            for i in range(len(words) - n + 1):
                feature = get("w:" + " ".join(words[i : i + n]))
                if feature is not None:
                    found[feature] = found.get(feature, 0) + 1
        cache = self._letters
        for word in text.split(" "):
            ids = cache.get(word)
            if ids is None:
                ids = tuple(self.known(_letter_ngrams(word)).items())
                if len(cache) < 100_000:
                    cache[word] = ids
            for feature, count in ids:
                found[feature] = found.get(feature, 0) + count
        return found

    def vectors(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sparse tf-idf rows, L2-normalised: (row of each entry, feature, value)."""
        return self._vectors(len(texts), *_triples([self.features(text) for text in texts]))

    def _vectors(
        self, size: int, rows: np.ndarray, columns: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``size`` rows of n-gram counts given as triples (a feature may repeat within a
        row: its counts add up) as tf-idf rows, L2-normalised, in row order."""
        if not len(rows):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0, dtype=np.float32)
        features = len(self.idf)
        keys, inverse = np.unique(rows * features + columns, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=counts)
        rows, columns = np.divmod(keys, features)
        values = (1.0 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=size))
        norms[norms == 0] = 1.0
        return rows, columns, (values / norms[rows]).astype(np.float32)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """texts x categories: how likely each text is to be a slip of each category."""
        return self._probabilities(len(texts), *_triples([self.features(text) for text in texts]))

    def _probabilities(self, size: int, rows: np.ndarray, columns: np.ndarray, counts: np.ndarray) -> np.ndarray:
        scores = np.tile(self.bias, (size, 1))
        rows, columns, values = self._vectors(size, rows, columns, counts)
        if len(rows):
            # rows come grouped and in order: sum each row's run of contributions
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            scores[rows[starts]] += np.add.reduceat(self.weights[columns] * values[:, None], starts, axis=0)
        return 1.0 / (1.0 + np.exp(-scores))


def _triples(
    known_rows: list[dict[int, int]], extra: list[tuple[int, int]] = (), parts: list[tuple[int, dict[int, int]]] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, feature, count) arrays: the feature counts of each row, then ``parts`` (more
    counts for a row) and ``extra`` (row, feature) counted once each."""
    rows: list[int] = []
    columns: list[int] = []
    counts: list[int] = []
    for row, known in [*enumerate(known_rows), *parts]:
        rows.extend([row] * len(known))
        columns.extend(known)
        counts.extend(known.values())
    for row, feature in extra:
        rows.append(row)
        columns.append(feature)
        counts.append(1)
    return (
        np.array(rows, dtype=np.int64),
        np.array(columns, dtype=np.int64),
        np.array(counts, dtype=np.float64),
    )


def sentence_texts(doc) -> list[tuple[int, int, str]]:  # noqa: ANN001 - kb.lint.text.Document
    """``(start, end, text)`` of each sentence the rep wrote, quoted speech left out."""
    out = []
    for sentence in doc.sentences:
        if not sentence.words:
            continue
        text = _MASKS.sub(" ", doc.prose[sentence.start : sentence.end])
        if text.strip():
            out.append((sentence.start, sentence.end, text))
    return out


def scores(doc, model: Model) -> list[tuple[int, int, np.ndarray]]:  # noqa: ANN001
    """``(start, end, probabilities)`` per sentence, computed once per document."""
    cached = getattr(doc, "_learned_scores", None)
    if cached is not None and cached[0] is model:
        return cached[1]
    spans = sentence_texts(doc)
    texts = [t for _, _, t in spans]
    known = [model.features(text) for text in texts]
    size = len(texts)
    rows = known
    crossing: list[tuple[int, int]] = []
    neighbours: list[tuple[int, dict[int, int]]] = []
    if size > 1:
        # A sentence is only a slip if it still reads as one beside its neighbours:
        # "We can't refund opened items." is a hard no, unless the next sentence
        # offers a replacement. Neighbours in the same paragraph only: a greeting or a
        # sign-off is no context. Row size + i is sentence i read with its neighbours.
        joined = [_same_paragraph(doc.text, spans[i][1], spans[i + 1][0]) for i in range(size - 1)]
        words = [_WORD.findall(normalise(text)) for text in texts]
        rows = known + known
        for i in range(size):
            parts = [i]
            if i > 0 and joined[i - 1]:
                parts.insert(0, i - 1)
            if i + 1 < size and joined[i]:
                parts.append(i + 1)
            neighbours.extend((size + i, known[part]) for part in parts if part != i)
            crossing.extend((size + i, f) for f in _crossing(model, parts, words))
    probabilities = model._probabilities(len(rows), *_triples(rows, crossing, neighbours))
    if size > 1:
        probabilities = np.minimum(probabilities[:size], probabilities[size:])
    result = [(start, end, probabilities[i]) for i, (start, end, _) in enumerate(spans)]
    doc._learned_scores = (model, result)
    return result


def _crossing(model: Model, parts: list[int], words: list[list[str]]) -> list[int]:
    """The known word n-grams that cross from one sentence into the next when the
    sentences ``parts`` are read as one text. Letter n-grams stay within words, so these,
    added to each sentence's own counts, are exactly the counts of the joined text."""
    if len(parts) == 1:
        return []
    joined: list[str] = []
    starts: list[int] = []
    for part in parts:
        starts.append(len(joined))
        joined.extend(words[part])
    spans: set[tuple[int, int]] = set()
    low, high = WORD_NGRAMS
    for boundary in starts[1:]:
        for n in range(max(2, low), high + 1):
            for i in range(max(0, boundary - n + 1), min(boundary, len(joined) - n + 1)):
                spans.add((i, n))
    get = model.index.get
    found = []
    for i, n in spans:
        feature = get("w:" + " ".join(joined[i : i + n]))
        if feature is not None:
            found.append(feature)
    return found


def _same_paragraph(text: str, end: int, start: int) -> bool:
    """Whether nothing but spaces and at most one line break separate two sentences."""
    between = text[end:start]
    return not between.strip() and between.count("\n") <= 1


_lock = threading.Lock()


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Model:
    """The bundled model (or the one at ``path``), read once per process."""
    if path is None:
        from kb import resources

        path = resources.path("models") / MODEL_FILE
    with _lock:
        return Model.read(path)


def available() -> Model | None:
    """The bundled model, or None when its file is missing or damaged: the rules still
    run, and the problem is logged once."""
    if "model" not in _available:
        try:
            _available["model"] = load()
        except (OSError, ValueError, KeyError) as exc:
            import logging

            logging.getLogger(__name__).warning(
                "The learned phrasing model could not be read (%s); only the rules run.", exc
            )
            _available["model"] = None
    return _available["model"]


_available: dict[str, Model | None] = {}
