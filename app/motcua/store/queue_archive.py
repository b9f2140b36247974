"""Closed days' queue events, moved out of the table every device polls (migration 0005).

``queue_events`` holds the current business day only: "what changed since N" and the board read a table whose size
is one day's, not the centre's whole history. The events of earlier days are moved (same rows, same sequence
numbers) to ``queue_events_archive`` by the first write of a new day, in that write's transaction; nothing is
deleted, so an audit, a report or a backup sees every day (:func:`day_events`). ``queue_head.archived_to`` is the
highest sequence moved: a client holding a sequence below it missed events it can no longer read as changes, and is
given a full snapshot instead (:mod:`motcua.services.queue.changes`).
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from motcua.domain.queue_views import QueueEvent
from motcua.store.clock import day_key
from motcua.store.queue_repo import EVENT_COLUMNS, event_from_row

_COLUMNS = "seq, centre, at, business_day, kind, ticket_id, display, counter, queue"


def head(db: Database, centre: str) -> tuple[int, int]:
    """(latest sequence, highest sequence archived) of ``centre``: one primary-key lookup."""
    row = db.execute("SELECT seq, archived_to FROM queue_head WHERE centre = ?", [centre]).fetchone()
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def archive_before(db: Database, centre: str, day: date) -> int:
    """Move ``centre``'s events of business days before ``day`` to the archive (call inside a write); returns how
    many moved."""
    key = day_key(day)
    top = db.execute(
        "SELECT MAX(seq) FROM queue_events WHERE centre = ? AND business_day < ?", [centre, key]
    ).fetchone()[0]
    if top is None:
        return 0
    db.execute(
        f"INSERT INTO queue_events_archive ({_COLUMNS}) SELECT {_COLUMNS} FROM queue_events "
        "WHERE centre = ? AND business_day < ?",
        [centre, key],
    )
    moved = db.execute("DELETE FROM queue_events WHERE centre = ? AND business_day < ?", [centre, key]).rowcount
    db.execute(
        "INSERT INTO queue_head (centre, seq, archived_to) VALUES (?, ?, ?) ON CONFLICT (centre) DO UPDATE SET "
        "archived_to = max(archived_to, excluded.archived_to), seq = max(seq, excluded.seq)",
        [centre, int(top), int(top)],
    )
    return int(moved)


def forget_requests_before(db: Database, before: date) -> int:
    """Drop the idempotency records (``queue_requests``) of requests made before ``before``; returns how many.

    They answer a device that retries a request it is unsure went through, within seconds or minutes: records days
    old only grow the file. The caller keeps a margin of days before ``before`` (see ``RETRIES_KEPT_DAYS``).
    """
    return int(db.execute("DELETE FROM queue_requests WHERE at < ?", [day_key(before)]).rowcount)


def day_events(db: Database, centre: str, day: date) -> list[QueueEvent]:
    """Every event of one business day, archived or not, in sequence order (reports, audits)."""
    key = day_key(day)
    rows = db.execute(
        f"SELECT {EVENT_COLUMNS} FROM queue_events_archive WHERE centre = ? AND business_day = ? "
        f"UNION ALL SELECT {EVENT_COLUMNS} FROM queue_events WHERE centre = ? AND business_day = ? ORDER BY seq",
        [centre, key, centre, key],
    ).fetchall()
    return [event_from_row(r) for r in rows]
