"""Find: search the playbook, read articles, reach their snippets (``FindPanel``)."""

from desktop.search.panel import FindPanel

__all__ = ["FindPanel"]
