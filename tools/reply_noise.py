"""How noisy the phrasing checker is on real agent replies: the share it flags, and why.

A checker that flags ordinary, decent replies gets switched off. This lints replies
written by people answering customers and reports the share with a warning or an
error (bar: <= 3%), the share with anything at all, the rules behind them and every
warning-level reply, so a person can judge whether each flag is fair.

Input: a JSONL file with one ``{"text": ...}`` per line, or ``--convlab SDIST``: the
``convlab==3.0.1`` source archive from PyPI, whose MultiWOZ and CamRest676 template
tables hold the agent-side turns of the Wizard-of-Oz help-desk dialogues (people
playing a Cambridge booking desk, Apache-2.0). Only the system (agent) tables are
read; turns with ``#SLOT#`` placeholders are dropped, and the dataset's tokenised
spacing ("do n't", " ?") is undone::

    .venv/bin/pip download --no-deps --no-binary :all: -d /tmp/convlab convlab==3.0.1
    .venv/bin/python tools/reply_noise.py --convlab /tmp/convlab/convlab-3.0.1.tar.gz
    .venv/bin/python tools/reply_noise.py replies.jsonl --show 40
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CONVLAB_TABLES = (
    "convlab/nlg/template/multiwoz/auto_system_template_nlg.json",
    "convlab/nlg/template/camrest/auto_system_template_nlg.json",
)


def _strings(value: object):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def detokenise(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r" ([.,!?;:%)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    text = re.sub(r" n't\b", "n't", text)
    return re.sub(r" ?' ?(s|re|ll|ve|d|m)\b", r"'\1", text)


def convlab_replies(sdist: Path) -> list[str]:
    """The placeholder-free agent turns of the convlab archive, de-duplicated, in a fixed order."""
    seen: dict[str, None] = {}
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if not member.name.endswith(CONVLAB_TABLES):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            for raw in sorted(set(_strings(json.load(handle)))):
                if "#" in raw or len(raw.strip()) < 3:
                    continue
                seen.setdefault(detokenise(raw), None)
    return list(seen)


def jsonl_replies(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line).get("text")
            if isinstance(text, str) and text.strip():
                out.append(text)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("replies", nargs="?", type=Path, help="JSONL file of {\"text\": ...}")
    parser.add_argument("--convlab", type=Path, help="the convlab==3.0.1 sdist (.tar.gz)")
    parser.add_argument("--show", type=int, default=25, help="warning-level replies to print")
    args = parser.parse_args()
    if args.convlab:
        replies, source = convlab_replies(args.convlab), f"{args.convlab.name} (MultiWOZ/CamRest676 agent turns)"
    elif args.replies:
        replies, source = jsonl_replies(args.replies), str(args.replies)
    else:
        parser.error("give a JSONL file or --convlab SDIST")
    if not replies:
        print("no replies found", file=sys.stderr)
        return 2

    from kb.lint import lint

    warned, anything = [], 0
    rules: Counter[str] = Counter()
    for text in replies:
        findings = lint(text)
        if findings:
            anything += 1
        serious = [f for f in findings if f.severity in ("warning", "error")]
        for f in findings:
            rules[f"{f.severity:7} {f.rule}"] += 1
        if serious:
            warned.append((text, serious))
    n = len(replies)
    print(f"{source}: {n:,} replies")
    print(f"  warnings or errors: {len(warned):,} ({len(warned) / n:.1%}; bar <= 3%)")
    print(f"  anything at all:    {anything:,} ({anything / n:.1%})")
    for rule, count in rules.most_common(15):
        print(f"    {count:5}  {rule}")
    for text, serious in warned[: args.show]:
        marks = ", ".join(f"{f.rule} {f.match!r}" for f in serious)
        print(f"  - {text[:140]!r}\n      {marks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
