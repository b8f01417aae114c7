"""Replies in progress, saved to the database so none is ever lost.

The composer saves the open draft every few seconds and on close; after a crash or a
power cut the most recent open draft comes back. Drafts are the rep's own: pack imports
and seeding never touch this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kb.errors import NotFound

if TYPE_CHECKING:  # kb.store loads sqlite-utils; the GUI imports this module on its start-up path
    from kb.store import Store


@dataclass
class Draft:
    id: int | None = None
    case_ref: str = ""
    customer: str = ""
    body: str = ""
    questions: dict[str, str] = field(default_factory=dict)
    """The three key questions: ``why`` they are upset, what they ``want``, how I can ``help``."""
    values: dict[str, str] = field(default_factory=dict)
    """Values typed into snippet fields for this reply, offered again for the next snippet."""
    ignored: list[str] = field(default_factory=list)
    """Keys of phrasing findings the rep chose to ignore in this draft."""
    recipe: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    closed_at: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.body.strip() or self.case_ref.strip() or self.customer.strip()
                    or any(v.strip() for v in self.questions.values()))

    def _data(self) -> str:
        import json  # not at the top: the GUI imports this module on its start-up path

        return json.dumps(
            {"questions": self.questions, "values": self.values, "ignored": self.ignored,
             "recipe": self.recipe},
            ensure_ascii=False,
            sort_keys=True,
        )


class Drafts:
    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, draft: Draft) -> Draft:
        """Insert or update ``draft``; it gets an id and timestamps."""
        from kb.models import now_iso  # not at the top: the GUI imports this module as it starts

        stamp = now_iso()
        with self.store.write() as db:
            if draft.id is None:
                cursor = db.execute(
                    "INSERT INTO drafts (case_ref, customer, body, data, created_at, updated_at, closed_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [draft.case_ref, draft.customer, draft.body, draft._data(), stamp, stamp, draft.closed_at],
                )
                draft.id, draft.created_at = cursor.lastrowid, stamp
            else:
                db.execute(
                    "UPDATE drafts SET case_ref=?, customer=?, body=?, data=?, updated_at=?, closed_at=? WHERE id=?",
                    [draft.case_ref, draft.customer, draft.body, draft._data(), stamp, draft.closed_at, draft.id],
                )
        draft.updated_at = stamp
        return draft

    def get(self, draft_id: int) -> Draft:
        rows = list(self.store.db.query("SELECT * FROM drafts WHERE id = ?", [draft_id]))
        if not rows:
            raise NotFound(f"No draft with id {draft_id}; it may have been deleted.")
        return _from_row(rows[0])

    def recent(self, limit: int = 30, *, include_closed: bool = True) -> list[Draft]:
        sql = "SELECT * FROM drafts"
        if not include_closed:
            sql += " WHERE closed_at IS NULL"
        sql += " ORDER BY updated_at DESC, id DESC LIMIT ?"
        return [_from_row(r) for r in self.store.db.query(sql, [limit])]

    def latest_open(self) -> Draft | None:
        """The draft to bring back after a restart: the most recently touched open one."""
        found = self.recent(1, include_closed=False)
        return found[0] if found else None

    def close(self, draft_id: int) -> None:
        from kb.models import now_iso

        with self.store.write() as db:
            db.execute("UPDATE drafts SET closed_at = ? WHERE id = ?", [now_iso(), draft_id])

    def delete(self, draft_id: int) -> None:
        with self.store.write() as db:
            db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])

    def prune(self, keep: int = 200) -> int:
        """Forget closed drafts beyond the newest ``keep``; returns how many went."""
        with self.store.write() as db:
            cursor = db.execute(
                "DELETE FROM drafts WHERE closed_at IS NOT NULL AND id NOT IN "
                "(SELECT id FROM drafts WHERE closed_at IS NOT NULL ORDER BY updated_at DESC, id DESC LIMIT ?)",
                [keep],
            )
            return cursor.rowcount


def _from_row(row: dict[str, Any]) -> Draft:
    import json

    data = json.loads(row["data"] or "{}")
    return Draft(
        id=row["id"],
        case_ref=row["case_ref"],
        customer=row["customer"],
        body=row["body"],
        questions=dict(data.get("questions") or {}),
        values=dict(data.get("values") or {}),
        ignored=list(data.get("ignored") or []),
        recipe=data.get("recipe"),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        closed_at=row["closed_at"],
    )
