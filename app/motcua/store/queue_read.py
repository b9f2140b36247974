"""Reads of the queue for the board, the kiosk and the counter panel (on a reader connection; no writes)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlite_utils import Database

from motcua.domain.queue import Ticket, TicketState
from motcua.domain.queue_views import QueueEvent
from motcua.store.clock import day_key
from motcua.store.queue_repo import EVENT_COLUMNS, TICKET_COLUMNS, event_from_row, ticket_from_row

CALL_KINDS = ("called", "recalled")


def latest_seq(db: Database, centre: str) -> int:
    """The latest change's sequence: one row of ``queue_head`` (kept by a trigger), however long the history."""
    row = db.execute("SELECT seq FROM queue_head WHERE centre = ?", [centre]).fetchone()
    return 0 if row is None else int(row[0])


def waiting_counts(db: Database, centre: str, day: date) -> dict[str, int]:
    """Callable tickets per queue today."""
    rows = db.execute(
        "SELECT queue, COUNT(*) FROM queue_tickets WHERE centre = ? AND business_day = ? "
        "AND state IN ('waiting', 'transferred') GROUP BY queue",
        [centre, day_key(day)],
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


# A day's called or served tickets, one per counter at most. "+business_day": not that day's every ticket through the
# numbering index, but the partial index of the called and served, the day checked on those few rows.
_AT_COUNTERS = "FROM queue_tickets WHERE centre = ? AND +business_day = ? AND state IN ('called', 'serving')"


def active_tickets(db: Database, centre: str, day: date) -> dict[int, Ticket]:
    """Today's called or served ticket of every counter that has one."""
    rows = db.execute(f"SELECT {TICKET_COLUMNS} {_AT_COUNTERS}", [centre, day_key(day)]).fetchall()
    return {t.counter: t for t in map(ticket_from_row, rows) if t.counter is not None}


def board_tickets(db: Database, centre: str, day: date) -> dict[int, tuple[int, str, TicketState]]:
    """Today's called or served ticket of every counter that has one, as the board shows it: (id, display, state).

    What :func:`active_tickets` reads, without making a whole ticket of every row: a full centre's board is built
    many times a second, a thousand counters each time.
    """
    rows = db.execute(
        f"SELECT counter, id, display, state {_AT_COUNTERS} AND counter IS NOT NULL", [centre, day_key(day)]
    ).fetchall()
    return {int(r[0]): (int(r[1]), str(r[2]), TicketState(r[3])) for r in rows}


def paused_counters(db: Database, centre: str) -> set[int]:
    rows = db.execute("SELECT number FROM queue_counters WHERE centre = ? AND paused = 1", [centre]).fetchall()
    return {int(r[0]) for r in rows}


def last_calls(db: Database, centre: str, day: date, limit: int) -> list[QueueEvent]:
    """Today's most recent calls and recalls, newest first."""
    rows = db.execute(
        f"SELECT {EVENT_COLUMNS} FROM queue_events WHERE centre = ? AND kind IN ('called', 'recalled') "
        "AND business_day = ? ORDER BY seq DESC LIMIT ?",
        [centre, day_key(day), limit],
    ).fetchall()
    return [event_from_row(r) for r in rows]


def events_since(
    db: Database, centre: str, after: int, limit: int, kinds: Iterable[str] | None = None, upto: int | None = None
) -> list[QueueEvent]:
    """Changes after sequence ``after`` (and up to ``upto``), oldest first (what a display announces, in order)."""
    sql = f"SELECT {EVENT_COLUMNS} FROM queue_events WHERE centre = ? AND seq > ?"
    params: list[object] = [centre, after]
    if upto is not None:
        sql += " AND seq <= ?"
        params.append(upto)
    wanted = list(kinds or ())
    if wanted:
        sql += f" AND kind IN ({', '.join('?' * len(wanted))})"
        params += wanted
    rows = db.execute(sql + " ORDER BY seq LIMIT ?", [*params, limit]).fetchall()
    return [event_from_row(r) for r in rows]


def any_callable(db: Database, centre: str, day: date, queues: Iterable[str], counter: int) -> bool:
    """Whether call-next at ``counter`` could find anyone: a ticket of its queues, or one sent to it."""
    names = list(queues)
    marks = ", ".join("?" * len(names))
    row = db.execute(
        "SELECT EXISTS (SELECT 1 FROM queue_tickets WHERE centre = ? AND business_day = ? "
        f"AND state IN ('waiting', 'transferred') AND queue IN ({marks}) AND target_counter IS NULL) "
        "OR EXISTS (SELECT 1 FROM queue_tickets WHERE centre = ? AND business_day = ? "
        "AND state IN ('waiting', 'transferred') AND target_counter = ?)",
        [centre, day_key(day), *names, centre, day_key(day), counter],
    ).fetchone()
    return bool(row[0])


def counter_state(
    db: Database, centre: str, day: date, counter: int, key: str | None, queues: Iterable[str]
) -> tuple[bool, str | None, bool]:
    """What call-next at ``counter`` would meet, in one statement: (whether it must go to the write: a request under
    ``key`` answered before, the counter paused, or a ticket called or served there; the services assigned to it for
    ``day`` as JSON, or None; whether anyone waits for ``queues`` or was sent to the counter, as :func:`any_callable`).

    Asked before every call-next of an idle clerk (a thousand clerks: two thousand a second), hence one statement.
    ``queues`` are the counter's services in queue.toml: the caller asks again with the assigned ones if any.
    """
    names = list(queues)
    marks = ", ".join("?" * len(names))
    d = day_key(day)
    params = [key or "", key or "", centre, counter, centre, counter, centre, d, counter, centre, d, *names, centre, d]
    row = db.execute(
        "SELECT (? <> '' AND EXISTS (SELECT 1 FROM queue_requests WHERE key = ?)) "
        "OR EXISTS (SELECT 1 FROM queue_counters WHERE centre = ? AND number = ? AND paused) "
        "OR EXISTS (SELECT 1 FROM queue_tickets WHERE centre = ? AND counter = ? AND state IN ('called', 'serving')), "
        "(SELECT services FROM queue_assignments WHERE centre = ? AND business_day = ? AND counter = ?), "
        f"EXISTS (SELECT 1 FROM queue_tickets WHERE centre = ? AND business_day = ? "
        f"AND state IN ('waiting', 'transferred') AND queue IN ({marks}) AND target_counter IS NULL) "
        "OR EXISTS (SELECT 1 FROM queue_tickets WHERE centre = ? AND business_day = ? "
        "AND state IN ('waiting', 'transferred') AND target_counter = ?)",
        [*params, counter],
    ).fetchone()
    return bool(row[0]), row[1], bool(row[2])


def people_ahead(db: Database, ticket: Ticket) -> int:
    """Tickets of the same queue that call-next would take before ``ticket`` as things stand.

    A priority ticket has only the earlier priority tickets ahead of it; a regular ticket has every earlier
    ticket and every priority ticket (the starvation bounds can only move it forward, never back).
    """
    sql = (
        "SELECT COUNT(*) FROM queue_tickets WHERE centre = ? AND business_day = ? AND queue = ? "
        "AND state IN ('waiting', 'transferred') AND target_counter IS NULL AND id <> ? AND "
    )
    params = [ticket.centre, day_key(ticket.business_day), ticket.queue, ticket.id]
    if ticket.priority:
        sql += "priority_group IS NOT NULL AND id < ?"
    else:
        sql += "(id < ? OR priority_group IS NOT NULL)"
    return int(db.execute(sql, [*params, ticket.id]).fetchone()[0])


def recent_service_seconds(db: Database, centre: str, queue: str, limit: int) -> list[float]:
    """How long the last ``limit`` finished tickets of a queue took from call to finish, oldest first."""
    rows = db.execute(
        "SELECT called_at, finished_at FROM queue_tickets WHERE centre = ? AND queue = ? AND state = 'done' "
        "AND called_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?",
        [centre, queue, limit],
    ).fetchall()
    spans = [(datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds() for a, b in rows]
    return spans[::-1]


def ticket_by_uid(db: Database, uid: str) -> int | None:
    row = db.execute("SELECT id FROM queue_tickets WHERE uid = ?", [uid]).fetchone()
    return None if row is None else int(row[0])
