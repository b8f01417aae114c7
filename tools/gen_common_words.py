"""Write resources/lexicon/common-words.txt: English words common enough to read as plain.

    pip install wordfreq==3.1.1                      # once, in any environment (~57 MB)
    python tools/gen_common_words.py                 # rewrite the list
    python tools/gen_common_words.py --check         # exit 1 if it is stale

The readability check counts a sentence's long words (three or more syllables) to tell
"remittance must be effectuated" from a sentence of plain words. Textstat's Dale-Chall
list of ~2,900 words a ten-year-old knows misses everyday adult words such as
"unfortunately", "information" and "available", so plain replies were graded hard. This
list adds every word whose Zipf frequency in wordfreq's English data is at least
``ZIPF`` (roughly: used at least 30 times per million words). Formal words stay below it:
"remittance" 2.6, "necessitate" 2.8, "commencement" 3.5, "subsequent" 4.4.

Only the word list is shipped, not wordfreq: the app needs a set lookup, not 57 MB of
frequency tables in 40 languages. The data is wordfreq's (CC-BY-SA 4.0; see
resources/licenses/third-party.md), so the file keeps that licence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "resources" / "lexicon" / "common-words.txt"
ZIPF = 4.5
MIN_LETTERS = 4  # shorter words are never three syllables long, bar a handful ("idea" is 4)

HEADER = f"""\
# English words common enough to read as plain (Zipf frequency >= {ZIPF}), one per line.
# Written by tools/gen_common_words.py from wordfreq 3.1.1's English data.
# Data: wordfreq, by Robyn Speer and contributors, CC-BY-SA 4.0
# (https://github.com/rspeer/wordfreq); this derived list is under the same licence.
"""


def words() -> list[str]:
    from wordfreq import top_n_list, zipf_frequency

    found = []
    for word in top_n_list("en", 60_000):
        if len(word) >= MIN_LETTERS and word.isascii() and word.isalpha() and zipf_frequency(word, "en") >= ZIPF:
            found.append(word)
    return sorted(set(found))


def render() -> str:
    return HEADER + "\n".join(words()) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed list is stale")
    args = parser.parse_args(argv)
    try:
        text = render()
    except ImportError:
        print("gen_common_words: needs wordfreq: pip install wordfreq==3.1.1", file=sys.stderr)
        return 2
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.is_file() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(REPO)} is stale: run tools/gen_common_words.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPO)}: {text.count(chr(10)) - HEADER.count(chr(10))} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
