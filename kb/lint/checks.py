"""The kinds of check a rule file can ask for (its ``extends:``), compiled and ready to run.

Each check looks at an analysed ``Document`` and yields ``Hit``\\s: original-text offsets
plus, where the check knows better than the rule file, a suggestion or message of its
own. The engine turns hits into ``Finding``\\s and applies silencing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kb.lint import readability
from kb.lint.text import HTML_TAGS, PLACEHOLDER_SHAPES, Document

if TYPE_CHECKING:
    from kb.lint import learned

SCOPES = ("sentence", "next-sentence", "nearby")
"""Where a condition looks: the match's own sentence; that and the next one; or the one
before, the match's own and the one after ("nearby": an offer just before a no pairs
with it as well as one just after)."""


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    suggestions: tuple[str, ...] | None = None
    """Replaces the rule's suggestions for this hit (a ``swap`` entry's rewrite)."""
    values: dict[str, object] | None = None
    """Values for ``{name}`` fields in the rule's message (readability: words, grade)."""


class Check(Protocol):
    def find(self, doc: Document) -> Iterator[Hit]: ...


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _found(doc: Document, pattern: re.Pattern[str], sentence: int) -> list[tuple[int, int]]:
    """Original-text spans where ``pattern`` occurs in ``sentence``, in every view of it."""
    spans = []
    for view in doc.views:
        found = view.range_of(sentence)
        if found is None:
            continue
        for m in pattern.finditer(view.canon, found[0] - 1, found[1]):
            if m.end() > m.start() + 1:
                spans.append(doc.span(m.start() + 1, m.end(), view))
    return spans


def _raw_found(doc: Document, pattern: re.Pattern[str], sentence: int) -> list[tuple[int, int]]:
    """Spans where a case-sensitive ``raw`` regex occurs in ``sentence`` of the rep's own text."""
    found = doc.sentences[sentence]
    return [m.span() for m in pattern.finditer(doc.prose, found.start, found.end) if m.end() > m.start()]


def sentence_of(doc: Document, offset: int) -> int:
    """The index of the sentence holding original offset ``offset`` (the last one starting at or before it)."""
    return max(0, bisect_right([s.start for s in doc.sentences], offset) - 1)


@dataclass(frozen=True, slots=True)
class Condition:
    patterns: tuple[re.Pattern[str], ...]
    """One regex per token, so a shared macro such as {offer} is compiled once for all rules."""
    scope: str = "sentence"
    raw: tuple[re.Pattern[str], ...] = ()
    """Case-sensitive regexes over the rep's own text ("NOT" in capitals), not the canonical form."""

    def holds(self, doc: Document, sentence: int, match: tuple[int, int] | None = None) -> bool:
        """Whether any pattern occurs in scope, outside the words of the match itself.

        ("That's not something we can do" must not count its own "we can" as an offer.)
        """
        others: list[int] = []
        if self.scope in ("next-sentence", "nearby") and sentence + 1 < len(doc.sentences):
            others.append(sentence + 1)
        if self.scope == "nearby" and sentence > 0:
            others.append(sentence - 1)
        for find, patterns in ((_found, self.patterns), (_raw_found, self.raw)):
            for pattern in patterns:
                for start, end in find(doc, pattern, sentence):
                    if match is None or end <= match[0] or start >= match[1]:
                        return True
                if any(find(doc, pattern, other) for other in others):
                    return True
        return False


@dataclass(frozen=True)
class PhraseCheck:
    """``existence`` and ``substitution``: token patterns over the canonical text.

    Every view is searched (the full canonical text, then the compact one without filler
    adverbs); the engine drops the duplicates. Exceptions and conditions are looked for in
    every view of the sentence and compared by original offsets.
    """

    regex: re.Pattern[str]
    swaps: tuple[tuple[str, ...], ...] | None = None
    exceptions: re.Pattern[str] | None = None
    unless: Condition | None = None
    requires: Condition | None = None
    raw_exceptions: re.Pattern[str] | None = None
    """Case-sensitive exceptions over the rep's own text (a refusal with "NOT" in capitals)."""

    def find(self, doc: Document) -> Iterator[Hit]:
        excepted: dict[int, list[tuple[int, int]]] = {}
        for view in doc.views:
            for m in self.regex.finditer(view.canon):
                cs, ce = m.start() + 1, m.end()  # without the separator (patterns.bounded)
                if ce <= cs:
                    continue
                sentence = view.sentence_at(cs)[2]
                start, end = doc.span(cs, ce, view)
                if self.exceptions is not None:
                    spans = excepted.get(sentence)
                    if spans is None:
                        spans = excepted[sentence] = _found(doc, self.exceptions, sentence)
                    if _overlaps(spans, start, end):
                        continue
                if self.raw_exceptions is not None and _overlaps(_raw_found(doc, self.raw_exceptions, sentence), start, end):
                    continue
                if self.requires is not None and not self.requires.holds(doc, sentence):
                    continue
                if self.unless is not None and self.unless.holds(doc, sentence, (start, end)):
                    continue
                swap = None
                if self.swaps is not None and m.lastgroup:
                    swap = self.swaps[int(m.lastgroup[1:])]
                yield Hit(start, end, swap)


@dataclass(frozen=True)
class RawCheck:
    """``existence`` with ``raw:``: a case-sensitive regex over the rep's own prose.

    ``exceptions``, ``unless`` and ``requires`` work as for phrase rules, on the sentence
    the match starts in.
    """

    regex: re.Pattern[str]
    exceptions: re.Pattern[str] | None = None
    unless: Condition | None = None
    requires: Condition | None = None

    def find(self, doc: Document) -> Iterator[Hit]:
        for m in self.regex.finditer(doc.prose):
            if m.end() <= m.start():
                continue
            start, end = m.span()
            if self.exceptions is not None or self.unless is not None or self.requires is not None:
                sentence = sentence_of(doc, start)
                if self.exceptions is not None and _overlaps(_found(doc, self.exceptions, sentence), start, end):
                    continue
                if self.requires is not None and not self.requires.holds(doc, sentence):
                    continue
                if self.unless is not None and self.unless.holds(doc, sentence, (start, end)):
                    continue
            yield Hit(start, end)


_AMOUNT_SIGNS = "%£$€¥"
_ENV_VARS = frozenset(
    "temp tmp appdata localappdata userprofile windir systemroot systemdrive programfiles programdata "
    "commonprogramfiles homedrive homepath username userdomain computername path public allusersprofile "
    "onedrive comspec pathext processor_architecture exchangeinstallpath".split()
)
_FIELD_WORDS = re.compile(r"name|first|last|order|number|date|time|customer|client|agent|ticket|case|email|phone|amount|code|address|id$")


def _percent_field(inner: str) -> bool:
    """``%FIRSTNAME%``, ``%order_id%`` or ``%CustomerName%``, but not ``%appdata%`` or ``%KeepAliveFailure%``.

    Support for software pastes Windows variables (``%localappdata%\\Microsoft``) all the
    time; a template field is written in capitals or snake_case, or names a customer detail.
    """
    name = inner.strip("%")
    if name.lower() in _ENV_VARS:
        return False
    if " " in name or "." in name or "-" in name:
        return "_" in name or bool(_FIELD_WORDS.search(name.lower().replace(" ", "")))
    return name.isupper() or ("_" in name and name.replace("_", "").isalnum()) or bool(_FIELD_WORDS.search(name.lower()))


_CODE_SHAPES = frozenset({"double-curly", "curly", "dollar", "percent"})
_CODE_TALK = re.compile(
    r"\b(?:snippets?|source code|code (?:samples?|snippets?|blocks?|examples?)|syntax|liquid|handlebars|jinja|twig|mustache|braces|curly brackets|"
    r"template tags?|merge (?:fields?|tags?)|variables?|shortcodes?|placeholders?|json|python|javascript|"
    r"html|css|sql|script|macro editor|templates?)\b",
    re.I,
)


_NAMED_AS_FIELD = re.compile(r"[\s\"'\u201d]*(?:tags?|fields?|variables?|placeholders?)\b", re.I)
"""After a field: "the {name} tag is swapped for each guest's name"."""


def _about_code(doc: Document, offset: int, end: int) -> bool:
    """Whether the sentence around ``offset`` talks about code or template syntax, so a
    field in it is being shown to the customer, not left unfilled."""
    if _NAMED_AS_FIELD.match(doc.text, end):
        return True
    for sentence in doc.sentences:
        if sentence.start <= offset < sentence.end:
            return _CODE_TALK.search(doc.text, sentence.start, sentence.end) is not None
    return False


def _amount_field(text: str, start: int, end: int) -> bool:
    """``[X]%`` or ``£[X]``: a blank amount, even though ``[x]`` alone is a tick box."""
    return text[end : end + 1] in _AMOUNT_SIGNS or text[max(0, start - 1) : start] in _AMOUNT_SIGNS


@dataclass(frozen=True)
class PlaceholderCheck:
    """``placeholder``: ``{name}``, ``{{order_id}}``, ``[NAME]`` and ``<order number>``."""

    shapes: tuple[str, ...]
    ignore: frozenset[str]
    """Bracketed words that are not placeholders (``[sic]``, ``[x]``)."""

    def find(self, doc: Document) -> Iterator[Hit]:
        taken: list[tuple[int, int]] = []
        for shape in self.shapes:
            for m in PLACEHOLDER_SHAPES[shape].finditer(doc.masked):
                inner = m.group().strip("{}[]<>%*| \t").lower()
                if inner in self.ignore and not _amount_field(doc.text, m.start(), m.end()):
                    continue
                if shape == "percent" and not _percent_field(m.group()):
                    continue
                if shape == "angle" and inner.split()[0].rstrip("/") in HTML_TAGS:
                    continue
                if shape == "square" and doc.text[m.end() : m.end() + 1] in ("(", "[", ":"):
                    continue  # a markdown link, reference or definition
                if shape in _CODE_SHAPES and _about_code(doc, m.start(), m.end()):
                    continue  # "it should read {{ order.name }} in the snippet": quoted on purpose
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                taken.append(m.span())
                yield Hit(m.start(), m.end())


_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")


_SIGNOFF = re.compile(
    r"(?:(?<=[\^/*~\-\u2013\u2014])|(?<=[\^/*~\-\u2013\u2014] )|(?<=\n)|\A)"
    r"([^\W\d_]{1,3})[ \t.]*(?:(?:https?://|www\.|@)\S*[ \t]*)*\s*\Z"
)


def _signoff_initials(text: str) -> int | None:
    """Where a rep's sign-off initials start (``… today. ^AS``), or None.

    Agents on shared accounts end a reply with their initials after ``^``, ``/``, ``*``,
    ``-`` or on a line of their own; those capitals are a signature, not shouting.
    """
    match = _SIGNOFF.search(text[-40:])
    if match is None or not match.group(1).isupper():
        return None
    return len(text) - len(text[-40:]) + match.start(1)


_KEYWORD_VERBS = frozenset("reply text type enter keyword send click tap press select".split())
"""Words before a word written in capitals because it must be sent or clicked as written:
"reply YES", "text STOP", "tap SAVE"."""

_GLUE = frozenset("*_#@\\")
"""Characters that join words into one code: ``GYMCO*MEMBERSHIP`` on a bank statement,
``ORDER_ID``."""


def _glued(text: str, start: int, end: int) -> bool:
    """Whether the word at ``start:end`` is joined to another by ``*``, ``_``, ``#`` or ``@``."""
    before = text[start - 2 : start] if start >= 2 else ""
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] in _GLUE and before[0].isalnum()) or (
        len(after) == 2 and after[0] in _GLUE and after[1].isalnum()
    )


@dataclass(frozen=True)
class CapitalsCheck:
    """``capitalization``: words in capitals that are not acronyms.

    A capitalised word is fine when it is on the allow-list, is a single letter ("I",
    "A"), or looks like an acronym or a product name: short (``acronym_max_letters``)
    and not an everyday English word (textstat's Dale-Chall easy-word list), such as
    "RMA" or "IMEI", or longer and not an English word at all (not in the CMU
    dictionary), such as "DACPAC" or "SHAREPOINT". "NOT", "FREE", "PLEASE" and "URGENT"
    are English words, so they shout. Teams add their own acronyms to the accept list.
    """

    allow: frozenset[str]
    acronym_max_letters: int = 4

    def _shouts(self, word: str) -> bool | None:
        """True: shouting; False: fine but may join a run; None: not in capitals."""
        if not word.isupper() or any(ch.isdigit() for ch in word):
            return None
        letters = _LETTERS.findall(word)
        key = word.replace("\u2019", "'").upper()
        if len(letters) == 1 or key in self.allow:
            return False
        lower = word.lower()
        if readability.is_everyday_word(lower):
            return True
        if len(letters) <= self.acronym_max_letters:
            return False
        return readability.in_dictionary(lower.replace("\u2019", "'"))

    def find(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        run: list[tuple[int, int, bool]] = []  # words in capitals in a row: (start, end, shouts)
        sentence = -1
        initials = _signoff_initials(text)
        previous = ""  # the word before, lower case
        keyword_sentence = -1  # the sentence in which a keyword to send was named ("reply YES")
        for token in doc.tokens:
            kind = token.kind
            if initials is not None and token.start == initials:
                continue  # "^AS", "/SO", "-JD": who signed the reply, not a shouted word
            if kind == "soft" and run:
                continue  # "PLEASE, NOTE" is one run
            state = self._shouts(text[token.start : token.end]) if kind == "word" else None
            if state and previous in _KEYWORD_VERBS:
                state = False  # "reply YES", "text STOP": the word to send, written as it must be sent
                keyword_sentence = token.sentence
            elif state and previous in ("or", "and") and keyword_sentence == token.sentence:
                state = False  # "reply YES to confirm or NO to cancel": the other keyword
            elif state and _glued(text, token.start, token.end):
                state = False  # "GYMCO*MEMBERSHIP": a card descriptor or a code, not a word
            if kind == "word":
                previous = text[token.start : token.end].lower()
            if state is None or token.sentence != sentence:
                if run:
                    yield from self._flush(doc, run)
                    run = []
                sentence = token.sentence
                if state is None:
                    continue
            run.append((token.start, token.end, state))
        if run:
            yield from self._flush(doc, run)

    def _flush(self, doc: Document, run: list[tuple[int, int, bool]]) -> Iterator[Hit]:
        loud = [(s, e) for s, e, shouts in run if shouts]
        if len(loud) >= 2:  # a shouted phrase: take every capitalised word around it ("I AM SO SORRY")
            yield self._hit(doc, run[0][0], run[-1][1])
        elif loud:  # one word for emphasis ("do NOT")
            yield self._hit(doc, *loud[0])

    def _hit(self, doc: Document, start: int, end: int) -> Hit:
        """The run, with the same words in normal case as the suggested rewrite."""

        def normal(m: re.Match[str]) -> str:
            word = m.group()
            if word.replace("\u2019", "'").upper() in self.allow and not readability.is_everyday_word(word.lower()):
                return word  # USB-C, PDF; but AM, IT and US in a shouted phrase are words
            if word in ("I", "I'M", "I\u2019M", "I'LL", "I\u2019LL", "I'VE", "I\u2019VE", "I'D", "I\u2019D"):
                return word[0] + word[1:].lower()
            return word.lower()

        fixed = _WORD.sub(normal, doc.text[start:end])
        at_sentence_start = any(s.start == start for s in doc.sentences)
        if at_sentence_start:
            fixed = fixed[:1].upper() + fixed[1:]
        return Hit(start, end, (fixed,))


@dataclass(frozen=True)
class ReadabilityCheck:
    """``readability``: sentences too long, or too hard (Flesch-Kincaid grade), for a reply."""

    max_words: int | None = None
    max_grade: float | None = None
    min_words: int = 12
    """Shorter sentences count as hard only when most of their words are long, formal ones:
    the formula alone is noise on a handful of words."""
    skip_over_words: int | None = None
    """Longer sentences are left to the length rule, so one sentence gets one finding."""
    min_long_words: int = 0
    """A hard sentence also has at least this many long words (three or more syllables, not
    on the everyday-word or common-word lists, not abbreviations): what makes a reply hard is "remittance must be
    effectuated", not a long list of plain words, which the grade alone can't tell apart."""
    max_abbreviations: int | None = None
    """A sentence with more abbreviations than this that a customer may not know ("once
    the INC is resolved the SLA clock restarts against the P2 matrix") is flagged."""
    familiar: frozenset[str] = frozenset()
    """Abbreviations most customers know (PIN, NHS, PDF): never counted."""

    def find(self, doc: Document) -> Iterator[Hit]:
        if self.max_abbreviations is not None:
            yield from self._abbreviations(doc)
            return
        for sentence in doc.sentences:
            count = len(sentence.words)
            if self.max_words is not None and count > self.max_words:
                yield Hit(sentence.start, sentence.end, values={"words": count, "limit": self.max_words})
                continue
            if self.max_grade is None or count < _SHORTEST_GRADED:
                continue
            if self.skip_over_words is not None and count > self.skip_over_words:
                continue
            words = [doc.text[doc.tokens[i].start : doc.tokens[i].end] for i in sentence.words]
            grade = readability.grade(words)
            if grade <= self.max_grade:
                continue
            long_words = readability.long_words(words)
            if len(long_words) < self.min_long_words:
                continue
            if count < self.min_words and len(long_words) * 2 < count:
                continue  # a short sentence is hard only when most of it is formal words
            examples = ", ".join(dict.fromkeys(w.lower() for w in long_words[:3]))
            yield Hit(
                sentence.start,
                sentence.end,
                values={"words": count, "grade": round(grade, 1), "limit": self.max_grade, "examples": examples},
            )

    def _abbreviations(self, doc: Document) -> Iterator[Hit]:
        text = doc.text
        for sentence in doc.sentences:
            found: dict[str, None] = {}
            for i in sentence.words:
                token = doc.tokens[i]
                word = text[token.start : token.end]
                if not _is_abbreviation(word) or word.upper() in self.familiar:
                    continue
                if text[token.start - 1 : token.start] == "(" or text[token.end : token.end + 2] == " (":
                    continue  # explained: "root cause analysis (RCA)", "RCA (root cause analysis)"
                found[word] = None
            if len(found) > (self.max_abbreviations or 0):
                yield Hit(
                    sentence.start,
                    sentence.end,
                    values={"words": len(sentence.words), "limit": self.max_abbreviations, "examples": ", ".join(found)},
                )


_SHORTEST_GRADED = 6
"""Below ``min_words``, a sentence of at least this many words is still hard when most of
its words are long, formal ones ("Remittance discrepancies necessitate manual adjudication
prior to disbursement")."""


def _is_abbreviation(word: str) -> bool:
    """"RCA", "P2", "PTL": two to six capitals (digits allowed), not an everyday word in
    capitals ("NOT", "PLEASE": that is shouting, not jargon)."""
    letters = _LETTERS.findall(word)
    wanted = 1 if any(ch.isdigit() for ch in word) else 2  # "P2", "T1" are shorthand too
    if not 2 <= len(word) <= 6 or len(letters) < wanted or not word.isupper() or not word.isalnum():
        return False
    return not readability.is_everyday_word(word.lower())


@dataclass(frozen=True)
class LearnedCheck:
    """``learned``: sentences the learned model (``kb.lint.learned``) reads as this category."""

    category: str
    min_confidence: float | None = None
    """Overrides the threshold chosen when the model was trained."""
    exceptions: re.Pattern[str] | None = None
    """Token patterns that clear a sentence the model picked ("that one is on us")."""
    unless: Condition | None = None
    """As for phrase rules: the opinion is dropped when this occurs in scope ("{offer}")."""

    def threshold(self, model: "learned.Model") -> float:
        if self.min_confidence is not None:
            return self.min_confidence
        return float(model.thresholds[model.categories.index(self.category)])

    def find(self, doc: Document) -> Iterator[Hit]:
        from kb.lint import learned  # numpy loads on first use, not with the checker

        model = learned.available()
        if model is None or self.category not in model.categories:
            return
        column = model.categories.index(self.category)
        threshold = self.threshold(model)
        for start, end, probabilities in learned.scores(doc, model):
            confidence = float(probabilities[column])
            if confidence < threshold:
                continue
            sentence = sentence_of(doc, start)
            if self.exceptions is not None and _found(doc, self.exceptions, sentence):
                continue
            if self.unless is not None and self.unless.holds(doc, sentence):
                continue
            yield Hit(start, end, values={"confidence": round(confidence, 2)})
