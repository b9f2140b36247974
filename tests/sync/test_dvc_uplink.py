"""A centre pointed at a provincial system that speaks only the national portal's format (province_protocol
"dvc"): its dossiers go up as DongBoHoSoMC records and their steps as CapNhatTienDoHoSoMC, each change once, and a
record the portal refuses is set aside without holding back the others. The province here is our own server, which
accepts that shape too; a real provincial system is a configuration change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from motcua.config import load_settings
from motcua.domain.errors import MotcuaError
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, RECEIVED
from motcua.server.province import create_province_app
from motcua.server.run import ServerThread
from motcua.server.uplink import centre_engine
from motcua.services.sync_node import SyncNode
from motcua.services.sync_setup import centre_node, province_node
from motcua.store import replica_peers
from motcua.store.db import Store
from motcua.sync.dvc import DvcClient
from motcua.sync.dvc_uplink import DvcEngine

A = "000.25.38.H38"
NOW = datetime(2026, 12, 1, 9, 0)


@pytest.fixture
def province(tmp_path: Path) -> Iterator[tuple[str, str, SyncNode]]:
    node = province_node(str(tmp_path / "province.sqlite"), "H38", tmp_path / "p")
    with node.db.write() as sql:
        credential = replica_peers.add_peer(sql, A, "Trung tâm A", [], NOW)
    server = ServerThread(create_province_app(node, "H38")).start()
    yield server.url, credential, node
    server.stop()
    node.close()


def _receive(
    centre: SyncNode, code: str, procedure: str = "1.001193", applicant: dict[str, object] | None = None
) -> None:
    data = {
        "code": code,
        "procedure_code": procedure,
        "procedure_name": "Đăng ký khai sinh",
        "agency_id": A,
        "applicant": applicant
        or {"kind": "person", "name": "Nguyễn Văn An", "id_number": "038090000001", "address": {}},
        "channel": "1",
        "received_at": "2026-12-01 09:00:00",
        "due_at": "2026-12-01 17:00:00",
        "status": 2,
        "received_by": "Cán bộ A",
        "components": [],
        "fee_vnd": 0,
        "sets": 1,
        "note": "",
        "result_delivery": "Bộ phận một cửa",
        "handling_agency_id": "",
    }
    with centre.db.write() as sql:
        centre.replica.record_local(sql, kind=RECEIVED, dossier=code, data=data, now=NOW)


def _rows(node: SyncNode) -> list[tuple[str, str, int, dict[str, object]]]:
    with node.db.read() as sql:
        rows = sql.execute("SELECT service, ma_ho_so, updating, record FROM dvc_records ORDER BY id").fetchall()
    return [(r[0], r[1], int(r[2]), json.loads(r[3])) for r in rows]


def test_a_centre_pushes_its_dossiers_in_the_portal_format(tmp_path: Path, province: tuple[str, str, SyncNode]) -> None:
    url, credential, pnode = province
    store = Store(tmp_path / "centre.sqlite")
    centre = centre_node(store, A, tmp_path / "c")
    client = DvcClient(
        url, auth_path="/api/v1/dvc/auth", integration_path="/api/v1/dvc/integration", username=A,
        password=credential, madonvi=A,
    )  # fmt: skip
    engine = DvcEngine(centre.db, client, lambda: NOW)
    try:
        good, bad = f"{A}-261201-0001", f"{A}-261201-0002"
        _receive(centre, good)
        _receive(centre, bad, procedure="")  # no procedure code: the national format refuses the record
        report = engine.run_once()
        assert report.pushed == 1 and report.parked == 1
        first = _rows(pnode)
        assert [(r[0], r[1], r[2]) for r in first] == [
            ("DongBoHoSoMC", good, 0),
            ("CapNhatTienDoHoSoMC", good, 0),
        ]
        assert first[0][3]["TrangThaiHoSo"] in ("2", 2) and first[0][3]["NgayTiepNhan"] == "20261201090000"
        with centre.db.read() as sql:
            assert replica_peers.get_state(sql, f"dvc.refused.{bad}")  # set aside, with its reason
        # The next change goes up as an update, with only the new step.
        with centre.db.write() as sql:
            centre.replica.record_local(
                sql,
                kind=ACTION,
                dossier=good,
                data={"action": Action.START.value, "status_after": int(Status.PROCESSING), "clerk": "Cán bộ B",
                      "note": "", "agency": "", "due_after": "2026-12-01 17:00:00"},
                now=NOW,
            )  # fmt: skip
        engine.run_once()
        engine.run_once()  # nothing new: nothing sent twice
        rows = _rows(pnode)
        assert [(r[0], r[2]) for r in rows[2:]] == [("DongBoHoSoMC", 1), ("CapNhatTienDoHoSoMC", 0)]
        assert rows[2][3]["TrangThaiHoSo"] in ("4", 4)
    finally:
        client.close()
        store.close()


def test_the_portal_codes_come_from_the_centre_configuration(
    tmp_path: Path, province: tuple[str, str, SyncNode]
) -> None:
    url, credential, pnode = province
    (tmp_path / "centre.toml").write_text(
        f"""[sync]
province_url = "{url}"
province_protocol = "dvc"
dvc_username = "{A}"
dvc_password = "{credential}"
dvc_madonvi = "{A}"

[sync.dvc_codes]
id_kind_passport = "5"
database_codes = ["7"]
""",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path / "centre.toml")
    store = Store(tmp_path / "centre.sqlite")
    centre = centre_node(store, A, tmp_path / "c")
    engine = centre_engine(centre, settings.sync, lambda: NOW)
    assert isinstance(engine, DvcEngine)
    try:
        code = f"{A}-261201-0003"
        _receive(centre, code, applicant={"kind": "person", "name": "Kim Min-jun", "id_number": "M12345678",
                                         "id_kind": "passport", "nationality": "KOR", "address": {}})  # fmt: skip
        assert engine.run_once().pushed == 1
        record = _rows(pnode)[0][3]
        assert record["DinhDanhCHS"] == [{"LoaiDinhDanh": "5", "SoDinhDanh": "M12345678"}]
        assert record["DSKetNoiCSDL"] == [{"MaCSDL": "7"}]
    finally:
        engine.client.close()
        store.close()

    with pytest.raises(MotcuaError, match="id_kind_pasport"):
        centre_engine(centre, replace(settings.sync, dvc_codes={"id_kind_pasport": "5"}), lambda: NOW)
    with pytest.raises(MotcuaError, match=r"component_counts.*bool"):
        centre_engine(centre, replace(settings.sync, dvc_codes={"component_counts": "no"}), lambda: NOW)


def test_the_portal_sees_only_the_steps_that_stand() -> None:
    from motcua.domain.sync_envelope import make_envelope
    from motcua.sync.dvc_uplink import dossier_dict

    code = f"{A}-261201-0003"
    received = make_envelope(
        origin=f"{A}/Q01", origin_seq=1, kind=RECEIVED, dossier=code, prev=None, at="2026-12-01 09:00:00",
        data={"procedure_code": "1.001193", "agency_id": A, "applicant": {}, "received_at": "2026-12-01 09:00:00",
              "status": 2},
    )  # fmt: skip
    steps = [received]
    for action, status, extra in (
        (Action.START.value, int(Status.PROCESSING), {}),
        (Action.RESOLVE.value, int(Status.RESOLVED), {}),  # a wrong click …
        ("undo", int(Status.PROCESSING), {}),  # … taken back
    ):
        if action == "undo":
            extra = {"undoes": steps[-1].key}
        steps.append(
            make_envelope(
                origin=f"{A}/Q01",
                origin_seq=len(steps) + 1,
                kind=ACTION,
                dossier=code,
                prev=steps[-1].key,
                at="2026-12-01 09:30:00",
                data={"action": action, "status_after": status, **extra},
            )
        )
    snapshot = {
        "events": [{"envelope": e.text, "verdict": "applied"} for e in steps],
        "status": int(Status.PROCESSING),
        "due_at": "2026-12-01 17:00:00",
    }
    made = dossier_dict(snapshot)
    assert made is not None
    assert [e["action"] for e in made[0]["events"]] == ["receive", "start"]  # no resolve, no undo
