"""Full-text search over articles (Whoosh), behind one small interface.

``SearchIndex`` (in ``kb.search.engine``) is the only class the rest of Tactful uses;
it could be replaced by another engine without touching the facade. Importing this
package is cheap: Whoosh (~200 ms) is loaded only when ``SearchIndex`` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kb.search.docs import IndexDoc, IndexState

if TYPE_CHECKING:
    from kb.search.engine import SearchIndex

__all__ = ["IndexDoc", "IndexState", "SearchIndex"]


def __getattr__(name: str) -> Any:
    if name == "SearchIndex":
        from kb.search.engine import SearchIndex

        return SearchIndex
    raise AttributeError(f"module 'kb.search' has no attribute {name!r}")
