"""Putting a sync node together for each role: what its origin is, whether it is the root, how it routes.

- A workstation's origin is ``<centre agency id>/<station id>``; its views are also written into the tables its
  windows read (see :mod:`motcua.store.projection`).
- A centre's origin is its agency id; it relays its workstations' events up and hands the province's changes down.
- The province is the root (``province:<id>``): its verdicts are final, and it routes a dossier to a second centre
  when that centre's agency is the one to handle it (non-territorial reception).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from motcua.domain.status import Action
from motcua.domain.sync_envelope import ACTION, RECEIVED, Envelope
from motcua.services.sync_node import SyncNode
from motcua.store.db import Store
from motcua.store.replica import Replica
from motcua.store.replica_peers import agency_holders
from motcua.store.sql import Database, Sql, SqliteDatabase, open_database

Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def workstation_origin(agency_id: str, station_id: str) -> str:
    return f"{agency_id}/{station_id}"


def handling_agency(env: Envelope) -> str:
    """The agency an event hands the dossier to: named at reception, or by a transfer."""
    if env.kind == RECEIVED:
        return str(env.data.get("handling_agency_id") or "")
    if env.kind == ACTION and env.data.get("action") == Action.TRANSFER.value:
        return str(env.data.get("agency") or "")
    return ""


def province_route(sql: Sql, dossier: str, env: Envelope) -> list[str]:
    agency = handling_agency(env)
    if not agency:
        return []
    holder = agency_holders(sql).get(agency)
    return [holder] if holder else []


def centre_node(store: Store, agency_id: str, files_dir: Path, clock: Clock = _now) -> SyncNode:
    """The centre's node on its own database (``centre.sqlite``, beside the queue and the number leases)."""
    return SyncNode(SqliteDatabase(store), Replica(origin=agency_id, documents_dir=files_dir), files_dir, clock)


def province_node(database: str | Store, province_id: str, files_dir: Path, clock: Clock = _now) -> SyncNode:
    """The province's node: PostgreSQL (``postgresql://…``) or an SQLite file for a demo."""
    db: Database = open_database(database)
    replica = Replica(origin=f"province:{province_id}", root=True, documents_dir=files_dir, route=province_route)
    return SyncNode(db, replica, files_dir, clock)
