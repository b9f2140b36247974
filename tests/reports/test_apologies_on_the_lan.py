"""A supervisor's PC on a centre's LAN counts the apology letters (Mẫu 04) made at every counter: it receives the
dossiers through the sync but not the other counters' audit entries, which the centre holds."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

from motcua.bench.report_history import plan_history, write_dossiers
from motcua.config import Settings
from motcua.domain.queue_codec import snapshot_from_json, snapshot_to_json
from motcua.domain.reports.facts import DossierFact
from motcua.paths import kiosk_config_dir
from motcua.services.context import open_context
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.reports import NoQueue, ReportService
from motcua.store.report_facts import APOLOGY_ACTION

LAST = date(2026, 11, 20)


def test_the_index_counts_apologies_made_at_other_counters_from_the_centre(tmp_path: Path) -> None:
    from motcua.domain.queue_config import load_queue_config

    history = plan_history(LAST, days=60, per_day=40, tickets_per_day=0)
    now = datetime.combine(LAST, time(17, 0))
    supervisor = open_context(Settings(), tmp_path / "supervisor", clock=lambda: now)
    with supervisor.store.write() as db:
        write_dossiers(db, history)
        db.execute("DELETE FROM audit_log WHERE action = ?", [APOLOGY_ACTION])  # made at the counters, not here
    apologised = sorted(d.code for d in history.dossiers if d.apology)
    assert apologised
    centre = open_queue_store(tmp_path / "centre" / "centre.sqlite")
    with centre.write() as db:  # the counters' audit entries, arrived at the centre through the sync
        for i, code in enumerate(apologised):
            db.execute(
                "INSERT INTO rep_audit (origin, seq, at, actor, station_id, action, entity, detail, prev_hash, hash,"
                " source, arrived_at) VALUES ('Q01', ?, ?, 'canbo01', 'Q01', ?, ?, '{}', '', '', 'Q01', ?)",
                [i + 1, now.isoformat(sep=" "), APOLOGY_ACTION, code, now.isoformat(sep=" ")],
            )
    queue = QueueService(centre, load_queue_config(kiosk_config_dir() / "queue.toml"), clock=lambda: now)
    try:
        first = min(d.received_at for d in history.dossiers).date().replace(day=1)
        alone = ReportService(supervisor, NoQueue()).service_index(first, LAST)
        with_centre = ReportService(supervisor, queue).service_index(first, LAST)
        late_alone = sum(m.late_with_apology for m in alone)
        late_with_centre = sum(m.late_with_apology for m in with_centre)
        facts: list[DossierFact] = ReportService(supervisor).dossiers(first, LAST)
        late = {f.code for f in facts if f.apology}
        assert late_alone == 0 and not late  # this PC's own data knows of none
        expected = sum(
            1
            for d in history.dossiers
            if d.apology and d.end_at is not None and first <= d.end_at.date() <= LAST and d.judged == "late"
        )
        assert late_with_centre == expected > 0
        # Over HTTP the snapshot carries them the same way.
        snap = queue.snapshot(LAST, LAST, tickets=False)
        again = snapshot_from_json(json.loads(json.dumps(snapshot_to_json(snap))))
        assert list(again.apologies) == apologised
        assert snapshot_from_json({k: v for k, v in snapshot_to_json(snap).items() if k != "apologies"}).apologies == ()
    finally:
        supervisor.close()
        centre.close()
