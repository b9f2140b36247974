"""Dossier numbers: disjoint blocks leased from the centre, drawn from locally even when offline.

The centre's ``code_leases`` table hands each workstation a range of sequence numbers per (agency, day);
the workstation keeps its ranges in ``code_blocks`` and takes the next free number inside the same
transaction that inserts the dossier. ``dossiers.code`` and ``(agency_id, day, seq)`` are UNIQUE, so even a
bug here could never print the same code twice: the insert would fail instead.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from motcua.domain.codes import MAX_SEQUENCE
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.store.clock import day_key, iso


class NoCodeBlockError(MotcuaError):
    """No leased number is left for that day and the centre cannot be reached to lease more."""


def remaining(db: Database, agency_id: str, day: date) -> int:
    row = db.execute(
        "SELECT COALESCE(SUM(last - next + 1), 0) FROM code_blocks WHERE agency_id = ? AND day = ?",
        [agency_id, day_key(day)],
    ).fetchone()
    return int(row[0])


def add_block(db: Database, agency_id: str, day: date, first: int, last: int, now: datetime) -> None:
    db.execute(
        "INSERT INTO code_blocks (agency_id, day, first, last, next, leased_at) VALUES (?, ?, ?, ?, ?, ?)",
        [agency_id, day_key(day), first, last, first, iso(now)],
    )


def take_next(db: Database, agency_id: str, day: date) -> int:
    """Take the next number (call inside the write transaction that inserts the dossier)."""
    row = db.execute(
        "SELECT id, next FROM code_blocks WHERE agency_id = ? AND day = ? AND next <= last ORDER BY first LIMIT 1",
        [agency_id, day_key(day)],
    ).fetchone()
    if row is None:
        raise NoCodeBlockError(
            tr(
                "Đã hết số mã hồ sơ dự trữ cho ngày {day} và chưa kết nối được máy chủ trung tâm để nhận thêm.",
                day=day.strftime("%d/%m/%Y"),
            )
        )
    db.execute("UPDATE code_blocks SET next = next + 1 WHERE id = ?", [row[0]])
    return int(row[1])


def lease_from_centre(
    db: Database, agency_id: str, day: date, station_id: str, size: int, now: datetime
) -> tuple[int, int]:
    """Centre side: allocate the next free range for (agency, day) to a station; call inside a write.

    Returns:
        (first, last) inclusive.
    """
    top = db.execute(
        "SELECT COALESCE(MAX(last), 0) FROM code_leases WHERE agency_id = ? AND day = ?",
        [agency_id, day_key(day)],
    ).fetchone()[0]
    first = int(top) + 1
    last = min(first + size - 1, MAX_SEQUENCE)
    if first > MAX_SEQUENCE:
        raise MotcuaError(tr("Đã dùng hết số thứ tự hồ sơ của ngày {day}", day=day.strftime("%d/%m/%Y")))
    db.execute(
        "INSERT INTO code_leases (agency_id, day, first, last, station_id, leased_at) VALUES (?, ?, ?, ?, ?, ?)",
        [agency_id, day_key(day), first, last, station_id, iso(now)],
    )
    return first, last


def leased_to(db: Database, agency_id: str, day: date, station_id: str) -> int:
    """How many numbers of (agency, day) the centre has leased to one workstation so far."""
    row = db.execute(
        "SELECT COALESCE(SUM(last - first + 1), 0) FROM code_leases WHERE agency_id = ? AND day = ? AND station_id = ?",
        [agency_id, day_key(day), station_id],
    ).fetchone()
    return int(row[0])
