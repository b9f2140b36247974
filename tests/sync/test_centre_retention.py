"""The retention rule on a centre: its copy of a closed dossier's events loses the citizen once the province holds
them and the period has passed; nothing the province lacks is touched, nor anything on a centre with no province."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from motcua.config import RetentionSettings
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, RECEIVED
from motcua.services.node_retention import NodeRetention, RetentionJob
from motcua.store import audit_chain
from sync.test_replica_core import NOW, A, Chain, action, received

LATER = NOW + timedelta(days=400)  # past the default 365 days of a returned dossier


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Chain]:
    c = Chain(tmp_path, str(tmp_path / "province.sqlite"))
    yield c
    c.close()


def _returned(chain: Chain, code: str, note: str) -> None:
    ws = chain.stations[A]
    chain.local(ws, RECEIVED, code, received(A, code))
    chain.local(ws, ACTION, code, action(Action.START, Status.PROCESSING, note=note))
    chain.local(ws, ACTION, code, action(Action.RESOLVE, Status.RESOLVED))
    chain.local(ws, ACTION, code, action(Action.RETURN_RESULT, Status.RETURNED))


def _events(chain: Chain, code: str) -> list[tuple[str, str, str]]:
    centre = chain.centres[A]
    with centre.db.read() as sql:
        rows = sql.execute("SELECT key, envelope, sha256 FROM rep_events WHERE dossier = ? ORDER BY id", [code])
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows.fetchall()]


def test_a_returned_dossier_the_province_holds_loses_its_citizen_at_the_centre(chain: Chain) -> None:
    code = f"{A}-261201-0101"
    _returned(chain, code, note="Nguyễn Văn An hẹn nộp bổ sung")
    chain.sync()
    before = _events(chain, code)
    assert any("038090000001" in text for _, text, _ in before)
    assert any("hẹn nộp bổ sung" in text for _, text, _ in before)
    centre = chain.centres[A]
    centre.clock = lambda: LATER  # type: ignore[method-assign]

    report = NodeRetention(centre, RetentionSettings(), has_uplink=True).run()

    assert report.anonymised["returned"] == 1 and report.waiting == 0 and report.events >= 2
    after = _events(chain, code)
    assert [k for k, _, _ in after] == [k for k, _, _ in before]
    assert [s for _, _, s in after] == [s for _, _, s in before]  # the hash the other nodes compare stays
    for _, text, _ in after:
        assert "Nguyễn Văn An" not in text and "038090000001" not in text
    first = json.loads(after[0][1])
    assert first["data"]["procedure_code"] == "1.001193" and first["data"]["applicant"]["name"] == "***"
    with centre.db.read() as sql:
        _, _, problems = audit_chain.verify(sql)
        logged = audit_chain.entries(sql, "retention")
    assert problems == [] and len(logged) == 1
    entry = logged[0][1]
    assert entry is not None and entry.actor == "retention" and "Nguyễn" not in entry.detail
    assert json.loads(entry.detail)["anonymised"]["returned"] == 1
    # The next run has nothing left to do, and the sync carries on without conflicts or re-sending.
    assert NodeRetention(centre, RetentionSettings(), has_uplink=True).run().anonymised["returned"] == 0
    chain.sync()
    assert centre.conflicts() == [] and chain.province.conflicts() == []
    with centre.db.read() as sql:
        assert centre.replica.not_at_root(sql, code) == 0


def test_what_the_province_does_not_hold_yet_is_kept_and_counted_as_waiting(chain: Chain) -> None:
    code = f"{A}-261201-0102"
    _returned(chain, code, note="")
    chain.engines[f"w{A}"].run_once()  # at the centre; the centre's link to the province is down
    centre = chain.centres[A]
    centre.clock = lambda: LATER  # type: ignore[method-assign]
    before = _events(chain, code)

    report = NodeRetention(centre, RetentionSettings(), has_uplink=True).run()

    assert report.anonymised["returned"] == 0 and report.waiting == 1
    assert _events(chain, code) == before


def test_a_dossier_still_in_its_period_and_a_dry_run_change_nothing(chain: Chain) -> None:
    code = f"{A}-261201-0103"
    _returned(chain, code, note="")
    chain.sync()
    centre = chain.centres[A]
    before = _events(chain, code)
    centre.clock = lambda: NOW + timedelta(days=300)  # type: ignore[method-assign]
    assert NodeRetention(centre, RetentionSettings(), has_uplink=True).run().anonymised["returned"] == 0
    centre.clock = lambda: LATER  # type: ignore[method-assign]
    dry = NodeRetention(centre, RetentionSettings(), has_uplink=True).run(dry_run=True)
    assert dry.anonymised["returned"] == 1 and _events(chain, code) == before
    with centre.db.read() as sql:
        logged = [e for _, e in audit_chain.entries(sql, "retention") if e is not None]
    assert len(logged) == 1 and json.loads(logged[0].detail)["dry_run"] is False  # the first run's; none for the dry


def test_a_centre_with_no_province_keeps_the_only_record(chain: Chain) -> None:
    code = f"{A}-261201-0104"
    _returned(chain, code, note="")
    chain.sync()
    centre = chain.centres[A]
    centre.clock = lambda: LATER  # type: ignore[method-assign]
    before = _events(chain, code)
    report = NodeRetention(centre, RetentionSettings(), has_uplink=False).run()
    assert report.skipped == "no-province-link" and _events(chain, code) == before
    job = RetentionJob(NodeRetention(centre, RetentionSettings(), has_uplink=False)).start()
    assert job._thread is None  # nothing to run on such a centre
    job.stop()


def test_the_daily_job_runs_the_rule_and_survives_a_failure(chain: Chain) -> None:
    code = f"{A}-261201-0105"
    _returned(chain, code, note="")
    chain.sync()
    centre = chain.centres[A]
    centre.clock = lambda: LATER  # type: ignore[method-assign]
    errors: list[Exception] = []
    job = RetentionJob(NodeRetention(centre, RetentionSettings(), has_uplink=True), on_error=errors.append)
    report = job.check()
    assert report is not None and report.anonymised["returned"] == 1 and job.last is report
    centre.clock = lambda: (_ for _ in ()).throw(OSError("disk"))  # type: ignore[method-assign]
    assert job.check() is None and isinstance(errors[0], OSError)


def test_a_visit_the_province_holds_loses_its_citizen_after_the_visits_period(chain: Chain) -> None:
    from motcua.domain.sync_envelope import VISIT

    ws = chain.stations[A]
    data = {
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant": {"kind": "1", "name": "Trần Thị Bình", "id_number": "001190000002", "phone": "0912000002"},
        "missing": ["Giấy chứng sinh"],
        "note": "Bà Bình quay lại thứ Hai",
        "clerk": "x",
        "agency_id": A,
    }
    chain.local(ws, VISIT, "VISIT-00000000000A", data)
    chain.local(ws, VISIT, "VISIT-00000000000B", {**data, "note": ""})
    chain.sync()
    centre = chain.centres[A]
    with centre.db.write() as sql:  # the second is still on its way to the province
        key = sql.execute("SELECT key FROM rep_events WHERE dossier = ?", ["VISIT-00000000000B"]).fetchone()[0]
        sql.execute("UPDATE rep_events SET at_root = 0 WHERE key = ?", [key])
        sql.execute("UPDATE outbox SET sent_at = NULL, confirmed_at = NULL WHERE key = ?", [key])
    centre.clock = lambda: NOW + timedelta(days=91)  # type: ignore[method-assign]

    report = NodeRetention(centre, RetentionSettings(), has_uplink=True).run()

    assert report.visits == 1 and report.waiting == 1
    first, second = _events(chain, "VISIT-00000000000A"), _events(chain, "VISIT-00000000000B")
    assert "Trần Thị Bình" not in first[0][1] and "001190000002" not in first[0][1] and "quay lại" not in first[0][1]
    assert "Trần Thị Bình" in second[0][1]
