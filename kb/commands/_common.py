"""What the CLI commands share: opening the knowledge base and showing progress."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kb.facade import KnowledgeBase


def open_kb(args: argparse.Namespace) -> KnowledgeBase:
    return KnowledgeBase.open(getattr(args, "home", None), progress=stderr_progress())


def stderr_progress():
    """A progress callback that draws a one-line bar on a terminal, and stays silent otherwise."""
    if not sys.stderr.isatty():
        return None
    last = {"pct": -1}

    def progress(done: int, total: int, message: str = "") -> None:
        pct = int(100 * done / total) if total else 100
        if pct == last["pct"]:
            return
        last["pct"] = pct
        sys.stderr.write(f"\r{message[:60]:<60} {pct:3d}%")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return progress


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
