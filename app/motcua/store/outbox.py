"""The outbox: every change bound upstream is written here in the same transaction as the change itself.

Each item carries an immutable key; the payload bytes never change once written, so a retry resends
identical bytes and the server can tell a repeat (same key, same hash) from a conflict (same key, new hash).
Nothing is deleted because a send failed: an item that keeps failing is parked, and never blocks the others.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from motcua.store.clock import iso

MAX_ATTEMPTS_BEFORE_PARKING = 12


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    key: str
    kind: str
    entity: str
    payload: bytes
    sha256: str
    attempts: int
    parked: bool
    last_error: str


def canonical_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def enqueue(db: Database, key: str, kind: str, entity: str, payload: dict[str, Any], now: datetime) -> None:
    """Add an item inside the caller's transaction; the same key twice with the same bytes is a no-op."""
    body = canonical_json(payload)
    digest = hashlib.sha256(body.encode()).hexdigest()
    existing = db.execute("SELECT sha256 FROM outbox WHERE key = ?", [key]).fetchone()
    if existing is not None:
        if existing[0] != digest:
            raise ValueError(f"outbox key {key!r} reused with different content")
        return
    db.execute(
        "INSERT INTO outbox (key, kind, entity, payload, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        [key, kind, entity, body, digest, iso(now)],
    )


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(row[0], row[1], row[2], row[3], row[4].encode(), row[5], row[6], bool(row[7]), row[8])


_COLUMNS = "id, key, kind, entity, payload, sha256, attempts, parked, last_error"


def due_items(db: Database, now: datetime, limit: int = 100) -> list[OutboxItem]:
    """Items ready to send, oldest first; parked items and items waiting out a back-off are skipped."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE sent_at IS NULL AND parked = 0 "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
        [iso(now), limit],
    ).fetchall()
    return [_item(r) for r in rows]


def mark_sent(db: Database, item_id: int, now: datetime) -> None:
    db.execute("UPDATE outbox SET sent_at = ?, last_error = '' WHERE id = ?", [iso(now), item_id])


def mark_failed(db: Database, item_id: int, error: str, now: datetime) -> None:
    """Back off exponentially (30 s … 1 h); park after too many attempts so the queue keeps moving."""
    attempts = db.execute("SELECT attempts FROM outbox WHERE id = ?", [item_id]).fetchone()[0] + 1
    delay = min(timedelta(seconds=30 * 2 ** (attempts - 1)), timedelta(hours=1))
    db.execute(
        "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, parked = ? WHERE id = ?",
        [attempts, error[:500], iso(now + delay), int(attempts >= MAX_ATTEMPTS_BEFORE_PARKING), item_id],
    )


def unpark(db: Database, item_id: int) -> None:
    db.execute("UPDATE outbox SET parked = 0, next_attempt_at = NULL WHERE id = ?", [item_id])


def counts(db: Database) -> dict[str, int]:
    row = db.execute(
        "SELECT SUM(sent_at IS NULL AND parked = 0), SUM(parked), SUM(sent_at IS NOT NULL) FROM outbox"
    ).fetchone()
    return {"pending": row[0] or 0, "parked": row[1] or 0, "sent": row[2] or 0}
