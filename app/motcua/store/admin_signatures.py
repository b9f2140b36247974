"""The administrators' request signatures the centre has seen, until each stops being valid (replays refused)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlite_utils import Database


def _utc(at: datetime) -> str:
    # One zone and one format, so that the text compares as the time does.
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def first_use(db: Database, signature: str, valid_until: datetime, now: datetime) -> bool:
    """Remember ``signature`` until ``valid_until`` (call inside a write); False when it was seen already.

    Those past their time are forgotten here, so the table holds a few minutes' worth at most.
    """
    db.execute("DELETE FROM admin_signatures WHERE valid_until < ?", [_utc(now)])
    cursor = db.execute(
        "INSERT INTO admin_signatures (signature, valid_until) VALUES (?, ?) ON CONFLICT (signature) DO NOTHING",
        [signature, _utc(valid_until)],
    )
    return cursor.rowcount == 1
