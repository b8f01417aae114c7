"""From a parsed query to ranking clauses: variants, synonyms, typos, prefixes.

For ``how to apologize for late delivery`` the clauses are::

    apolog      -> apolog 1.0 | apologis 0.9 (spelling variant)
    late        -> late 1.0 | delay, overdu 0.5 (synonyms)
    deliveri    -> deliveri 1.0 | ship, shipment 0.5 | completions 0.7 (still being typed)
    pairs       -> (late, deliveri): a bonus where they stand together

Rules, and why:

* An alternative's weight is scaled so that it can never beat the exact word on
  rarity alone (its idf is capped at the exact word's): an exact match ranks first.
* A word no article uses gets synonyms at a higher weight (they are the only reading
  of what the rep meant); if it has none, typo corrections from the index's own
  vocabulary, and those feed the "did you mean" suggestion. A word found in very few
  articles while a one-letter-different word is in ten times as many also counts as
  a likely typo ("calender" in 3 articles, "calendar" in 172).
* The unfinished last word (no trailing space) also matches the most common words it
  is the start of. A stop word is taken as finished.
* Quoted phrases are required and get no synonyms: the rep asked for those words. A
  phrase with a word no article has is read with its typo corrections.
* Corrections come from ``corrections.Corrector`` (Damerau distance over the index's
  own words, by length), never from a scan of the term dictionary.
* Completions rank by how common they are, and all of them, with the word as typed,
  share one idf (the most common one's): rarity must not pick the word being typed.
* Titles holding the query's words in order (the last one as a prefix) get a bonus,
  and the words that complete the last one there join its completions: "how to me"
  finds "How to merge Word documents" although every word but the last is a stop word.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from heapq import nlargest
from itertools import islice
from typing import Any

from kb.search.analysis import STOP_WORDS, stem, term_for
from kb.search.corrections import Corrector, SegmentWords, TitleMatch, Titles, title_key
from kb.search.docs import WordInfo
from kb.search.querytext import ParsedQuery
from kb.search.ranking import Alternative, Clause, Ranker
from kb.search.synonyms import Synonyms

PREFIX_WEIGHT = 0.7
"""Completions of the unfinished last word, relative to the word as typed."""
FUZZY_WEIGHT = 0.4
"""Corrections of a word that exists but is rare, relative to an exact match."""
UNKNOWN_FUZZY_WEIGHT = 0.8
"""Corrections of a word the index has never seen: the rep almost certainly meant them."""
UNKNOWN_SYNONYM_WEIGHT = 0.8
"""Synonyms of a word no article uses: they are the only reading of what the rep meant."""
LITTLE_DF = 2
LITTLE_SHARE = 0.002
"""A word in at most LITTLE_DF articles, or this share of them, may be a typo of a much
more common word..."""
COMMON_FACTOR = 10
"""...if the correction is in at least this many times as many articles."""
MAX_FUZZY = 3
MAX_PAIRS = 6
COMPLETION_SHARE = 0.05
"""A completion must be in at least this share of the articles the typed word is in
("meeting" is a finished word; "meetingid" is not what the rep is typing)."""
PREFIX_SCAN = 2000
"""At most this many vocabulary words are read when completing a prefix."""
VOCAB_FIELDS = ("vocab", "words")
TITLE_EXACT, TITLE_START, TITLE_INSIDE = 400.0, 300.0, 200.0
"""What a title holding the query's words in order adds (as a whole title, at its start,
inside it): below one typo (``ranking.TYPO_TIER``), above what word counts usually give."""
TITLE_COMPLETIONS = 6
"""Title words that complete the unfinished last word, added to its completions."""


def completions_wanted(prefix: str) -> int:
    if len(prefix) < 2:
        return 0
    return {2: 4, 3: 6}.get(len(prefix), 10)


def max_edits(word: str) -> int:
    """Edit distance allowed for a typo, by word length (short words have too many neighbours)."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


class Vocabulary:
    """The index's own words: typo corrections and completions (cached per index version)."""

    def __init__(self, reader: Any, ranker: Ranker, cache: dict[Any, Any], segments: Any = None) -> None:
        self.reader = reader
        self.ranker = ranker
        self.cache = cache
        self.segments = segments

    def word_count(self, word: str) -> int:
        """How common ``word`` is: the number of articles with its index term.

        (The vocabulary's own counts are exact only after a rebuild: ``update`` adds a
        new word once, with the first article that uses it.)
        """
        term = term_for(word)
        return self.ranker.df(term) if term else 0

    def corrector(self) -> Corrector:
        found = self.cache.get("corrector")
        if found is None:
            if self.segments is not None:
                found = self.segments.words(self.reader)
            else:
                found = Corrector([SegmentWords.read(leaf) for leaf, _ in self.reader.leaf_readers()])
            self.cache["corrector"] = found
        return found

    def titles(self) -> Titles | None:
        if self.segments is None:
            return None
        found = self.cache.get("titles")
        if found is None:
            found = self.cache["titles"] = self.segments.titles(self.reader)
        return found

    def corrections(self, word: str) -> list[tuple[int, int, str]]:
        """Vocabulary words within the allowed edits of ``word``: (distance, -count, word), best first.

        Words whose every article was deleted are left out (Whoosh counts deleted
        articles until their segment is merged, so the count alone would offer them).
        """
        key = ("fuzzy", word)
        found = self.cache.get(key)
        if found is None:
            found = []
            near = self.corrector().within(word, max_edits(word))
            for candidate, distance in near.items():
                count = self.word_count(candidate)
                if count:
                    found.append((distance, -count, candidate))
            found.sort()
            found = [f for f in found[: MAX_FUZZY * 3] if self._live(f[2])][:MAX_FUZZY * 2]
            self.cache[key] = found
        return found

    def _live(self, word: str) -> bool:
        term = term_for(word)
        if not term:
            return False
        if not self.reader.has_deletions():
            return True
        return bool(self.ranker.postings.docs(term))

    def completions(self, prefix: str) -> list[str]:
        """The most common vocabulary words starting with ``prefix`` (not ``prefix`` itself)."""
        key = ("prefix", prefix)
        found = self.cache.get(key)
        if found is None:
            wanted = completions_wanted(prefix)
            counts: dict[str, float] = {}
            if wanted:
                for name in VOCAB_FIELDS:
                    for text, info in islice(self.reader.iter_prefix(name, prefix), PREFIX_SCAN):
                        word = text.decode("utf-8") if isinstance(text, bytes) else text
                        counts[word] = counts.get(word, 0.0) + info.weight()
            counts.pop(prefix, None)
            likely = nlargest(wanted * 4, counts.items(), key=lambda kv: (kv[1], kv[0]))
            ranked = sorted(likely, key=lambda kv: (-self.word_count(kv[0]), -kv[1], kv[0]))
            found = [w for w, _ in ranked[:wanted]]
            self.cache[key] = found
        return found


@dataclass
class Plan:
    """What ``build`` decided: the clauses to rank and what to tell and show the user."""

    clauses: list[Clause] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    highlight_terms: set[str] = field(default_factory=set)
    fuzzy: bool = False
    suggestion: str | None = None
    impossible: bool = False
    """A required phrase cannot match anything: there are no hits."""


class Builder:
    def __init__(self, ranker: Ranker, vocab: Vocabulary, synonyms: Synonyms) -> None:
        self.ranker = ranker
        self.vocab = vocab
        self.synonyms = synonyms
        self.plan = Plan()
        self.replacements: dict[tuple[int, int], str] = {}

    def _known(self, terms: tuple[str, ...]) -> bool:
        return all(self.ranker.df(t) > 0 for t in terms)

    def _capped(self, exact: str | None, terms: tuple[str, ...], weight: float) -> float:
        """``weight`` scaled so a rarer alternative cannot outscore the exact word by idf alone."""
        if exact is None or self.ranker.df(exact) == 0:
            return weight
        alt_idf = sum(self.ranker.idf(t) for t in terms)
        return weight * min(1.0, self.ranker.idf(exact) / alt_idf) if alt_idf else weight

    def _add(
        self,
        alternatives: list[Alternative],
        exact: str | None,
        terms: tuple[str, ...],
        weight: float,
        *,
        typos: int = 0,
        idf: float | None = None,
    ) -> bool:
        if not self._known(terms):
            return False
        if idf is None:
            weight = self._capped(exact, terms, weight)
        alternatives.append(Alternative(terms, weight, typos=typos, idf=idf))
        self.plan.highlight_terms.update(terms)
        return True

    def _typo_fixes(self, word: WordInfo) -> list[tuple[str, float, int]]:
        """Likely intended words for ``word`` (with weights) if it finds little or nothing."""
        if word.stem is None:
            return []
        df = self.ranker.df(word.stem)
        if df > max(LITTLE_DF, LITTLE_SHARE * self.ranker.stats.doc_count):
            return []
        fixes = self.vocab.corrections(word.text)
        if df:
            fixes = [f for f in fixes if -f[1] >= COMMON_FACTOR * df]
        if not fixes:
            return []
        self.replacements[(word.start, word.end)] = fixes[0][2]
        base = FUZZY_WEIGHT if df else UNKNOWN_FUZZY_WEIGHT
        return [(text, base * (1.0 if d <= 1 else 0.75), d) for d, _, text in fixes[:MAX_FUZZY]]

    def word_clause(self, word: WordInfo, prefix: bool = False, from_titles: dict[str, int] | None = None) -> Clause | None:
        alternatives: list[Alternative] = []
        exact = word.stem
        if exact is None:
            return None
        if prefix:
            explained = self._prefix_alternatives(alternatives, word, from_titles or {})
        else:
            self._add(alternatives, None, (exact,), 1.0)
            explained = False
        unknown = self.ranker.df(exact) == 0
        for alt in self.synonyms.alternatives((exact,)):
            weight = max(alt.weight, UNKNOWN_SYNONYM_WEIGHT) if unknown else alt.weight
            explained |= self._add(alternatives, exact, alt.terms, weight)
        if not explained:  # a real word the articles say differently is not a typo
            for text, weight, distance in self._typo_fixes(word):
                term = stem(text)
                if term != exact and self._add(alternatives, None, (term,), weight, typos=distance):
                    self.plan.fuzzy = True
        if not alternatives:
            return None
        # "prevent users fr" may be heading for "from", which is not indexed: an
        # unfinished word that could become a stop word ranks, but is not required.
        maybe_stop = prefix and any(s.startswith(word.text) and s != word.text for s in STOP_WORDS)
        return Clause(alternatives, tiers=0 if maybe_stop else 1)

    def _prefix_alternatives(
        self, alternatives: list[Alternative], word: WordInfo, from_titles: dict[str, int]
    ) -> bool:
        """The unfinished last word: itself and the words it is likely the start of.

        Completions are ranked by how common they are ("refu" is more often "refund"
        than "refusal"), and every candidate, the word as typed included, is scored
        with the idf of the most common one: a rare completion, or a rare word that
        happens to be what was typed so far ("cust" in "Cust. and Vend."), must not
        win on rarity. Words that complete it in titles holding the whole query in
        order join the candidates. True when some completion was found.
        """
        exact = word.stem
        assert exact is not None
        floor = COMPLETION_SHARE * self.ranker.df(exact)
        completed: list[str] = []
        candidates = list(self.vocab.completions(word.text))
        by_titles = sorted(from_titles.items(), key=lambda kv: (-kv[1], kv[0]))
        candidates += [w for w, _ in by_titles[:TITLE_COMPLETIONS]]
        for text in candidates:
            term = term_for(text)
            if term and term != exact and term not in completed and self.ranker.df(term) >= floor:
                completed.append(term)
        dfs = {t: self.ranker.df(t) for t in [exact, *completed]}
        top = max(dfs.values(), default=0)
        if top == 0:
            return False
        shared = self.ranker.idf_of_df(top)
        self._add(alternatives, None, (exact,), 1.0, idf=shared if completed else None)
        for term in completed:
            weight = PREFIX_WEIGHT * math.sqrt(dfs[term] / top)
            self._add(alternatives, exact, (term,), weight, idf=shared)
        return bool(completed)

    def phrase_synonym_clauses(self, stems: list[str]) -> list[Clause]:
        """Synonyms of multi-word entries found in the query ("money back" -> "refund")."""
        clauses = []
        for n in range(2, self.synonyms.max_terms + 1):
            for i in range(len(stems) - n + 1):
                key = tuple(stems[i : i + n])
                anchor = min(key, key=lambda t: self.ranker.df(t) or 10**9)
                alternatives: list[Alternative] = []
                for alt in self.synonyms.alternatives(key):
                    self._add(alternatives, anchor, alt.terms, alt.weight)
                if alternatives:  # "refund" for "money back" counts as both words
                    clauses.append(Clause(alternatives, tiers=n))
        return clauses

    def required_phrase(self, words: list[WordInfo]) -> Clause | None:
        """A quoted phrase; one with a word no article has is read with its corrections."""
        stems = tuple(w.stem for w in words if w.stem is not None)
        corrected, typos = [], 0
        for word in words:
            fixes = self._typo_fixes(word)
            if word.stem is not None and self.ranker.df(word.stem) == 0 and fixes:
                text, _, distance = fixes[0]
                corrected.append(stem(text))
                typos += distance
            elif word.stem is not None:
                corrected.append(word.stem)
        alternatives: list[Alternative] = []
        if not self._add(alternatives, None, stems, 1.0) and typos:
            if self._add(alternatives, None, tuple(corrected), 1.0, typos=typos):
                self.plan.fuzzy = True
        return Clause(alternatives, required=True) if alternatives else None

    def build(self, parsed: ParsedQuery) -> Plan:
        plan = self.plan
        titles = self.vocab.titles()
        key = title_key(parsed.text) if titles is not None and not parsed.phrases else ""
        open_end = parsed.prefix is not None
        match = titles.find(key, open_end=open_end) if key else TitleMatch()
        seen: set[str] = set()
        for word in parsed.words:
            is_prefix = word is parsed.prefix
            if word.stem is None or (word.stem in seen and not is_prefix):
                continue
            seen.add(word.stem)
            clause = self.word_clause(word, prefix=is_prefix, from_titles=match.completions)
            if clause is not None:
                plan.clauses.append(clause)
        stems = [w.stem for w in parsed.words if w.stem is not None]
        if plan.clauses:
            plan.clauses.extend(self.phrase_synonym_clauses(stems))
            plan.pairs = [(a, b) for a, b in zip(stems, stems[1:]) if a != b][:MAX_PAIRS]
        for words in parsed.phrases:
            clause = self.required_phrase(words)
            if clause is None:
                plan.impossible = True
            else:
                plan.clauses.append(clause)
        plan.suggestion = self._suggestion(parsed.text)
        if key and plan.suggestion and titles is not None:
            corrected = titles.find(title_key(plan.suggestion), open_end=open_end)
            match.exact |= corrected.exact
            match.start |= corrected.start
            match.inside |= corrected.inside
        if match and plan.clauses:
            plan.clauses.append(_title_clause(match))
        return plan

    def _suggestion(self, text: str) -> str | None:
        if not self.replacements:
            return None
        out = []
        at = 0
        for (start, end), replacement in sorted(self.replacements.items()):
            out.append(text[at:start])
            out.append(replacement)
            at = end
        out.append(text[at:])
        suggestion = " ".join("".join(out).split())
        return suggestion or None


def _title_clause(match: TitleMatch) -> Clause:
    """A bonus for the articles whose title holds the query's words in order."""
    scores = dict.fromkeys(match.inside, TITLE_INSIDE)
    scores.update(dict.fromkeys(match.start, TITLE_START))
    scores.update(dict.fromkeys(match.exact, TITLE_EXACT))
    return Clause([], tiers=0, fixed=scores)


def build(parsed: ParsedQuery, ranker: Ranker, vocab: Vocabulary, synonyms: Synonyms) -> Plan:
    """Clauses, proximity pairs, highlight terms, typo flag and suggestion for ``parsed``."""
    return Builder(ranker, vocab, synonyms).build(parsed)
