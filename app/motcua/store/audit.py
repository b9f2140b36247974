"""The audit log: who did what to which record, when and from which workstation. Append-only."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from motcua.store.clock import iso


def record(db: Database, *, actor: str, station_id: str, action: str, entity: str, at: datetime, **detail: Any) -> None:
    db.execute(
        "INSERT INTO audit_log (at, actor, station_id, action, entity, detail) VALUES (?, ?, ?, ?, ?, ?)",
        [iso(at), actor, station_id, action, entity, json.dumps(detail, ensure_ascii=False, default=str)],
    )


def history(db: Database, entity: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT at, actor, station_id, action, detail FROM audit_log WHERE entity = ? ORDER BY id", [entity]
    ).fetchall()
    return [{"at": r[0], "actor": r[1], "station_id": r[2], "action": r[3], "detail": json.loads(r[4])} for r in rows]
