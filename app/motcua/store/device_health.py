"""Each device's last health report on the centre database (table ``device_health``, queue migration 0003).

One row per (centre, device, role), replaced by every report: ``INSERT … ON CONFLICT DO UPDATE`` in the caller's
write, so a heartbeat is one short statement and a repeated one changes nothing but the time.
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from motcua.domain.device_health import DeviceHealth, DeviceRole, PaperState
from motcua.store.clock import iso


def upsert(
    db: Database,
    centre: str,
    device: str,
    role: DeviceRole,
    printer: PaperState,
    version: str,
    counter: int | None,
    now: datetime,
) -> None:
    """Record that ``device`` (as ``role``) was heard at ``now`` in this state; call inside a write."""
    db.execute(
        "INSERT INTO device_health (centre, device, role, counter, last_seen, printer, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (centre, device, role) DO UPDATE SET "
        "counter = excluded.counter, last_seen = excluded.last_seen, printer = excluded.printer, "
        "version = excluded.version",
        [centre, device, role.value, counter, iso(now), printer.value, version],
    )


def all_devices(db: Database, centre: str) -> list[DeviceHealth]:
    """Every device the centre has heard from, by role then name (ages and silence are the caller's)."""
    rows = db.execute(
        "SELECT device, role, last_seen, printer, version, counter FROM device_health WHERE centre = ? "
        "ORDER BY role, device",
        [centre],
    ).fetchall()
    return [
        DeviceHealth(r[0], DeviceRole(r[1]), datetime.fromisoformat(r[2]), PaperState(r[3]), r[4], r[5]) for r in rows
    ]
