"""Timestamps as stored: ISO 8601 local wall time to the second (the centre's own time zone)."""

from __future__ import annotations

from datetime import date, datetime


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def from_iso(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def day_key(d: date) -> str:
    return d.isoformat()
