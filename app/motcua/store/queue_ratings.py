"""Ratings, counter presence and a counter's services for one day, on the centre database.

Writes take the ``db`` of an open ``store.write()`` transaction; the one-rating-per-ticket rule is the partial
unique index of migration 0002 (a second insert raises ``sqlite3.IntegrityError``), not a check made here.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from motcua.domain.queue import Ticket, business_day
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.store.clock import day_key, iso
from motcua.store.queue_repo import TICKET_COLUMNS, ticket_from_row


def insert_rating(db: Database, centre: str, day: date, rating: RatingFact) -> int:
    cur = db.execute(
        "INSERT INTO queue_ratings (centre, business_day, at, counter, ticket_id, service, clerk, level, reasons, "
        "dossiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            centre,
            day_key(day),
            iso(rating.at),
            rating.counter,
            rating.ticket_id,
            rating.service,
            rating.clerk,
            rating.level.value,
            json.dumps(list(rating.reasons)),
            json.dumps(list(rating.dossiers), ensure_ascii=False),
        ],
    )
    return int(cur.lastrowid or 0)


def is_rated(db: Database, ticket_id: int) -> bool:
    return db.execute("SELECT 1 FROM queue_ratings WHERE ticket_id = ?", [ticket_id]).fetchone() is not None


def ratings_between(db: Database, centre: str, start: date, end: date) -> list[RatingFact]:
    """The ratings of the business days ``start``–``end``, oldest first."""
    rows = db.execute(
        "SELECT at, level, counter, ticket_id, service, clerk, dossiers, reasons FROM queue_ratings "
        "WHERE centre = ? AND business_day BETWEEN ? AND ? ORDER BY id",
        [centre, day_key(start), day_key(end)],
    ).fetchall()
    return [
        RatingFact(
            at=datetime.fromisoformat(r[0]),
            level=RatingLevel(r[1]),
            counter=r[2],
            ticket_id=r[3],
            service=r[4],
            clerk=r[5],
            dossiers=tuple(json.loads(r[6])),
            reasons=tuple(json.loads(r[7])),
        )
        for r in rows
    ]


def last_finished(db: Database, centre: str, counter: int, now: datetime, window_min: int) -> Ticket | None:
    """The ticket finished at ``counter`` most recently, if that was at most ``window_min`` minutes ago (today)."""
    row = db.execute(
        f"SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE centre = ? AND counter = ? AND state = 'done' "
        "AND business_day = ? AND finished_at >= ? ORDER BY finished_at DESC, id DESC LIMIT 1",
        [centre, counter, day_key(business_day(now)), iso(now - timedelta(minutes=window_min))],
    ).fetchone()
    return None if row is None else ticket_from_row(row)


def ticket_of_day(db: Database, centre: str, day: date, service: str, number: int) -> Ticket | None:
    """The ticket ``service`` numbered ``number`` on ``day`` (its unique key), wherever it went since."""
    row = db.execute(
        f"SELECT {TICKET_COLUMNS} FROM queue_tickets WHERE centre = ? AND business_day = ? AND service = ? "
        "AND number = ?",
        [centre, day_key(day), service, number],
    ).fetchone()
    return None if row is None else ticket_from_row(row)


def dossier_codes(db: Database, ticket_id: int) -> tuple[str, ...]:
    rows = db.execute(
        "SELECT dossier_code FROM queue_ticket_dossiers WHERE ticket_id = ? ORDER BY linked_at, dossier_code",
        [ticket_id],
    ).fetchall()
    return tuple(r[0] for r in rows)


def stamp_clerk(db: Database, centre: str, counter: int, ticket_id: int) -> None:
    """Record the clerk signed in at ``counter`` as the one serving ``ticket_id`` (kept when nobody is)."""
    db.execute(
        "UPDATE queue_tickets SET served_by = COALESCE((SELECT clerk FROM queue_counters WHERE centre = ? "
        "AND number = ?), served_by) WHERE id = ?",
        [centre, counter, ticket_id],
    )


def served_by(db: Database, ticket_id: int) -> str:
    row = db.execute("SELECT served_by FROM queue_tickets WHERE id = ?", [ticket_id]).fetchone()
    return "" if row is None or row[0] is None else str(row[0])


# -- presence --------------------------------------------------------------------------------------------------
def presence(db: Database, centre: str) -> dict[int, tuple[str, datetime]]:
    """Counter number → (username, signed in since) for every counter somebody is signed in at."""
    rows = db.execute(
        "SELECT number, clerk, clerk_since FROM queue_counters WHERE centre = ? AND clerk IS NOT NULL", [centre]
    ).fetchall()
    return {int(r[0]): (r[1], datetime.fromisoformat(r[2])) for r in rows}


def set_presence(db: Database, centre: str, counter: int, clerk: str | None, now: datetime) -> None:
    """Who is signed in at ``counter`` from ``now`` (None: nobody); the counter's other columns are left alone."""
    since = iso(now) if clerk is not None else None
    db.execute(
        "INSERT INTO queue_counters (centre, number, updated_at, clerk, clerk_since) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (centre, number) DO UPDATE SET clerk = excluded.clerk, clerk_since = excluded.clerk_since, "
        "updated_at = excluded.updated_at",
        [centre, counter, iso(now), clerk, since],
    )


# -- a counter's services for one day ------------------------------------------------------------------------
def assignments(db: Database, centre: str, day: date) -> dict[int, tuple[str, ...]]:
    """Counter number → its services on ``day``, for the counters reassigned that day."""
    rows = db.execute(
        "SELECT counter, services FROM queue_assignments WHERE centre = ? AND business_day = ?",
        [centre, day_key(day)],
    ).fetchall()
    return {int(r[0]): tuple(json.loads(r[1])) for r in rows}


def set_assignment(
    db: Database, centre: str, day: date, counter: int, services: tuple[str, ...], now: datetime
) -> None:
    db.execute(
        "INSERT INTO queue_assignments (centre, business_day, counter, services, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (centre, business_day, counter) DO UPDATE SET services = excluded.services, "
        "updated_at = excluded.updated_at",
        [centre, day_key(day), counter, json.dumps(list(services)), iso(now)],
    )
