"""A day's counts at the counter: dossiers received, fees charged and collected by each means, citizens guided
without a reception."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from motcua.domain.fees import DayFees, PaymentMethod
from motcua.domain.sync_envelope import PAID, RECEIVED, VISIT
from motcua.store.clock import day_key


def fees_on(db: Database, day: date, station_id: str | None = None) -> DayFees:
    """A day's fees at this node (or one workstation): what the dossiers received that day were charged, and the
    money taken that day by each means (at a reception, or later on a notice: a ``fee.paid`` event), which is
    what a clerk hands over at the day's end."""
    where = "day = ?" + (" AND station_id = ?" if station_id else "")
    row = db.execute(
        f"SELECT COUNT(*), COALESCE(SUM(fee_vnd), 0) FROM dossiers WHERE {where}",
        [day_key(day), *([station_id] if station_id else [])],
    ).fetchone()
    taken = {PaymentMethod.CASH.value: 0, PaymentMethod.TRANSFER.value: 0}
    by_station = " AND origin LIKE ?" if station_id else ""
    station = [f"%/{station_id}"] if station_id else []
    # "+kind" keeps SQLite on the dossier index (the day's dossiers' receptions, not every reception held); the
    # later payments are found by the kind index.
    rows = db.execute(
        f"""SELECT json_extract(envelope, '$.data.payment.method'), json_extract(envelope, '$.data.payment.amount_vnd')
            FROM rep_events WHERE +kind = ? AND verdict = 'applied'
              AND dossier IN (SELECT code FROM dossiers WHERE day = ?) AND substr(envelope, 1, 1) = '{{'
              AND substr(json_extract(envelope, '$.data.received_at'), 1, 10) = ?{by_station}
            UNION ALL
            SELECT json_extract(envelope, '$.data.method'), json_extract(envelope, '$.data.amount_vnd')
            FROM rep_events WHERE kind = ? AND substr(envelope, 1, 1) = '{{'
              AND substr(json_extract(envelope, '$.at'), 1, 10) = ?{by_station}""",
        [RECEIVED, day_key(day), day.isoformat(), *station, PAID, day.isoformat(), *station],
    ).fetchall()
    for method, amount in rows:
        if method in taken and amount:
            taken[method] += int(amount)
    return DayFees(
        dossiers=int(row[0]),
        charged_vnd=int(row[1]),
        cash_vnd=taken[PaymentMethod.CASH.value],
        transfer_vnd=taken[PaymentMethod.TRANSFER.value],
    )


def visits_on(db: Database, day: date) -> int:
    """How many citizens were guided without a reception that day (the visit events this node holds)."""
    row = db.execute(
        "SELECT COUNT(*) FROM rep_events WHERE kind = ? AND substr(envelope, 1, 1) = '{' AND "
        "json_extract(envelope, '$.at') LIKE ?",
        [VISIT, day.isoformat() + "%"],
    ).fetchone()
    return int(row[0])
