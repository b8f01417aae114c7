"""Compiling rule patterns against the canonical text (see ``kb.lint.text``).

A pattern is a regular expression written in lower case, in natural spelling:

* a space between words matches one token boundary, with an optional comma, colon,
  semicolon or dash in between (all written as one "," token in the canonical text) ("sorry but" matches "Sorry, but");
* contractions in a pattern are spelled out the same way as in the text, so
  ``won't`` in a pattern matches "won't", "wont", "will not" and "won’t";
* ``had`` and ``would`` also match the ambiguous ``'d`` ("you'd", "I'd");
* matches always start and end on token boundaries;
* ``^`` and ``$`` are the start and end of a sentence;
* ``{name}`` inserts a shared macro (``MACROS``; the generated reference lists them).

Patterns are compiled once, when the rules load, through ``kb.lint.compiled.CACHE``
(compiled code kept in the data folder between runs).
"""

from __future__ import annotations

import re

from kb.lint.compiled import CACHE
from kb.lint.text import _WHOLE as _WHOLE_WORDS, canonical_words

SEP = "."
"""What a space in a pattern becomes: the one character between two tokens, which the
canonical text writes as " ", or as "," where a comma, semicolon, colon or dash sits
between them. A dot rather than ``[ ,]`` because compiling is most of the rules' load
time and a character class costs several times more to compile than a dot."""

_IRREGULAR_PP = (
    "been done gone seen given taken written made paid sent kept read put set cut left lost "
    "bought brought thought told sold said found heard known shown got gotten held meant "
    "spent built felt met run won understood stood taught caught led begun broken chosen "
    "driven eaten fallen forgotten ridden spoken stolen worn drawn grown thrown flown "
    "hidden shut let hit rung sung torn woken withdrawn"
).split()
_IRREGULAR_PAST = (
    "did went saw gave took wrote made paid sent kept read put set cut left lost bought "
    "brought thought told sold said found heard knew showed got held meant spent built felt "
    "met ran won understood stood caught began broke chose drove ate fell forgot rode spoke "
    "stole wore drew threw hid shut let hit tore woke withdrew"
).split()
_NOT_PARTICIPLES = "need seed feed speed bed red shed weed indeed bleed breed embed".split()

MACROS: dict[str, tuple[str, str]] = {
    "pp": (
        r"(?:(?!(?:" + "|".join(_NOT_PARTICIPLES) + r")(?![a-z]))[a-z]+(?:-[a-z]+)*ed|"
        + "|".join(_IRREGULAR_PP)
        + r")",
        "a past participle (kept, sent, clicked, charged, ...)",
    ),
    "past": (
        r"(?:(?!(?:" + "|".join(_NOT_PARTICIPLES) + r")(?![a-z]))[a-z]+(?:-[a-z]+)*ed|"
        + "|".join(_IRREGULAR_PAST)
        + r")",
        "a simple past verb (clicked, chose, forgot, ...)",
    ),
    "w": (r"[^ \n,;:.!?]+", "any one word"),
    "any": (r"(?:[^ \n]+ ){0,8}?", "up to eight tokens (write it between spaces: 'if you {any} would')"),
    "neg": (r"(?:not|never)", "not / never (contractions are already spelled out)"),
    "refuse": (
        r"(?:(?:i|we) (?:can not|could not possibly|will never|would never|"
        r"will not|do not|am not able to|are not able to|am unable to|are unable to|"
        r"will not be able to|would not be able to|are not allowed to|am not allowed to|"
        r"are not permitted to|am not permitted to|are not authori[sz]ed to|am not authori[sz]ed to|"
        r"are not in a position to|am not in a position to|(?:do not|does not)(?: normally| usually)?))",
        "I / we + can't, won't, don't, am unable to, are not allowed to, ...",
    ),
    "others": (
        r"(?:(?:(?:the|our|my|your) )?(?:head office|management|warehouse|courier|driver|supplier|"
        r"manufacturer|system|computer|accounts|billing|finance|dispatch|corporate|hq|the business|legal|"
        r"compliance|underwriters|the bank|the landlord|colleagues?|manager|supervisor|boss|devs|developers|"
        r"engineers|packers|pickers|fitters|installers|technicians|drivers|couriers|"
        r"delivery (?:company|driver|firm)|(?:previous|last|other|another) (?:agent|rep|advis[eo]r|person|colleague)|"
        r"[^ \n,;:.!?]+ (?:team|department|dept|shift))|"
        r"they|them|someone else|somebody else|(?:whoever|the (?:person|agent|colleague)) you (?:spoke|talked) to|"
        r"(?:the |my )?(?:bosses|higher-ups)|(?:the )?(?:people|guys|folks|bosses) (?:upstairs|above me|in charge|at head office|at the top)|"
        r"the powers that be|upstairs|"
        r"(?:the|our|my|those) (?:[^ \n,;:.!?]+ )?[^ \n,;:.!?]+ (?:guys|people|lads|folks|staff|crew|lot|boys|girls|bunch|gang))",
        "another team or person the rep could hide behind (head office, the warehouse, the system, they)",
    ),
    "offer": (
        r"(?:(?<!nothing )(?<!nothing more )(?<!nothing else )(?<!nothing that )(?<!nothing further )"
        r"(?<!not much )(?<!not a lot )(?<!little )"
        r"(?:i|we|you) (?:can|could|will|'d|may|might|should)(?! not)(?! be able)(?! have)"
        r"(?! (?:see|confirm|understand|imagine|appreciate|assure you|hear|tell you|only see|only tell you)(?![a-z]))|"
        r"(?:i|we) (?:am|are) (?:happy|glad|able|going|pleased|more than happy) to|"
        r"(?<!circumstances )(?<!account )(?<!no way )(?<!nor )(?:can|could|shall|may) (?:i|we)(?! not)(?! only)(?! ask)|would you (?:be willing|be happy|consider)|"
        r"(?:i|we) (?:would be|'d be) (?:happy|glad|pleased) to|"
        r"(?:i|we) (?:have|had) (?:just |already |now |also )?(?:arranged|sent|added|applied|booked|asked|escalated|credited|"
        r"refunded|issued|set up|passed|raised|put|reserved|ordered|included|attached|opened|created|logged|"
        r"flagged|scheduled|organi[sz]ed|requested|emailed|posted|waived|reduced|extended|upgraded|moved|"
        r"changed|updated|fixed|replaced|found|cancelled|canceled|started|made|given)|"
        r"let me|instead|alternatively|(?:do not|no need to) worry|an alternative|what (?:i|we) can do|here is what|"
        r"the good news|the best (?:i|we) can do|(?:would|do) you (?:like|prefer|want)|"
        r"if you (?:would like|'d like|like|prefer|want|wish)|happy to|glad to|"
        r"(?:another|other|one|best) (?:option|way|choice)|options? (?:is|are|would be)|"
        r"(?:i|we) (?:recommend|suggest|offer)|(?:i|we) (?:can|could) (?:offer|suggest|arrange))",
        "an alternative offered ('but I can ...', 'instead', 'what I can do is ...', 'would you like ...')",
    ),
    "day": (
        r"(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"the weekend|next week|end of (?:the )?(?:day|week|month))",
        "a day or deadline (today, tomorrow, Friday, next week, ...)",
    ),
}

_MACRO = re.compile(r"\{([a-z]+)\}")
_ALIASES = {"had": "(?:had|'d)", "would": "(?:would|'d)"}
_OPTIONAL_COMMA = re.compile(r" *,\? *")
_COMMA = re.compile(r"(?<![\\\[]) *, *(?![^\[]*\])")
_SPACES = re.compile(" +")
_TRAILING_LOOKAROUND = re.compile(re.escape(SEP) + r"\(\?<?[=!][^()]*\)$")
# Only the words spelling changes: anything with an apostrophe, the whole-word
# contractions ("cannot", "wont") and the aliases. (Calling back for every word made
# this the second-largest cost of loading the rules.)
_TO_SPELL = re.compile(
    r"(?<![\\\w'])(?:[a-z]+'[a-z]+|"
    + "|".join(sorted((w for w in (*_WHOLE_WORDS, *_ALIASES) if "'" not in w), key=len, reverse=True))
    + r")(?![\w'])"
)


class PatternError(ValueError):
    """A pattern that cannot be used; the message says what is wrong."""


def _spell_out(source: str) -> str:
    """Contractions in the literal words of ``source`` spelled out like the text's tokens."""

    def replace(m: re.Match[str]) -> str:
        word = m.group()
        alias = _ALIASES.get(word)
        if alias is not None:
            return alias
        return " ".join(canonical_words(word))

    return _TO_SPELL.sub(replace, source.replace("\u2019", "'").replace("\u2018", "'"))


_CLASS_OR_ESCAPE = re.compile(r"(\[(?:\\.|[^\]\\])*\]|\\.)")


def _spaces_to_separators(source: str) -> str:
    """Each run of spaces outside character classes and escapes becomes ``SEP``."""
    parts = _CLASS_OR_ESCAPE.split(source)
    for i in range(0, len(parts), 2):  # even parts lie outside classes and escapes
        parts[i] = _SPACES.sub(SEP, parts[i])
    return "".join(parts)


def translate(pattern: str) -> str:
    """The regex source for one pattern (without boundaries); raises ``PatternError``."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise PatternError("a pattern must be non-empty text")
    if "(?P" in pattern:
        raise PatternError("named groups are not allowed in patterns")
    stripped = re.sub(r"\\.", "", pattern)
    if stripped != stripped.lower():
        raise PatternError(
            "patterns are matched against lower-case text; write the words in lower case"
        )
    unknown = [name for name in _MACRO.findall(pattern) if name not in MACROS]
    if unknown:
        raise PatternError(
            f"unknown macro {{{unknown[0]}}}; known macros: "
            + ", ".join("{" + name + "}" for name in MACROS)
        )
    source = pattern.strip()
    # "{any}" absorbs the spaces around it.
    source = re.sub(r" ?\{any\} ?", " \x01", source)
    # Keep macro names safe from contraction spelling and aliases.
    macros: list[str] = []

    def hold(m: re.Match[str]) -> str:
        macros.append(m.group(1))
        return f"\x02{len(macros) - 1}\x03"

    source = _MACRO.sub(hold, source)
    source = _COMMA.sub(",", _OPTIONAL_COMMA.sub(" ", source))
    source = _spaces_to_separators(_spell_out(source))
    source = source.replace(SEP + "\x01", " " + MACROS["any"][0]).replace("\x01", MACROS["any"][0])
    source = re.sub("\x02(\\d+)\x03", lambda m: MACROS[macros[int(m.group(1))]][0], source)
    if _TRAILING_LOOKAROUND.search(source):
        raise PatternError(
            f"pattern {pattern!r} ends with a space and then a look-ahead, so it can never match; "
            "attach the look-ahead to the word before it: 'any(?! inconvenience)'"
        )
    return source


def bounded(source: str) -> str:
    """``source`` anchored to token boundaries in the canonical text.

    The match includes the separator before the first token (a space, a comma or a
    line break; see ``body``) instead of a look-behind: a regex that starts with a
    character set lets the regex engine skip, in C, every position that is not a token
    start, which makes scanning several times faster.
    """
    return rf"[ ,\n](?:{source})(?![^ ,\n])"


def body(m: re.Match[str]) -> tuple[int, int]:
    """The span of a ``bounded`` match without its leading separator."""
    return m.start() + 1, m.end()


def compile_alternatives(patterns: list[str], *, named: bool = False) -> re.Pattern[str]:
    """One regex for several patterns; with ``named``, ``m.lastgroup`` names the one that
    matched (``p<i>``, for ``swap`` rewrites); without, the regex is smaller to compile.

    The combined regex is compiled once; only when it fails is each pattern compiled on
    its own, to name the one at fault (compiling is the main cost of loading rules).
    """
    sources = [translate(pattern) for pattern in patterns]
    if named:
        combined = bounded("|".join(f"(?P<p{i}>{source})" for i, source in enumerate(sources)))
    else:
        combined = bounded("|".join(sources))
    try:
        regex = CACHE.compile(combined, re.M)
    except re.error:
        for pattern, source in zip(patterns, sources):
            try:
                re.compile(source)
            except re.error as exc:
                raise PatternError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
        raise PatternError("the patterns do not combine into one regular expression") from None
    if regex.match("\n") is not None:
        for pattern, source in zip(patterns, sources):
            single = re.compile(bounded(source), re.M)
            if single.match("\n") is not None:
                raise PatternError(f"pattern {pattern!r} can match nothing at all; it would flag every text")
    return regex


def literal_pattern(phrase: str) -> str:
    """A pattern that matches ``phrase`` word for word (team accept and reject lists)."""
    from kb.lint.text import analyse

    doc = analyse(phrase)
    pieces = [doc.canon[s.canon_start : s.canon_end] for s in doc.sentences]
    canon = " ".join(pieces).strip()
    if not canon:
        raise PatternError("the phrase has no words to match")
    return " ".join(re.escape(piece) for piece in canon.split(" "))
