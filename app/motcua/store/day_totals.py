"""A day's counts at the counter: dossiers received, fees charged and collected by each means, citizens guided
without a reception."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from motcua.domain.fees import DayFees, PaymentMethod
from motcua.domain.sync_envelope import VISIT
from motcua.store.clock import day_key


def fees_on(db: Database, day: date, station_id: str | None = None) -> DayFees:
    """The dossiers received on ``day`` (by one workstation, or all): their fees, and what was paid at once."""
    where = "day = ?" + (" AND station_id = ?" if station_id else "")
    params = [day_key(day), *([station_id] if station_id else [])]
    row = db.execute(
        f"""SELECT COUNT(*), COALESCE(SUM(fee_vnd), 0),
               COALESCE(SUM(CASE WHEN json_extract(details, '$.payment.method') = ?
                            THEN json_extract(details, '$.payment.amount_vnd') END), 0),
               COALESCE(SUM(CASE WHEN json_extract(details, '$.payment.method') = ?
                            THEN json_extract(details, '$.payment.amount_vnd') END), 0)
            FROM dossiers WHERE {where}""",
        [PaymentMethod.CASH.value, PaymentMethod.TRANSFER.value, *params],
    ).fetchone()
    return DayFees(dossiers=int(row[0]), charged_vnd=int(row[1]), cash_vnd=int(row[2]), transfer_vnd=int(row[3]))


def visits_on(db: Database, day: date) -> int:
    """How many citizens were guided without a reception that day (the visit events this node holds)."""
    row = db.execute(
        "SELECT COUNT(*) FROM rep_events WHERE kind = ? AND substr(envelope, 1, 1) = '{' AND "
        "json_extract(envelope, '$.at') LIKE ?",
        [VISIT, day.isoformat() + "%"],
    ).fetchone()
    return int(row[0])
