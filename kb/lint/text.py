"""Turning a reply or an article into what the rules look at.

Rules never see the raw text. They see a *canonical* form built once per lint:

* structural noise is masked out (YAML front matter, fenced and inline code, HTML
  comments, tags and entities such as ``&amp;``, URLs, e-mail addresses and @handles,
  link targets, and quoted e-mail lines starting with ``>``), keeping every offset where
  it was;
* quoted speech ("…", “…”, '…', ‘…’) becomes one opaque token, because repeating what
  the customer wrote is not the rep's phrasing;
* the rest is split into word tokens, lower-cased, with curly apostrophes straightened
  and contractions expanded ("won't" -> "will not", "cannot" -> "can not",
  "you're" -> "you are", "it's" -> "it is"), so one pattern covers every spelling;
* tokens are grouped into sentences, one per line of the canonical string (which
  starts with a line break, so every token follows a separator), tokens
  separated by one space, or by one "," where the text has a comma, semicolon, colon
  or dash between them ("sorry,but"); full stops, question and exclamation marks are
  tokens of their own.

Every canonical character maps back to the token it came from, so a regex match on the
canonical string gives exact code-point offsets into the original text, whatever
Unicode it holds (emoji, combining marks, CRLF line ends, right-to-left scripts).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

OPAQUE = "\ue000"  # masked inline material (a URL, inline code): one opaque token
QUOTE = "\ue001"  # quoted speech: one opaque token
OPAQUE_TOKEN = "«x»"
QUOTE_TOKEN = "«q»"

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_APOS = "'\u2019\u02bc\u2018"

# Structural masks: (pattern, block?) - a block mask also breaks sentences.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.S | re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\r\n]*", re.M)
_INLINE_CODE = re.compile(r"(`+)[^`\r\n].*?\1")
_URL = re.compile(
    r"(?<![\w.@])<?(?:https?://|ftp://|mailto:|file:|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # Bare web addresses agents paste: bit.ly/3xYz, t.co/abc, example.com/help.
    r"|(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+(?:com|org|net|io|co|uk|ly|me|gl|us|ie|app|info|help|ai|to|gg)"
    r"(?:/[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]])?(?![\w@-])"
)
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,9}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{1,30}\b")
_LINK_TARGET = re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)|^[ \t]*\[[^\]\r\n]+\]:[^\r\n]*", re.M)
HTML_TAGS = frozenset(
    "a abbr b blockquote br caption cite code dd del details dfn div dl dt em figcaption "
    "figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s samp small span "
    "strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var video "
    "audio source picture section article header footer nav main aside center".split()
)
PLACEHOLDER_SHAPES = {
    "double-curly": re.compile(r"\{\{\s*[^\W\d][\w .-]{0,60}?\s*\}\}"),
    "curly": re.compile(r"(?<!\{)\{\s*[^\W\d][\w .-]{0,60}?\s*\}(?!\})"),
    "square": re.compile(r"(?<![\]!\\\w])\[\s*[^\W\d][\w .'/#&-]{0,60}?\s*\](?![(\[:])"),
    "angle": re.compile(r"<([^\W\d][\w .'/#&-]{0,60}?)(?:(?<=[\w#])|(?<=\bno\.))>"),
    # (customer name), (Order Number), (insert date): a field written in round brackets
    "round": re.compile(
        r"\(\s*(?:(?:insert|enter|add|put)\s+)?"
        r"(?:(?:(?:customer|customer's|client|caller|member|patient|guest|user|account|order|case|ticket|"
        r"booking|reference|ref|tracking|policy|claim|invoice|first|last|full|agent|rep|your|company|"
        r"product|store|branch|delivery|appointment|due|refund|renewal|start|end)\s+){1,3}"
        r"(?:name|number|no\.?|#|id|date|time|address|email|e-mail|phone|amount|postcode|zip|reference|ref)"
        r"|(?:(?:insert|enter|add|put)\s+)(?:name|date|time|amount|number)|name|first\s+name)\s*\)",
        re.I,
    ),
    "xxx": re.compile(r"(?<![\w£$€])[£$€]?(?=[X/.:,-]*X[X/.:,-]*X[X/.:,-]*X)X{2,}(?:[/.:,-]X{2,})*(?![\w])"),
    "blank": re.compile(r"(?:(?<=\S)|(?<=\S[ \t]))_{3,}|_{3,}(?=[ \t]?[^\s_])"),
    "percent": re.compile(r"(?<![\w%])%%?[A-Za-z][A-Za-z0-9_]*(?:[ .-][A-Za-z0-9_]+){0,3}%%?(?![\w%\\/])"),
    "merge-tag": re.compile(r"\*\|[A-Za-z][A-Za-z0-9_:]{0,40}\|\*"),
    # $customer_name, ${name}: lower case, so amounts ($5) and currencies ($USD) are not fields
    "dollar": re.compile(r"(?<![\w$])\$(?:\{[A-Za-z_]\w{0,40}\}|[a-z][a-z0-9]{0,30}(?:_[a-z0-9]+){0,4})(?![\w])"),
    # INSERT_HOTEL_NAME, CUSTOMER_FIRST_NAME: one part names a field, unlike ERR_CONNECTION_REFUSED
    "caps-field": re.compile(
        r"(?<![\w])(?=[A-Z0-9_]*(?<![A-Z])(?:INSERT|ENTER|NAME|FIRST|LAST|FULL|CUSTOMER|CLIENT|AGENT|ORDER|"
        r"CASE|TICKET|REF|REFERENCE|NUMBER|DATE|TIME|ADDRESS|EMAIL|PHONE|AMOUNT|PRICE|HOTEL|COMPANY|"
        r"PRODUCT|ACCOUNT|POSTCODE|BOOKING)(?![A-Z]))(?:[A-Z][A-Z0-9]*_)+[A-Z0-9]+(?![\w])"
    ),
}
"""The shapes of an unfilled template field: the four DESIGN.md names ({{order_id}},
{name}, [NAME], <order number>) plus those templates often use: XX/XX/XXXX, £XX.XX,
blanks to fill in (Dear ___,), %FIRSTNAME%, mail-merge tags (*|FNAME|*), $first_name,
INSERT_HOTEL_NAME and (customer name)."""
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?:\s+[^<>]*?)?/?>")

# Quoted speech.
_DQUOTE_PAIRS = re.compile(r"\"[^\"\r\n]*(?:\r?\n(?![ \t]*\r?\n)[^\"\r\n]*)*\"|“[^“”]*?”")
_SQUOTE_OPEN = re.compile(rf"(?<![\w{_APOS}])['‘](?=[^\W_])")
_SQUOTE_CLOSE = re.compile(rf"(?<=[^\s{_APOS}])['’](?![\w])")

_TOKEN = re.compile(
    rf"""
    (?P<opaque>[{OPAQUE}{QUOTE}]+)
  | (?P<abbr>(?:[^\W\d_]\.){{2,}})
  | (?P<num>\d+(?:[.,:/]\d+)*%?(?:[^\W_]|[{_APOS}](?=\w))*)
  | (?P<word>[^\W_](?:[\w{_COMBINING}]|[{_APOS}](?=[^\W_])|[-\u2010\u2011&](?=[^\W_]))*)
  | (?P<soft>[,;:\u2013\u2014]|(?<=\s)-(?=\s))
  | (?P<term>[.!?\u2026]+)
  | (?P<nl>(?:\r\n|[\r\n\u2028\u2029])(?:[ \t]*(?:\r\n|[\r\n\u2028\u2029]))*)
    """,
    re.X,
)

# Contractions: spelled out so one pattern ("will not") covers every spelling.
_WHOLE = {
    "won't": "will not", "can't": "can not", "cannot": "can not", "shan't": "shall not",
    "ain't": "is not", "let's": "let us", "y'all": "you all",
    # Common spellings without the apostrophe. "wont", "cant", "ill", "id", "were",
    # "well", "shell" and "its" are real words too; only the unambiguous ones are here
    # plus "wont" and "cant", which in a reply almost always mean "won't" and "can't".
    "wont": "will not", "cant": "can not", "dont": "do not", "doesnt": "does not",
    "didnt": "did not", "isnt": "is not", "arent": "are not", "wasnt": "was not",
    "werent": "were not", "couldnt": "could not", "shouldnt": "should not",
    "wouldnt": "would not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
    "mustnt": "must not", "im": "i am", "ive": "i have", "youre": "you are",
    "youve": "you have", "theyre": "they are", "theyve": "they have", "thats": "that is",
    "theres": "there is", "whats": "what is", "wouldve": "would have",
    "shouldve": "should have", "couldve": "could have", "mustve": "must have",
}
_SUFFIX = {"re": "are", "ve": "have", "ll": "will", "m": "am", "d": "'d"}
_S_IS = frozenset("it that there here what who he she where how when why everything nothing something this".split())


@lru_cache(maxsize=20_000)
def canonical_words(word: str) -> tuple[str, ...]:
    """The canonical lower-case word(s) for one token: contractions spelled out."""
    return tuple(_canonical_words(word))


def _canonical_words(word: str) -> list[str]:
    w = word.lower()
    for ch in "\u2019\u02bc\u2018":
        w = w.replace(ch, "'")
    w = w.replace("\u2010", "-").replace("\u2011", "-")
    whole = _WHOLE.get(w)
    if whole is not None:
        return whole.split()
    if "'" not in w:
        return [w]
    if w.endswith("n't") and len(w) > 3:
        return [w[:-3], "not"]
    base, _, suffix = w.rpartition("'")
    if not base:
        return [w]
    if suffix == "s":
        return [base, "is"] if base in _S_IS else [base, "'s"]
    spelled = _SUFFIX.get(suffix)
    if spelled is not None:
        return [base, spelled]
    return [w]


@dataclass(slots=True)
class Token:
    start: int
    end: int
    kind: str
    """``word``, ``num``, ``abbr``, ``soft`` (comma and the like), ``term`` (., !, ?),
    ``opaque`` (masked) or ``quote`` (quoted speech)."""
    sentence: int = 0


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    """Offset of the first token in the original text."""
    end: int
    """Offset just past the last token (its final punctuation included)."""
    canon_start: int
    canon_end: int
    words: list[int] = field(default_factory=list)
    """Token indices of the words (not numbers or punctuation) in this sentence."""


FILLERS = frozenset(
    "really actually truly totally completely simply basically literally quite very extremely "
    "incredibly genuinely unfortunately sadly regrettably still even also already clearly "
    "obviously just definitely certainly absolutely honestly frankly surely probably perhaps "
    "possibly personally".split()
)
"""Adverbs that colour a phrase without changing what it does: "you've clearly
misunderstood" is "you have misunderstood", "we unfortunately can't refund" is "we can
not refund". Phrase rules also run on a *compact* view of each sentence without them, so
one pattern covers every way of padding it. (Rules that look for the adverb itself,
"obviously" or "definitely", still see it in the full view.)"""


@dataclass
class View:
    """A canonical string and how its characters map back to tokens and sentences."""

    canon: str
    piece_starts: list[int]
    piece_tokens: list[int]
    sentence_starts: list[int]
    """Canonical start of each sentence in this view, ascending."""
    sentence_ranges: list[tuple[int, int, int]]
    """``(canon_start, canon_end, sentence index)`` for each sentence in this view."""

    def sentence_at(self, canon_pos: int) -> tuple[int, int, int]:
        """``(canon_start, canon_end, sentence index)`` of the sentence holding ``canon_pos``."""
        return self.sentence_ranges[bisect_right(self.sentence_starts, canon_pos) - 1]

    def range_of(self, sentence: int) -> tuple[int, int] | None:
        """``(canon_start, canon_end)`` of a sentence, or None if this view leaves it out."""
        if self._by_sentence is None:
            self._by_sentence = {index: (start, end) for start, end, index in self.sentence_ranges}
        return self._by_sentence.get(sentence)

    _by_sentence: dict[int, tuple[int, int]] | None = field(default=None, repr=False, compare=False)


@dataclass
class Document:
    """One text, analysed once and shared by every rule."""

    text: str
    masked: str
    """``text`` with structural noise blanked (offsets unchanged); quoted speech kept."""
    prose: str
    """``masked`` with quoted speech blanked too: what the rep actually wrote."""
    tokens: list[Token]
    sentences: list[Sentence]
    canon: str
    piece_starts: list[int]
    piece_tokens: list[int]
    line_starts: list[int]
    views: tuple[View, ...] = ()
    """The full canonical view, then (if any sentence had fillers) the compact one."""
    _learned_scores: object = field(default=None, repr=False, compare=False)
    """The learned model's sentence scores, once computed (``kb.lint.learned.scores``)."""

    def span(self, canon_start: int, canon_end: int, view: View | None = None) -> tuple[int, int]:
        """Original offsets covered by the canonical range ``[canon_start, canon_end)``."""
        starts = self.piece_starts if view is None else view.piece_starts
        owners = self.piece_tokens if view is None else view.piece_tokens
        first = owners[bisect_right(starts, canon_start) - 1]
        last = owners[bisect_right(starts, max(canon_start, canon_end - 1)) - 1]
        return self.tokens[first].start, self.tokens[last].end

    def sentence_at(self, canon_pos: int) -> Sentence:
        token = self.piece_tokens[bisect_right(self.piece_starts, canon_pos) - 1]
        return self.sentences[self.tokens[token].sentence]

    def sentence_canon(self, sentence: Sentence) -> str:
        return self.canon[sentence.canon_start : sentence.canon_end]

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``offset``."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")


def line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


def _blank(chars: list[str], start: int, end: int, fill: str) -> None:
    """Overwrite ``chars[start:end]`` with ``fill``, keeping line breaks (offsets stay put)."""
    first = True
    for i in range(start, end):
        if chars[i] in "\r\n\u2028\u2029":
            first = True
            continue
        chars[i] = fill if first else " "
        first = False


def _mask(text: str) -> tuple[str, str]:
    chars = list(text)
    for pattern in (_FRONT_MATTER, _FENCE, _COMMENT, _QUOTED_LINE):
        for m in pattern.finditer(text):
            _blank(chars, m.start(), m.end(), OPAQUE)
    for m in _HTML_TAG.finditer(text):
        if m.group(1).lower() in HTML_TAGS:
            _blank(chars, m.start(), m.end(), " ")
    for m in _ENTITY.finditer(text):  # "&amp;" is "&", not a word to count or a capital to shout
        _blank(chars, m.start(), m.end(), " ")
    structural = "".join(chars)
    for pattern in (_INLINE_CODE, _URL, _LINK_TARGET, _HANDLE):
        for m in pattern.finditer(structural):
            _blank(chars, m.start(), m.end(), OPAQUE)
    masked = "".join(chars)
    for pattern in PLACEHOLDER_SHAPES.values():  # template fields are not prose
        for m in pattern.finditer(masked):
            if text[m.end() : m.end() + 1] not in ("(", "[", ":"):
                _blank(chars, m.start(), m.end(), OPAQUE)
    for start, end in quoted_spans(masked):
        _blank(chars, start, end, QUOTE)
    return masked, "".join(chars)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted speech, quote marks included."""
    spans = [(m.start(), m.end()) for m in _DQUOTE_PAIRS.finditer(text)]
    closers = [m.start() for m in _SQUOTE_CLOSE.finditer(text)]
    position = 0
    for m in _SQUOTE_OPEN.finditer(text):
        if m.start() < position:
            continue
        i = bisect_right(closers, m.start())
        while i < len(closers):
            close = closers[i]
            gap = text[m.start() : close]
            if "\n" in gap or len(gap) > 200:
                break
            if close > m.start() + 1:
                spans.append((m.start(), close + 1))
                position = close + 1
                break
            i += 1
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    return merged


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof sr jr vs approx no nos ref tel fig inc ltd co corp dept est "
    "ave rd mt ft".split()
)


def analyse(text: str) -> Document:
    """Mask, tokenise and split ``text`` into sentences (see the module docstring)."""
    masked, prose = _mask(text)
    tokens: list[Token] = []
    sentences: list[Sentence] = []
    canon_parts: list[str] = ["\n"]  # every sentence, the first too, follows a line break
    piece_starts: list[int] = []
    piece_tokens: list[int] = []
    cursor = 1  # length of the canonical string so far
    current: Sentence | None = None
    separator = ""  # what goes before the next piece: "", " " or ","

    sentence_pieces: list[tuple[str, str, int]] = []  # (separator before, piece, token) of the open sentence
    compact = _CompactBuilder()

    def close() -> None:
        nonlocal current, cursor
        if current is not None:
            compact.add(current.index, sentence_pieces)
            sentence_pieces.clear()
            current.canon_end = cursor
            last = len(tokens) - 1
            while tokens[last].kind == "soft":  # "Hi Sam," ends at "Sam"
                last -= 1
            current.end = tokens[last].end
            sentences.append(current)
            canon_parts.append("\n")
            cursor += 1
            current = None

    for m in _TOKEN.finditer(prose):
        kind = m.lastgroup
        assert kind is not None
        if kind == "nl":
            following = prose[m.end() : m.end() + 80].lstrip(" \t")[:1]
            blank_line = len(_LINE_BREAK.findall(m.group())) > 1
            if blank_line or not following or not (following.islower() or following.isdigit()):
                close()
            continue
        start, end = m.span()
        if kind == "opaque":
            kind = "quote" if prose[start] == QUOTE else "opaque"
        if current is None and kind in ("opaque", "soft", "term"):
            continue  # masked material and stray punctuation start no sentence
        if current is None:
            current = Sentence(len(sentences), start, end, cursor, cursor)
            separator = ""
        token = Token(start, end, kind, current.index)
        tokens.append(token)
        index = len(tokens) - 1
        if kind == "soft":
            separator = ","  # commas and the like separate the next token: "sorry,but"
            continue
        if kind in ("word", "num", "abbr"):
            current.words.append(index)
        if kind == "word":
            pieces = canonical_words(m.group())
        elif kind == "quote":
            pieces = [QUOTE_TOKEN]
        elif kind == "opaque":
            pieces = [OPAQUE_TOKEN]
        elif kind == "term":
            pieces = [m.group()[0] if m.group()[0] != "\u2026" else "..."]
        else:
            pieces = [m.group().lower()]
        for piece in pieces:
            if separator:
                canon_parts.append(separator)
                cursor += 1
            sentence_pieces.append((separator, piece, index))
            separator = " "
            piece_starts.append(cursor)
            piece_tokens.append(index)
            canon_parts.append(piece)
            cursor += len(piece)
        if kind == "term" and _ends_sentence(prose, m, tokens):
            close()
    close()
    canon = "".join(canon_parts)
    full = View(
        canon,
        piece_starts,
        piece_tokens,
        [s.canon_start for s in sentences],
        [(s.canon_start, s.canon_end, s.index) for s in sentences],
    )
    views = (full,) if compact.empty else (full, compact.view())
    return Document(
        text=text,
        masked=masked,
        prose=prose,
        tokens=tokens,
        sentences=sentences,
        canon=canon,
        piece_starts=piece_starts,
        piece_tokens=piece_tokens,
        line_starts=line_starts(text),
        views=views,
    )


class _CompactBuilder:
    """Builds the compact view: the sentences that had fillers, without them."""

    def __init__(self) -> None:
        self.parts: list[str] = ["\n"]
        self.cursor = 1
        self.piece_starts: list[int] = []
        self.piece_tokens: list[int] = []
        self.ranges: list[tuple[int, int, int]] = []

    @property
    def empty(self) -> bool:
        return not self.ranges

    def add(self, sentence: int, pieces: list[tuple[str, str, int]]) -> None:
        if not any(piece in FILLERS for _, piece, _ in pieces):
            return
        kept = [p for p in pieces if p[1] not in FILLERS]
        if not kept:
            return
        start = self.cursor
        pending = ""
        first = True
        for separator, piece, token in pieces:
            if piece in FILLERS:
                if separator == ",":
                    pending = ","
                continue
            if not first:
                sep = "," if "," in (separator, pending) else " "
                self.parts.append(sep)
                self.cursor += 1
            first = False
            pending = ""
            self.piece_starts.append(self.cursor)
            self.piece_tokens.append(token)
            self.parts.append(piece)
            self.cursor += len(piece)
        self.ranges.append((start, self.cursor, sentence))
        self.parts.append("\n")
        self.cursor += 1

    def view(self) -> View:
        return View(
            "".join(self.parts), self.piece_starts, self.piece_tokens, [r[0] for r in self.ranges], self.ranges
        )


def _ends_sentence(prose: str, m: re.Match[str], tokens: list[Token]) -> bool:
    """Whether the terminator ``m`` ends a sentence (not "e.g.", "Dr.", "v1.2", "... and")."""
    after = m.end()
    while after < len(prose) and prose[after] in "\"'”’)]*_»":
        after += 1
    if after < len(prose) and not prose[after].isspace():
        return False  # "v1.2", "end.Next", "Thanks!🙂"
    rest = prose[after : after + 40].lstrip()
    if rest and (rest[0].islower() or rest[0] in ",;:"):
        return False
    if m.group() == "." and len(tokens) >= 2:
        previous = tokens[-2]
        word = prose[previous.start : previous.end].lower()
        if previous.end == m.start() and word in _ABBREVIATIONS:
            if word in ("no", "nos"):
                return not rest[:1].isdigit()  # "No. 5" but "The answer is no. We..."
            if rest[:1].isalnum():
                return False
    return True
