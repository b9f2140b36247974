"""The outbox: every change bound upstream is written here in the same transaction as the change itself.

Each item carries an immutable key; the payload bytes never change once written, so a retry resends
identical bytes and the server can tell a repeat (same key, same hash) from a conflict (same key, new hash).
Once the node above holds them they are dropped here (personal data kept no longer than needed); the key and hash
stay, and the replica still has the text should it ever have to go again.
Nothing is deleted because a send failed: an item that keeps failing is parked, and never blocks the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from motcua.store.clock import iso

MAX_ATTEMPTS_BEFORE_PARKING = 12


class Database(Protocol):
    """A sqlite-utils Database or a :class:`motcua.store.sql.Sql`: both run ``execute(sql, params)``."""

    def execute(self, sql: str, params: Any = ..., /) -> Any: ...


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
    origin: str | None = None
    origin_seq: int | None = None


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
    return OutboxItem(
        row[0], row[1], row[2], row[3], row[4].encode(), row[5], row[6], bool(row[7]), row[8], row[9], row[10]
    )


# Once the node above holds an item its payload is dropped (:func:`mark_sent`, :func:`confirm`); should it ever have
# to go again, the event's text is still in the replica under the same key and hash.
_PAYLOAD = "COALESCE(NULLIF(payload, ''), (SELECT e.envelope FROM rep_events e WHERE e.key = outbox.key), '')"
_COLUMNS = f"id, key, kind, entity, {_PAYLOAD}, sha256, attempts, parked, last_error, origin, origin_seq"


def due_items(db: Database, now: datetime, limit: int = 100) -> list[OutboxItem]:
    """Items ready to send, oldest first; parked items and items waiting out a back-off are skipped."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM outbox WHERE sent_at IS NULL AND parked = 0 "
        "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
        [iso(now), limit],
    ).fetchall()
    return [_item(r) for r in rows]


def mark_sent(db: Database, item_id: int, now: datetime) -> None:
    """The node above answered "stored" or "already have it": the payload's personal data need not stay here (a
    visit, which no feed brings back, would otherwise keep it for ever); a resend reads the replica's copy."""
    db.execute("UPDATE outbox SET sent_at = ?, last_error = '', payload = '' WHERE id = ?", [iso(now), item_id])


def confirm(db: Database, key: str, now: datetime) -> bool:
    """The node above showed this item back in its changes: it is held there for good, so the bytes (the citizen's
    name, ID number, phone …) need not wait here any longer. The row stays with its key and SHA-256: a later
    "already have it?" check, a count, the status bar still work.

    Returns:
        Whether the item was confirmed now (False: already confirmed, or not an item of this outbox).
    """
    cur = db.execute(
        "UPDATE outbox SET confirmed_at = ?, payload = '' WHERE key = ? AND confirmed_at IS NULL", [iso(now), key]
    )
    return bool(cur.rowcount)


def unconfirm(db: Database, key: str) -> None:
    """The node above lost it (a restored backup): send it again, with its bytes back from the replica."""
    db.execute(f"UPDATE outbox SET sent_at = NULL, confirmed_at = NULL, payload = {_PAYLOAD} WHERE key = ?", [key])


def mark_failed(db: Database, item_id: int, error: str, now: datetime) -> None:
    """Back off exponentially (30 s … 1 h); park after too many attempts so the queue keeps moving."""
    attempts = db.execute("SELECT attempts FROM outbox WHERE id = ?", [item_id]).fetchone()[0] + 1
    delay = min(timedelta(seconds=30 * 2 ** (attempts - 1)), timedelta(hours=1))
    db.execute(
        "UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ?, parked = ? WHERE id = ?",
        [attempts, error[:500], iso(now + delay), int(attempts >= MAX_ATTEMPTS_BEFORE_PARKING), item_id],
    )


def park(db: Database, item_id: int, reason: str) -> None:
    """Stop sending an item that can never succeed as it is; it stays, with its reason, for a person to see."""
    db.execute(
        "UPDATE outbox SET parked = 1, attempts = attempts + 1, last_error = ? WHERE id = ?", [reason[:500], item_id]
    )


def unpark(db: Database, item_id: int) -> None:
    db.execute("UPDATE outbox SET parked = 0, attempts = 0, next_attempt_at = NULL WHERE id = ?", [item_id])


def retry_parked(db: Database, keys: Sequence[str] = ()) -> int:
    """Put parked items (all, or those keys) back in line; returns how many."""
    if keys:
        marks = ",".join("?" * len(keys))
        cur = db.execute(
            "UPDATE outbox SET parked = 0, attempts = 0, next_attempt_at = NULL "
            f"WHERE parked <> 0 AND key IN ({marks})",
            list(keys),
        )
    else:
        cur = db.execute("UPDATE outbox SET parked = 0, attempts = 0, next_attempt_at = NULL WHERE parked <> 0")
    return int(cur.rowcount)


def resend(db: Database, keys: Sequence[str]) -> int:
    """Send these again (the node above says it lacks them); returns how many were marked."""
    total = 0
    for i in range(0, len(keys), 500):
        chunk = list(keys[i : i + 500])
        marks = ",".join("?" * len(chunk))
        cur = db.execute(
            f"UPDATE outbox SET sent_at = NULL, next_attempt_at = NULL WHERE sent_at IS NOT NULL AND key IN ({marks})",
            chunk,
        )
        total += int(cur.rowcount)
    return total


def resend_origin(db: Database, origin: str, from_seq: int) -> int:
    """Send again everything of ``origin`` from ``from_seq`` on that the node above has not confirmed."""
    cur = db.execute(
        "UPDATE outbox SET sent_at = NULL, next_attempt_at = NULL WHERE origin = ? AND origin_seq >= ? "
        "AND sent_at IS NOT NULL AND confirmed_at IS NULL",
        [origin, from_seq],
    )
    return int(cur.rowcount)


def unconfirmed(db: Database, sent_before: datetime, limit: int = 500) -> list[str]:
    """Keys sent a while ago that the node above has not yet shown back in its changes."""
    rows = db.execute(
        "SELECT key FROM outbox WHERE sent_at IS NOT NULL AND sent_at <= ? AND confirmed_at IS NULL "
        "ORDER BY id LIMIT ?",
        [iso(sent_before), limit],
    ).fetchall()
    return [r[0] for r in rows]


def parked_items(db: Database, limit: int = 1000) -> list[OutboxItem]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE parked <> 0 ORDER BY id LIMIT ?", [limit]).fetchall()
    return [_item(r) for r in rows]


def counts(db: Database) -> dict[str, int]:
    row = db.execute(
        "SELECT SUM(CASE WHEN sent_at IS NULL AND parked = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN parked <> 0 THEN 1 ELSE 0 END), SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN confirmed_at IS NOT NULL THEN 1 ELSE 0 END) FROM outbox"
    ).fetchone()
    return {"pending": row[0] or 0, "parked": row[1] or 0, "sent": row[2] or 0, "confirmed": row[3] or 0}
