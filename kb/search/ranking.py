"""Ranking: rules in the order as-you-type engines apply them, then BM25F.

A query is a list of clauses, one per word the rep typed (plus one per multi-word
synonym found in the query, and one for titles holding the query's words in order).
A clause has alternatives — the word itself, its spelling variants and synonyms,
completions of an unfinished word, typo corrections — each with a weight below 1
except the word itself. A document scores, for each clause, its best alternative (a
document is never paid twice for "refund" and "money back"), summed over clauses.

The rules, as in Meilisearch and Typesense, are strict tiers inside that sum:

1. words: each typed word a document matches adds ``WORD_TIER``, so an article with
   every word beats one with some, however rare the word it has many times; fewer
   words count only when no article has them all;
2. typos: each edit a correction needed takes off ``TYPO_TIER``;
3. then BM25F (title matches weigh 3x the body), the title bonus
   (``querybuild.TITLE_*``) and a bonus where query words stand next to each other,
   in order, order the documents of a tier.

Every matching document is scored at once in numpy arrays; multi-word alternatives
and the proximity bonus (positions are the costly part) are computed for the leading
``RESCORE_WINDOW`` documents only, and proximity only for those it could lift into
the results. Posting lists are cached per index version (``postings.TermCache``):
typing repeats the same words on every keystroke.

idf is Robertson's ``log(1 + (N - df + 0.5) / (df + 0.5))``: it falls towards zero for
words nearly every article has ("customer" in a customer-service playbook) instead of
flooring at 1 as Whoosh's does, so such words cannot bury the right article.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from heapq import nlargest
from typing import Any

import numpy as np

from kb.search.postings import Postings, TermCache
from kb.search.schema import part_boost

K1 = 1.2
B = 0.75
WORD_TIER = 100_000.0
"""Added for each typed word a document matches: matching more words always wins."""
TYPO_TIER = 1_000.0
"""Taken off for each edit a typo correction needed: among documents matching as many
words, fewer typos always win. What is left (BM25F, proximity, the title bonus) orders
documents within a tier; it stays far below ``TYPO_TIER``."""
PROXIMITY_WEIGHT = 0.5
"""Bonus for two query words found next to each other (or one word apart), in order."""
RESCORE_WINDOW = 30
"""How many leading documents are scored in full (multi-word synonyms, proximity)."""
PHRASE_RETRIEVAL_DOCS = 500
VERIFY_BATCH = 64
"""Candidates of a quoted phrase are checked for the phrase this many at a time."""


def robertson_idf(doc_count: int, df: int) -> float:
    return math.log(1.0 + (doc_count - df + 0.5) / (df + 0.5))


@dataclass(frozen=True)
class Alternative:
    """One way a clause can match: a term, or a phrase of terms, with a weight."""

    terms: tuple[str, ...]
    weight: float
    typos: int = 0
    """Edits between what was typed and this alternative (a typo correction)."""
    idf: float | None = None
    """Used instead of the terms' own idf (completions share one, see ``querybuild``)."""


@dataclass
class Clause:
    alternatives: list[Alternative]
    required: bool = False
    """Quoted phrases: every hit must match this clause."""
    tiers: int = 1
    """How many typed words matching this clause stands for (0: a bonus only)."""
    fixed: dict[int, float] | None = None
    """Scores decided in advance (the title bonus) instead of alternatives."""


@dataclass
class Stats:
    """Collection statistics for one open index version (shared by its searchers)."""

    doc_count: int
    norms: list[float]
    """Per document: the BM25 length normalisation ``K1 * (1 - B + B * dl / avgdl)``."""
    df: dict[str, int] = field(default_factory=dict)
    postings: TermCache = field(default_factory=TermCache)
    _norm_array: Any = None

    def norm_array(self) -> np.ndarray:
        found = self._norm_array
        if found is None:
            found = self._norm_array = np.asarray(self.norms, dtype=float)
        return found

    @classmethod
    def load(cls, lengths: list[int], articles: int) -> "Stats":
        total = sum(lengths)
        avgdl = total / max(1, articles) or 1.0
        base, scale = K1 * (1 - B), K1 * B / avgdl
        return cls(doc_count=max(1, articles), norms=[base + scale * n for n in lengths])


class Ranker:
    def __init__(self, reader: Any, stats: Stats) -> None:
        self.reader = reader
        self.stats = stats
        self.postings = Postings(reader, cache=stats.postings)

    # -- statistics --------------------------------------------------------------------

    def df(self, term: str) -> int:
        found = self.stats.df.get(term)
        if found is None:
            # Whoosh counts deleted documents until segments merge; an article updated in
            # a small index could otherwise have df > N and a negative idf (no hits at all).
            found = min(self.reader.doc_frequency("content", term), self.stats.doc_count)
            self.stats.df[term] = found
        return found

    def idf(self, term: str) -> float:
        return robertson_idf(self.stats.doc_count, self.df(term))

    def idf_of_df(self, df: int) -> float:
        return robertson_idf(self.stats.doc_count, df)

    def alt_idf(self, alt: Alternative) -> float:
        if alt.idf is not None:
            return alt.idf * len(alt.terms)
        return sum(self.idf(t) for t in alt.terms)

    def bound(self, clause: Clause) -> float:
        """The most this clause can add to any document's score."""
        if clause.fixed is not None:
            return max(clause.fixed.values(), default=0.0)
        best = max((a.weight * self.alt_idf(a) * (K1 + 1) for a in clause.alternatives), default=0.0)
        return best + clause.tiers * WORD_TIER

    # -- scoring a clause ----------------------------------------------------------------

    def _term_scores(self, term: str, weight: float, allowed: Any) -> dict[int, float]:
        factor = weight * (K1 + 1)
        norms = self.stats.norms
        out: dict[int, float] = {}
        for ids, weights in self.postings.blocks(term):
            if allowed is None:
                for d, w in zip(ids, weights):
                    out[d] = factor * w / (w + norms[d])
            else:
                for d, w in zip(ids, weights):
                    if d in allowed:
                        out[d] = factor * w / (w + norms[d])
        return out

    def _phrase_scores(self, terms: tuple[str, ...], weight: float, allowed: Any) -> dict[int, float]:
        if any(self.df(t) == 0 for t in terms):
            return {}
        ordered = sorted(terms, key=self.df)
        if self.df(ordered[0]) > max(PHRASE_RETRIEVAL_DOCS, self.stats.doc_count // 20):
            # A synonym phrase made only of common words ("not possible") would mean
            # reading positions for thousands of articles; it still counts for the
            # articles the rest of the query finds (``only=``), just not on its own.
            return {}
        docs = {d for d in self.postings.docs(ordered[0]) if allowed is None or d in allowed}
        for term in ordered[1:]:
            if docs:
                docs = set(self.postings.weights_for(term, docs))
        return self._phrase_scores_for(terms, weight, docs)

    def _phrase_scores_for(self, terms: tuple[str, ...], weight: float, docs: Any) -> dict[int, float]:
        if not docs:
            return {}
        where = [self.postings.positions(t, docs) for t in terms]
        factor = weight * (K1 + 1)
        norms = self.stats.norms
        out: dict[int, float] = {}
        for d in docs:
            lists = [w.get(d) for w in where]
            if not all(lists):
                continue
            later = [set(p) for p in lists[1:]]
            count = sum(
                part_boost(p)
                for p in lists[0]
                if all(p + i + 1 in later[i] for i in range(len(later)))
            )
            if count:
                out[d] = factor * count / (count + norms[d])
        return out

    def _term_scores_for(self, term: str, weight: float, docs: Any) -> dict[int, float]:
        factor = weight * (K1 + 1)
        norms = self.stats.norms
        return {
            d: factor * w / (w + norms[d]) for d, w in self.postings.weights_for(term, docs).items()
        }

    def clause_scores(
        self, clause: Clause, allowed: Any = None, only: Any = None, phrases: bool = True
    ) -> dict[int, float]:
        """Each matching document's best alternative score, its tier included.

        ``only``: score just these documents (looked up, not scanned). ``phrases``:
        whether multi-word alternatives count (reading positions is the costly part,
        so candidates are first ranked without them and the final window with them).
        """
        if clause.fixed is not None:
            wanted = only if only is not None else allowed
            if wanted is None:
                return dict(clause.fixed)
            return {d: s for d, s in clause.fixed.items() if d in wanted}
        best: dict[int, float] = {}
        tier = clause.tiers * WORD_TIER
        for alt in clause.alternatives:
            if len(alt.terms) > 1 and not phrases:
                continue
            # _term/_phrase scores are per unit of idf: scale by this alternative's idf.
            idf = self.alt_idf(alt)
            base = tier - alt.typos * TYPO_TIER
            if only is not None:
                if len(alt.terms) == 1:
                    scores = self._term_scores_for(alt.terms[0], alt.weight, only)
                else:
                    scores = self._phrase_scores_for(alt.terms, alt.weight, only)
            elif len(alt.terms) == 1:
                scores = self._term_scores(alt.terms[0], alt.weight, allowed)
            else:
                scores = self._phrase_scores(alt.terms, alt.weight, allowed)
            for d, s in scores.items():
                s = base + s * idf
                if s > best.get(d, float("-inf")):
                    best[d] = s
        return best

    # -- the whole query -----------------------------------------------------------------

    def rank(
        self,
        clauses: list[Clause],
        *,
        allowed: set[int] | None,
        limit: int,
        pairs: Sequence[tuple[str, str]] = (),
    ) -> tuple[list[tuple[int, float]], int, int]:
        """The best ``limit`` (document, score) pairs, about how many documents matched, and
        how many of those match every word that counts (the rest match only some)."""
        required = [c for c in clauses if c.required]
        optional = [c for c in clauses if not c.required]
        wanted = max(limit, RESCORE_WINDOW)
        if required:
            window, total, parts = self._rank_required(required, optional, allowed, wanted)
            complete = total
        else:
            window, total, complete, parts = self._rank_all(optional, allowed, wanted)
        window = self._with_phrase_alternatives(window, parts)
        if pairs and len(window) > 1:
            window = self._with_proximity(window, pairs, limit)
        window.sort(key=lambda kv: (-kv[1], kv[0]))
        return window[:limit], total, complete

    def _rank_all(
        self, clauses: list[Clause], allowed: Any, wanted: int
    ) -> tuple[list[tuple[int, float]], int, int, list[tuple[Clause, dict[int, float], bool]]]:
        """Every matching document scored at once (dense arrays), the best ``wanted`` kept.

        Each clause fills an array with its best alternative's score per document; the
        arrays are summed. With strict tiers, pruning document by document (MaxScore)
        saves little, since every word can change a document's tier, while array
        arithmetic over 20,000 documents costs microseconds: what is left is reading
        posting lists, which ``TermCache`` keeps for words typed again.
        """
        count = len(self.stats.norms)
        norms = self.stats.norm_array()
        acc = np.zeros(count)
        hit = np.zeros(count, dtype=bool)
        every = np.ones(count, dtype=bool)  # matched by every clause that ranks by words
        bests: list[tuple[Clause, np.ndarray]] = []
        for clause in clauses:
            best = np.full(count, -np.inf)
            if clause.fixed is not None:
                if clause.fixed:
                    size = len(clause.fixed)
                    ids = np.fromiter(clause.fixed.keys(), dtype=np.int64, count=size)
                    best[ids] = np.fromiter(clause.fixed.values(), dtype=float, count=size)
            else:
                tier = clause.tiers * WORD_TIER
                for alt in clause.alternatives:
                    base = tier - alt.typos * TYPO_TIER
                    factor = alt.weight * (K1 + 1) * self.alt_idf(alt)
                    if len(alt.terms) == 1:
                        ids, weights = self.postings.arrays(alt.terms[0])
                        if not len(ids):
                            continue
                        scores = base + factor * weights / (weights + norms[ids])
                    else:
                        found = self._phrase_scores(alt.terms, alt.weight, allowed)
                        if not found:
                            continue
                        ids = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
                        unit = np.fromiter(found.values(), dtype=float, count=len(found))
                        scores = base + self.alt_idf(alt) * unit
                    best[ids] = np.maximum(best[ids], scores)
            matched = best > -np.inf
            acc[matched] += best[matched]
            hit |= matched
            if clause.tiers:
                every &= matched
            bests.append((clause, best))
        if allowed is not None:
            mask = np.zeros(count, dtype=bool)
            if allowed:
                mask[np.fromiter(allowed, dtype=np.int64, count=len(allowed))] = True
            hit &= mask
        docs = np.flatnonzero(hit)
        if len(docs) > wanted:
            docs = docs[np.argpartition(-acc[docs], wanted - 1)[:wanted]]
        window = [(int(d), float(acc[d])) for d in docs]
        parts = []
        for clause, best in bests:
            found = {int(d): float(best[d]) for d in docs if best[d] > -np.inf}
            parts.append((clause, found, False))
        return window, int(hit.sum()), int((hit & every).sum()), parts

    def _with_phrase_alternatives(
        self, window: list[tuple[int, float]], parts: list[tuple[Clause, dict[int, float], bool]]
    ) -> list[tuple[int, float]]:
        """Multi-word alternatives ("money back" for "refund") for the leading documents."""
        scores = dict(window)
        docs = list(scores)
        for clause, found, _ in parts:
            multi = [a for a in clause.alternatives if len(a.terms) > 1]
            if not multi or not docs:
                continue
            for d, s in self.clause_scores(Clause(multi, tiers=clause.tiers), only=docs).items():
                if s > found.get(d, 0.0):
                    scores[d] += s - found.get(d, 0.0)
        return list(scores.items())

    def _rank_required(
        self, required: list[Clause], optional: list[Clause], allowed: Any, wanted: int
    ) -> tuple[list[tuple[int, float]], int, list[tuple[Clause, dict[int, float], bool]]]:
        """Quoted phrases: every hit contains each of them.

        Positions are read lazily: candidates (articles with all the words) are
        ordered by the best score they could reach and checked in batches, until the
        next candidate could no longer enter the top ``wanted``.
        """
        phrases = [c.alternatives[0] for c in required]
        terms = sorted({t for p in phrases for t in p.terms}, key=self.df)
        if not terms or any(self.df(t) == 0 for t in terms):
            return [], 0, []
        first = terms[0]
        weights = {first: {}}  # type: dict[str, dict[int, float]]
        for ids, ws in self.postings.blocks(first):
            for d, w in zip(ids, ws):
                if allowed is None or d in allowed:
                    weights[first][d] = w
        candidates = set(weights[first])
        for term in terms[1:]:
            if not candidates:
                break
            weights[term] = self.postings.weights_for(term, candidates)
            candidates = set(weights[term])
        if not candidates:
            return [], 0, []
        norms = self.stats.norms
        base = dict.fromkeys(candidates, 0.0)
        parts = []
        for clause in optional:
            found = self.clause_scores(clause, only=candidates, phrases=False)
            for d, s in found.items():
                base[d] += s
            parts.append((clause, found, False))
        upper = dict(base)
        factors = []
        for phrase in phrases:
            factor = phrase.weight * self.alt_idf(phrase) * (K1 + 1)
            factors.append(factor)
            for d in candidates:
                most = min(weights[t][d] for t in phrase.terms)  # each match adds to every word
                upper[d] += factor * most / (most + norms[d])
        order = sorted(candidates, key=lambda d: -upper[d])
        verified: list[tuple[int, float]] = []
        total = None
        for start in range(0, len(order), VERIFY_BATCH):
            if len(verified) >= wanted:
                floor = nlargest(wanted, (s for _, s in verified))[-1]
                if upper[order[start]] <= floor:
                    total = len(verified) + len(order) - start  # the rest may match too
                    break
            batch = order[start : start + VERIFY_BATCH]
            scores = dict.fromkeys(batch, 0.0)
            for phrase, factor in zip(phrases, factors):
                found = self._phrase_scores_for(phrase.terms, phrase.weight, batch)
                idf = self.alt_idf(phrase)
                scores = {d: s + found[d] * idf for d, s in scores.items() if d in found}
            verified.extend((d, base[d] + s) for d, s in scores.items())
        return nlargest(wanted, verified, key=lambda kv: kv[1]), total or len(verified), parts

    def _with_proximity(
        self, window: list[tuple[int, float]], pairs: list[tuple[str, str]], limit: int
    ) -> list[tuple[int, float]]:
        """Add the bonus for query words side by side, in order.

        Only for the documents the bonus can still lift into the top ``limit``
        (reading positions is the costly part; a tier is never crossed by it).
        """
        pairs = [(a, b) for a, b in pairs if self.df(a) and self.df(b)]
        most = sum(PROXIMITY_WEIGHT * min(self.idf(a), self.idf(b)) * (K1 + 1) for a, b in pairs)
        ordered = sorted((s for _, s in window), reverse=True)
        floor = ordered[limit - 1] - most if len(ordered) >= limit else float("-inf")
        docs = [d for d, s in window if s >= floor]
        terms = {t for pair in pairs for t in pair}
        where = {t: self.postings.positions(t, docs) for t in terms if self.df(t)}
        bonus: dict[int, float] = {}
        for a, b in pairs:
            if a not in where or b not in where:
                continue
            weight = PROXIMITY_WEIGHT * min(self.idf(a), self.idf(b))
            for d in docs:
                pa, pb = where[a].get(d), where[b].get(d)
                if not pa or not pb:
                    continue
                after = set(pb)
                near = sum(part_boost(p) for p in pa if p + 1 in after or p + 2 in after)
                if near:
                    bonus[d] = bonus.get(d, 0.0) + weight * (K1 + 1) * near / (near + K1)
        return [(d, s + bonus.get(d, 0.0)) for d, s in window]
