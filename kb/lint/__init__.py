"""The risky-phrasing checker: catch phrases that make a hard conversation harder.

Rules are data (``resources/rules/*.yaml``, one per rule; see ``kb.lint.rules`` and the
generated reference ``docs/rules.md``). The engine works on tokens, not substrings
(``kb.lint.text``), so it understands contractions, curly apostrophes, quoted customer
text and sentence context.

Public API::

    from kb.lint import Linter, lint, finding_key, load_team_sources
    linter = Linter.load(team_rule_dirs=(), extra_rules=(), accept=(), reject=())
    linter = Linter.load(**load_team_sources(paths))      # bundled + a data folder's team files
    linter.problems                 # one message per rule that was skipped
    linter.rules                    # the rules in use
    findings = linter.lint(text, ignore=keys)            # list[kb.models.Finding], by offset
    finding_key(finding)            # what a draft's ignore list stores
    lint(text)                      # bundled rules only, cached linter
    warm_up()                       # load readability data now (call off the GUI thread)

Importing this package is cheap: the engine, PyYAML and textstat load on first use.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.lint.engine import Linter
    from kb.lint.vocab import TeamSources, load_team_sources
    from kb.models import Finding

__all__ = ["Linter", "lint", "finding_key", "load_team_sources", "warm_up", "TeamSources"]


def __getattr__(name: str) -> Any:
    if name == "Linter":
        from kb.lint.engine import Linter

        return Linter
    if name in ("load_team_sources", "TeamSources"):
        from kb.lint import vocab

        return getattr(vocab, name)
    raise AttributeError(f"module 'kb.lint' has no attribute {name!r}")


@lru_cache(maxsize=1)
def default_linter() -> "Linter":
    """A linter with the bundled rules only, built once per process."""
    from kb.lint.engine import Linter

    return Linter.load()


def lint(text: str, *, ignore: Any = ()) -> "list[Finding]":
    """Check ``text`` with the bundled rules (see ``Linter.lint``)."""
    return default_linter().lint(text, ignore=ignore)


def finding_key(finding: "Finding") -> str:
    """The stable key of a finding for a draft's ignore list (see ``kb.lint.suppress``)."""
    from kb.lint.suppress import finding_key as key

    return key(finding)


def warm_up() -> None:
    """Load the rules and the readability data now, so the first real lint is fast."""
    from kb.lint import readability

    default_linter()
    readability.warm_up()
