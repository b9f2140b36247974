"""Per-device bearer tokens of the centre server, kept in the centre database.

Only a SHA-256 of each token is stored: a copy of the database does not let anyone act as a device. A token is
shown once, when it is made (``motcua queue token add``), and is revoked by device name.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from motcua.domain.device_roles import BOUND_ROLES as BOUND_ROLES
from motcua.domain.device_roles import ROLES as ROLES
from motcua.store.clock import iso


@dataclass(frozen=True, slots=True)
class Device:
    """Who a token belongs to; a counter token may be bound to one counter number, a rating pad's always is."""

    device: str
    role: str
    counter: int | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_token(db: Database, device: str, role: str, now: datetime, counter: int | None = None) -> str:
    """Make a token for ``device`` (replacing its previous one) and return it; call inside a write."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role in BOUND_ROLES and counter is None:
        raise ValueError(f"a {role} token needs its counter number")
    token = secrets.token_urlsafe(24)
    db.execute("DELETE FROM device_tokens WHERE device = ?", [device])
    db.execute(
        "INSERT INTO device_tokens (token_sha256, device, role, counter, created_at) VALUES (?, ?, ?, ?, ?)",
        [digest(token), device, role, counter, iso(now)],
    )
    return token


def add_fleet(db: Database, now: datetime, kiosks: int = 1, counters: int = 1, displays: int = 1) -> dict[str, str]:
    """Tokens for a whole test or benchmark centre: kiosks K1…, counters C1… (bound to counter n), displays D1…."""
    out: dict[str, str] = {}
    for i in range(1, kiosks + 1):
        out[f"K{i}"] = add_token(db, f"K{i}", "kiosk", now)
    for n in range(1, counters + 1):
        out[f"C{n}"] = add_token(db, f"C{n}", "counter", now, n)
    for i in range(1, displays + 1):
        out[f"D{i}"] = add_token(db, f"D{i}", "display", now)
    return out


def revoke(db: Database, device: str, now: datetime) -> bool:
    cur = db.execute(
        "UPDATE device_tokens SET revoked_at = ? WHERE device = ? AND revoked_at IS NULL", [iso(now), device]
    )
    return cur.rowcount > 0


def lookup(db: Database, token: str) -> Device | None:
    row = db.execute(
        "SELECT device, role, counter FROM device_tokens WHERE token_sha256 = ? AND revoked_at IS NULL",
        [digest(token)],
    ).fetchone()
    return None if row is None else Device(row[0], row[1], row[2])


def list_devices(db: Database) -> list[tuple[Device, str, str | None]]:
    rows = db.execute(
        "SELECT device, role, counter, created_at, revoked_at FROM device_tokens ORDER BY device"
    ).fetchall()
    return [(Device(r[0], r[1], r[2]), r[3], r[4]) for r in rows]
