"""Devices' health reports on the centre: checked here, kept by :mod:`motcua.store.device_health`.

A report is a heartbeat, not a change of the queue: it is written without an event (nothing is pushed, no board
or counter re-reads for it) and without an idempotency record. None is needed: the write is an upsert of "heard
now, in this state", so a retry or a duplicate only writes the same state again with a time as true as the first.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from sqlite_utils import Database

from motcua.domain.device_health import (
    MAX_DEVICE,
    MAX_VERSION,
    SILENT_AFTER_S,
    DeviceHealth,
    DeviceRole,
    PaperState,
    seen,
)
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.store import device_health as store


def _text(value: str, limit: int, field: str, required: bool) -> str:
    text = unicodedata.normalize("NFC", str(value).strip())
    if (required and not text) or len(text) > limit or not text.isprintable():
        raise ValidationError(tr("Báo cáo tình trạng thiết bị không hợp lệ: {field}", field=field), field)
    return text


def checked(
    role: DeviceRole | str, printer: PaperState | str, version: str, device: str
) -> tuple[DeviceRole, PaperState, str, str]:
    """The report's values as stored.

    Raises:
        ValidationError: an unknown role or paper state, no device name, or a name or version too long.
    """
    try:
        r = DeviceRole(role)
    except ValueError:
        raise ValidationError(tr("Báo cáo tình trạng thiết bị không hợp lệ: {field}", field="role"), "role") from None
    try:
        p = PaperState(printer)
    except ValueError:
        raise ValidationError(
            tr("Báo cáo tình trạng thiết bị không hợp lệ: {field}", field="printer"), "printer"
        ) from None
    return r, p, _text(version, MAX_VERSION, "version", False), _text(device, MAX_DEVICE, "device", True)


def report(
    db: Database,
    centre: str,
    now: datetime,
    role: DeviceRole,
    printer: PaperState,
    version: str,
    device: str,
    counter: int | None,
) -> DeviceHealth:
    """Record the report in the caller's write; the row as now stored."""
    store.upsert(db, centre, device, role, printer, version, counter, now)
    return DeviceHealth(device, role, now.replace(microsecond=0), printer, version, counter)


def devices(db: Database, centre: str, now: datetime, silent_after_s: float = SILENT_AFTER_S) -> list[DeviceHealth]:
    """Every device heard from, with its age at ``now`` and whether it is silent."""
    return [seen(d, now, silent_after_s) for d in store.all_devices(db, centre)]
