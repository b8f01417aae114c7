"""Tactful's core library: the knowledge base, its search, the phrasing checker and the CLI.

Nothing in this package imports Qt. ``import kb`` is cheap: the facade and everything
behind it load on first use, so the CLI's ``--version`` and the GUI's first window do
not pay for SQLite, Whoosh or Markdown.
"""

__version__ = "0.1.0"

__all__ = ["KnowledgeBase", "KbError", "__version__"]


def __getattr__(name: str):
    if name == "KnowledgeBase":
        from kb.facade import KnowledgeBase

        return KnowledgeBase
    if name == "KbError":
        from kb.errors import KbError

        return KbError
    raise AttributeError(f"module 'kb' has no attribute {name!r}")
