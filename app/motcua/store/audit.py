"""The audit log: who did what to which record, when and from which workstation. Append-only and tamper-evident.

Every entry is chained (see :mod:`motcua.domain.audit_chain`): numbered per origin, carrying the hash of the entry
before it, with its own hash. The origin is the workstation's replica origin, kept in ``rep_state`` (``audit.origin``)
when the app opens (:func:`claim`), so that :func:`record`'s callers need not pass it. ``audit_heads`` keeps each
origin's last number and hash: the next entry links to it, and a removed last entry shows against it. Entries go up
to the centre with the sync (:mod:`motcua.store.audit_chain`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from motcua.domain.audit_chain import GENESIS, AuditEntry
from motcua.store.clock import iso

ORIGIN_STATE = "audit.origin"
UNCLAIMED = ""  # entries made before this workstation knew its origin (chained by migration 0008)


def origin_of(db: Database) -> str:
    """The origin this workstation's entries are chained under (:data:`UNCLAIMED` until :func:`claim`)."""
    row = db.execute("SELECT value FROM rep_state WHERE name = ?", [ORIGIN_STATE]).fetchone()
    return str(row[0]) if row else UNCLAIMED


def claim(db: Database, origin: str) -> None:
    """Record this workstation's origin (when the app opens); entries made before it had one join its chain, unless
    it has a chain already (then they stay a chain of their own)."""
    db.execute(
        "INSERT INTO rep_state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [ORIGIN_STATE, origin],
    )
    if origin == UNCLAIMED or db.execute("SELECT 1 FROM audit_heads WHERE origin = ?", [origin]).fetchone():
        return
    if db.execute("SELECT 1 FROM audit_heads WHERE origin = ?", [UNCLAIMED]).fetchone():
        db.execute("UPDATE audit_log SET origin = ? WHERE origin = ?", [origin, UNCLAIMED])
        db.execute("UPDATE audit_heads SET origin = ? WHERE origin = ?", [origin, UNCLAIMED])


def chain_entry(db: Database, origin: str, *, at: str, actor: str, station: str, action: str, entity: str,
                detail: str) -> AuditEntry:  # fmt: skip
    """The next entry of ``origin``'s chain (not stored)."""
    head = db.execute("SELECT seq, hash FROM audit_heads WHERE origin = ?", [origin]).fetchone()
    seq, prev = (int(head[0]) + 1, str(head[1])) if head else (1, GENESIS)
    return AuditEntry.make(origin=origin, seq=seq, at=at, actor=actor, station=station, action=action, entity=entity,
                           detail=detail, prev=prev)  # fmt: skip


def append(db: Database, e: AuditEntry) -> None:
    db.execute(
        """INSERT INTO audit_log (at, actor, station_id, action, entity, detail, origin, seq, prev_hash, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [e.at, e.actor, e.station, e.action, e.entity, e.detail, e.origin, e.seq, e.prev, e.hash],
    )
    db.execute(
        """INSERT INTO audit_heads (origin, seq, hash) VALUES (?, ?, ?)
           ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq, hash = excluded.hash""",
        [e.origin, e.seq, e.hash],
    )


def record(db: Database, *, actor: str, station_id: str, action: str, entity: str, at: datetime, **detail: Any) -> None:
    """Append an entry (inside the caller's write transaction, with the change it records)."""
    entry = chain_entry(
        db,
        origin_of(db),
        at=iso(at) or "",
        actor=actor,
        station=station_id,
        action=action,
        entity=entity,
        detail=json.dumps(detail, ensure_ascii=False, default=str),
    )
    append(db, entry)


def history(db: Database, entity: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT at, actor, station_id, action, detail FROM audit_log WHERE entity = ? ORDER BY id", [entity]
    ).fetchall()
    return [{"at": r[0], "actor": r[1], "station_id": r[2], "action": r[3], "detail": json.loads(r[4])} for r in rows]
