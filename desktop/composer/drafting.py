"""Never lose a draft: the open reply is saved through the one writer thread.

Saves happen every ``drafts/autosave_seconds`` while something changed, about a second
after typing stops, on ``save_now()`` and when the panel closes. Each save is a snapshot
of the widgets with a sequence number; the writer thread skips a snapshot older than one
it already wrote, so a late autosave can never overwrite newer text. The draft's row id
lives in a small ``_Ref`` shared with the writer thread, so a second save queued before
the first has run still updates the same row instead of inserting another.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kb.drafts import Draft

IDLE_SAVE_MS = 1000
"""Save this long after the last change, so a crash right after a pause loses nothing."""


class _Ref:
    """The row one draft is saved to; read and written by the writer thread."""

    def __init__(self, draft_id: int | None = None) -> None:
        self.id = draft_id
        self.written = 0
        self.lock = threading.Lock()


def _save(kb: Any, snapshot: Draft, ref: _Ref, seq: int) -> Draft | None:
    """Writer thread: save ``snapshot`` to ``ref``'s row unless something newer is there."""
    with ref.lock:
        if seq <= ref.written:
            return None
        ref.written = seq
        if ref.id is None and snapshot.is_empty:
            return None  # nothing typed yet: no row for an empty reply
        snapshot.id = ref.id
        kb.drafts.save(snapshot)
        ref.id = snapshot.id
        return snapshot


class DraftKeeper(QObject):
    """Saves the open reply; ``snapshot()`` reads the widgets into a fresh ``Draft``."""

    saved = Signal(object)  # the Draft as written
    failed = Signal(str)

    def __init__(self, kb: Any, tasks: Any, settings: Any, snapshot: Callable[[], Draft],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kb, self.tasks, self.settings = kb, tasks, settings
        self._snapshot = snapshot
        self._ref = _Ref()
        self._changed = 0
        self._submitted = 0
        self.autosave = QTimer(self)
        self.autosave.timeout.connect(self.save_if_changed)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_SAVE_MS)
        self.idle.timeout.connect(self.save_if_changed)
        self.apply_settings()
        self.autosave.start()

    def apply_settings(self) -> None:
        self.autosave.setInterval(int(self.settings.get("drafts/autosave_seconds")) * 1000)

    @property
    def draft_id(self) -> int | None:
        return self._ref.id

    @property
    def dirty(self) -> bool:
        return self._changed > self._submitted

    def mark_changed(self) -> None:
        self._changed += 1
        self.idle.start()

    def save_if_changed(self) -> None:
        if self.dirty:
            self.save_now()

    def save_now(self, *, closed: bool = False) -> None:
        """Queue a save of the widgets as they are now (closing the draft if ``closed``)."""
        self._changed += 1
        self._submitted = self._changed
        self.idle.stop()
        snapshot = self._snapshot()
        if closed:
            from kb.models import now_iso  # not at the top: kb.models loads with the KB

            snapshot.closed_at = now_iso()
        self.tasks.write(_save, self.kb, snapshot, self._ref, self._submitted,
                         on_done=self._saved, on_error=lambda e: self.failed.emit(str(e)))

    def _saved(self, draft: Draft | None) -> None:
        if draft is not None:
            self.saved.emit(draft)

    def start(self, draft_id: int | None = None) -> None:
        """Work on another row from now on (``None``: a new draft, created on first save)."""
        self._ref = _Ref(draft_id)
        self._changed = self._submitted = 0
        self.idle.stop()

    def close_current(self) -> None:
        """Save the open draft one last time, marked closed (it stays in the recent list)."""
        self.save_now(closed=True)
        self.start(None)
