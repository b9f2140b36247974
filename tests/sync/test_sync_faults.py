"""The sync under fire: 2 centres × 3 workstations, 5,000 dossiers, 1,000 scanned PDFs and status moves in both
directions, through proxies that drop, reset, delay, truncate, duplicate and refuse, with kill -9 of the pushers,
the centres and the province server at random points. After the faults stop and the sync drains, every event and
document made anywhere is at the province exactly once with the same bytes, every decision reached the counters of
the centres holding the dossier, per-dossier order holds, and every outbox is empty.

All separate processes on loopback; the province keeps its data in a real PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from motcua.bench.fault_proxy import FAULT_KINDS
from motcua.bench.sync_workload import FIELD_FAULTS, Workload
from motcua.bench.sync_world import SyncWorld


@pytest.mark.slow
def test_nothing_is_lost_or_duplicated_under_faults_and_kills(tmp_path: Path, postgres_dsn: str) -> None:
    world = SyncWorld(tmp_path / "world", centres=2, stations=3, database=postgres_dsn, proxies=True, seed=7)
    world.start()
    try:
        world.start_pushers()
        world.set_faults(FIELD_FAULTS)
        tally = Workload(world, dossiers=5000, pdfs=1000, chaos_every_s=2.5, seed=7).run(tail_s=30)
        under_fire = world.backlog()
        world.heal()
        backlog = world.drain(timeout=480)
        audit = world.audit()
        answered = world.answered()
        faults = {k: sum(p.stats[k] for p in world.proxies) for k in (*FAULT_KINDS, "refused", "cut")}
    finally:
        world.close()
    counts = {
        "work": tally.as_dict(),
        "backlog_when_faults_stopped": under_fire,
        "faults_injected": faults,
        "answered": answered,
        "sent": sum(sum(a.values()) for a in answered.values()),
        "retried": sum(a.get(k, 0) for a in answered.values() for k in ("duplicate", "gap", "missing_documents")),
        "duplicates_refused": sum(a.get("duplicate", 0) for a in answered.values()),
        "lost": audit["lost"],
        "duplicated": audit["duplicated"],
        "audit": audit,
    }
    print(json.dumps(counts, ensure_ascii=False, indent=1))
    # The work really happened, and the faults really hit it.
    assert tally.received == 5000 and tally.attached == 1000
    assert tally.routed > 0 and tally.counter_moves > 1000 and tally.province_moves > 0
    assert all(faults[k] > 0 for k in FAULT_KINDS), faults
    assert {"pusher", "centre", "province", "link"} <= set(tally.chaos), tally.chaos
    assert counts["duplicates_refused"] > 0  # identical resends did arrive, and were answered "already have it"
    # Everything travelled, once, with its bytes.
    assert backlog == {"unsent": 0, "unconfirmed": 0, "parked": 0, "not_at_province": 0}, backlog
    assert audit["lost"] == 0 and audit["duplicated"] == 0 and audit["bytes_differ"] == 0, audit["examples"]
    assert audit["events_at_province"] == audit["events_made"]
    assert audit["dossiers_at_province"] == 5000
    assert audit["documents_at_province"] == audit["documents_made"] == 1000
    assert audit["order_broken"] == 0
    assert audit["missing_downstream"] == 0
    assert audit["documents_missing_at_holders"] == 0  # a routed dossier's scans reached the centre handling it
