"""Back/forward history for the article view: slugs plus where the reader had scrolled to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Visit:
    slug: str
    scroll: int = 0


class History:
    """A browser-style history: visiting after going back drops the forward entries."""

    def __init__(self, limit: int = 100) -> None:
        self._visits: list[Visit] = []
        self._pos = -1
        self._limit = limit

    @property
    def current(self) -> Visit | None:
        return self._visits[self._pos] if self._pos >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._pos > 0

    @property
    def can_go_forward(self) -> bool:
        return 0 <= self._pos < len(self._visits) - 1

    def visit(self, slug: str) -> Visit:
        """Record a new visit (nothing changes if ``slug`` is already the current one)."""
        current = self.current
        if current is not None and current.slug == slug:
            return current
        del self._visits[self._pos + 1 :]
        self._visits.append(Visit(slug))
        if len(self._visits) > self._limit:
            del self._visits[0]
        self._pos = len(self._visits) - 1
        return self._visits[self._pos]

    def back(self) -> Visit | None:
        if not self.can_go_back:
            return None
        self._pos -= 1
        return self._visits[self._pos]

    def forward(self) -> Visit | None:
        if not self.can_go_forward:
            return None
        self._pos += 1
        return self._visits[self._pos]

    def slugs(self) -> list[str]:
        return [v.slug for v in self._visits]
