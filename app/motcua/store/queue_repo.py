"""Queue tickets, counters, events and idempotent requests on the centre database.

The write helpers take the ``db`` of an open ``store.write()`` transaction (``BEGIN IMMEDIATE``): the service
layer decides what belongs together. State changes are compare-and-set updates (``WHERE state IN …``) whose
row count is checked, so even a caller that skipped the Python checks could not call a ticket twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from motcua.domain.queue import Candidate, Ticket, TicketState
from motcua.domain.queue_views import QueueEvent
from motcua.store.clock import day_key, iso

TICKET_COLUMNS = (
    "id, uid, centre, business_day, service, number, display, queue, priority_group, state, issued_at, kiosk, "
    "counter, target_counter, called_at, started_at, finished_at, calls"
)
EVENT_COLUMNS = "seq, at, kind, ticket_id, display, counter, queue"


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def ticket_from_row(row: sqlite3.Row | tuple[Any, ...], dossiers: tuple[str, ...] = ()) -> Ticket:
    r = tuple(row)
    return Ticket(
        id=r[0],
        uid=r[1],
        centre=r[2],
        business_day=date.fromisoformat(r[3]),
        service=r[4],
        number=r[5],
        display=r[6],
        queue=r[7],
        priority_group=r[8],
        state=TicketState(r[9]),
        issued_at=datetime.fromisoformat(r[10]),
        kiosk=r[11],
        counter=r[12],
        target_counter=r[13],
        called_at=_dt(r[14]),
        started_at=_dt(r[15]),
        finished_at=_dt(r[16]),
        calls=r[17],
        dossiers=dossiers,
    )


def event_from_row(row: tuple[Any, ...]) -> QueueEvent:
    return QueueEvent(row[0], datetime.fromisoformat(row[1]), row[2], row[3], row[4], row[5], row[6])


def get_ticket(db: Database, ticket_id: int, dossiers: bool = True) -> Ticket | None:
    """The ticket with its linked dossiers (``dossiers=False``: without reading them, for a ticket just inserted)."""
    row = db.execute(f"SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE id = ?", [ticket_id]).fetchone()
    if row is None:
        return None
    if not dossiers:
        return ticket_from_row(row)
    codes = db.execute(
        "SELECT dossier_code FROM queue_ticket_dossiers WHERE ticket_id = ? ORDER BY linked_at, dossier_code",
        [ticket_id],
    ).fetchall()
    return ticket_from_row(row, tuple(c[0] for c in codes))


def active_ticket(db: Database, centre: str, counter: int) -> Ticket | None:
    """The ticket called or served at ``counter`` now (the partial unique index allows at most one)."""
    row = db.execute(
        f"SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE centre = ? AND counter = ? "
        "AND state IN ('called', 'serving')",
        [centre, counter],
    ).fetchone()
    return None if row is None else ticket_from_row(row)


def next_number(db: Database, centre: str, day: date, service: str, first: int) -> int:
    """The next free number of a service today (inside the write that inserts it: BEGIN IMMEDIATE serialises)."""
    top = db.execute(
        "SELECT MAX(number) FROM queue_tickets WHERE centre = ? AND business_day = ? AND service = ?",
        [centre, day_key(day), service],
    ).fetchone()[0]
    return first if top is None else max(first, int(top) + 1)


def insert_ticket(
    db: Database,
    *,
    uid: str,
    centre: str,
    day: date,
    service: str,
    number: int,
    display: str,
    priority_group: str | None,
    now: datetime,
    kiosk: str,
) -> int:
    """Insert a waiting ticket; a duplicate number raises ``sqlite3.IntegrityError`` (never silently)."""
    cur = db.execute(
        "INSERT INTO queue_tickets (uid, centre, business_day, service, number, display, queue, priority_group, "
        "state, issued_at, kiosk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)",
        [uid, centre, day_key(day), service, number, display, service, priority_group, iso(now), kiosk],
    )
    return int(cur.lastrowid or 0)


def set_state(
    db: Database, ticket_id: int, expected: Iterable[TicketState], target: TicketState, **columns: Any
) -> bool:
    """Compare-and-set: move a ticket to ``target`` only if it is in one of the ``expected`` states.

    Returns:
        Whether the row changed (False: somebody else moved it first).
    """
    states = [s.value for s in expected]
    sets = ", ".join(["state = ?", *(f"{name} = ?" for name in columns)])
    values = [target.value, *(iso(v) if isinstance(v, datetime) else v for v in columns.values())]
    marks = ", ".join("?" * len(states))
    cur = db.execute(
        f"UPDATE queue_tickets SET {sets} WHERE id = ? AND state IN ({marks})", [*values, ticket_id, *states]
    )
    return cur.rowcount == 1


def bump_calls(db: Database, ticket_id: int, now: datetime) -> None:
    db.execute("UPDATE queue_tickets SET calls = calls + 1, called_at = ? WHERE id = ?", [iso(now), ticket_id])


def link_dossier(db: Database, ticket_id: int, dossier_code: str, now: datetime) -> None:
    db.execute(
        "INSERT OR IGNORE INTO queue_ticket_dossiers (ticket_id, dossier_code, linked_at) VALUES (?, ?, ?)",
        [ticket_id, dossier_code, iso(now)],
    )


def candidates(db: Database, centre: str, day: date, queues: Iterable[str], counter: int) -> list[Candidate]:
    """For call-next: the oldest regular and the oldest priority ticket of each queue, and those sent to ``counter``."""
    key = day_key(day)
    base = (
        "SELECT * FROM (SELECT id, queue, priority_group IS NOT NULL, issued_at, target_counter FROM queue_tickets "
        "WHERE centre = ? AND business_day = ? AND state IN ('waiting', 'transferred') "
    )
    # One statement of a few one-row parts (each through its own index, see queue_schema), not one per part: call-next
    # is the busiest write, and each statement costs the sqlite3 module's round trip, with the write lock held.
    parts: list[str] = []
    params: list[object] = []
    for q in queues:
        for kind in ("priority_group IS NULL", "priority_group IS NOT NULL"):
            parts.append(base + f"AND queue = ? AND target_counter IS NULL AND {kind} ORDER BY id LIMIT 1)")
            params += [centre, key, q]
    parts.append(base + "AND target_counter = ? ORDER BY id LIMIT 1)")
    params += [centre, key, counter]
    rows = db.execute(" UNION ALL ".join(parts), params).fetchall()
    return [Candidate(r[0], r[1], bool(r[2]), datetime.fromisoformat(r[3]), r[4]) for r in rows]


def counter_row(db: Database, centre: str, number: int) -> tuple[bool, int]:
    """(paused, priority streak) of a counter; a counter never seen before is open with no streak."""
    row = db.execute(
        "SELECT paused, priority_streak FROM queue_counters WHERE centre = ? AND number = ?", [centre, number]
    ).fetchone()
    return (False, 0) if row is None else (bool(row[0]), int(row[1]))


def save_counter(db: Database, centre: str, number: int, now: datetime, **values: int) -> None:
    paused, streak = counter_row(db, centre, number)
    merged = {"paused": int(paused), "priority_streak": streak, **values}
    db.execute(
        "INSERT INTO queue_counters (centre, number, paused, priority_streak, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (centre, number) DO UPDATE SET paused = excluded.paused, "
        "priority_streak = excluded.priority_streak, updated_at = excluded.updated_at",
        [centre, number, merged["paused"], merged["priority_streak"], iso(now)],
    )


def add_event(
    db: Database,
    centre: str,
    now: datetime,
    kind: str,
    ticket: Ticket | None = None,
    counter: int | None = None,
    queue: str | None = None,
) -> int:
    """Record a change; returns its sequence number (what the push channel announces)."""
    cur = db.execute(
        "INSERT INTO queue_events (centre, at, business_day, kind, ticket_id, display, counter, queue) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            centre,
            iso(now),
            day_key(now.date()),
            kind,
            ticket.id if ticket else None,
            ticket.display if ticket else None,
            counter,
            queue if queue is not None else (ticket.queue if ticket else None),
        ],
    )
    return int(cur.lastrowid or 0)


def find_request(db: Database, key: str) -> tuple[str, str, str] | None:
    """(op, digest, result JSON) stored for an idempotency key, if that request was already carried out."""
    row = db.execute("SELECT op, digest, result FROM queue_requests WHERE key = ?", [key]).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def save_request(db: Database, key: str, op: str, digest: str, result: str, now: datetime) -> None:
    db.execute(
        "INSERT INTO queue_requests (key, op, digest, result, at) VALUES (?, ?, ?, ?, ?)",
        [key, op, digest, result, iso(now)],
    )
