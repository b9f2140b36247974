"""Audit entries travel up with the sync: workstation → centre → province (SQLite and PostgreSQL), each exactly once
whatever is retried, each origin's chain checked link by link by the receiver, and a broken chain refused."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.sync.test_replica_core import NOW, A, B, Chain

from motcua.domain.audit_chain import GENESIS, AuditEntry
from motcua.server.local_upstream import LocalUpstream
from motcua.services import audit_trail
from motcua.services.sync_node import SyncNode
from motcua.store import audit, audit_chain, replica_peers
from motcua.store.db import Store
from motcua.store.replica import Peer
from motcua.store.schema import migrate_workstation
from motcua.sync.engine import Report
from motcua.sync.upstream import LinkDown

WS = f"{A}/Q01"


@pytest.fixture
def chain(tmp_path: Path, province_db: str) -> Iterator[Chain]:
    for agency in (A, B):  # the workstations' databases as the app makes them (with their own audit log)
        store = Store(tmp_path / agency / "ws" / "workstation.sqlite", migrate_workstation)
        with store.write() as db:
            audit.claim(db, f"{agency}/Q01")
        store.close()
    c = Chain(tmp_path, province_db)
    yield c
    c.close()


def record(node: SyncNode, n: int, start: int = 0) -> None:
    store = node.db.store  # type: ignore[attr-defined]
    for i in range(start, start + n):
        with store.write() as db:
            audit.record(db, actor="Cán bộ", station_id="Q01", action="receive", entity=f"HS-{i}",
                         at=NOW + timedelta(minutes=i), i=i)  # fmt: skip


def held(node: SyncNode, origin: str) -> list[int]:
    with node.db.read() as sql:
        rows = sql.execute("SELECT seq FROM rep_audit WHERE origin = ? ORDER BY seq", [origin]).fetchall()
    return [int(r[0]) for r in rows]


def own_entries(node: SyncNode) -> list[AuditEntry]:
    with node.db.read() as sql:
        return [e for _, e in audit_chain.entries(sql) if e is not None]


class LosesAnswers:
    """An upstream whose audit answers get lost after the node above committed them (a cut link), ``times`` times."""

    def __init__(self, inner: LocalUpstream, times: int) -> None:
        self.inner = inner
        self.times = times
        self.label = inner.label

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def push_audit(self, entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        out = self.inner.push_audit(entries)
        if self.times:
            self.times -= 1
            raise LinkDown("answer lost")
        return out


def test_entries_reach_the_centre_and_the_province_exactly_once_after_retries(chain: Chain) -> None:
    ws, centre = chain.stations[A], chain.centres[A]
    record(ws, 5)
    w_engine, c_engine = chain.engines[f"w{A}"], chain.engines[f"c{A}"]
    w_engine.upstream = LosesAnswers(w_engine.upstream, 2)  # type: ignore[arg-type]
    c_engine.upstream = LosesAnswers(c_engine.upstream, 1)  # type: ignore[arg-type]
    for engine in (w_engine, c_engine):
        with pytest.raises(LinkDown):
            engine.run_once()
    with pytest.raises(LinkDown):
        w_engine.run_once()
    report = Report()
    w_engine.push_audit(report)  # everything is there already: "duplicate", and remembered as sent
    assert report.audit_sent == 5 and report.audit_refused == 0
    record(ws, 3, start=5)
    chain.sync()
    assert held(centre, WS) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert held(chain.province, WS) == [1, 2, 3, 4, 5, 6, 7, 8]
    # Byte for byte as made at the counter.
    with chain.province.db.read() as sql:
        at_province = [e for _, e in audit_chain.entries(sql) if e is not None]
    assert at_province == own_entries(ws)
    # The workstation forgets what it sent (a restored backup): sent again, answered "already have it".
    with ws.db.write() as sql:
        replica_peers.set_state(sql, audit_chain.SENT + WS, "0")
    again = Report()
    w_engine.push_audit(again)
    assert again.audit_sent == 8
    chain.sync()
    assert held(chain.province, WS) == list(range(1, 9))
    # The centre loses its last three (restored from an older backup): the next push resends from the gap.
    with centre.db.write() as sql:
        sql.execute("DELETE FROM rep_audit WHERE origin = ? AND seq > 5", [WS])
        sql.execute("UPDATE rep_audit_heads SET seq = 5, hash = (SELECT hash FROM rep_audit WHERE origin = ? "
                    "AND seq = 5) WHERE origin = ?", [WS, WS])  # fmt: skip
    record(ws, 1, start=8)
    chain.sync()
    assert held(centre, WS) == list(range(1, 10))
    assert held(chain.province, WS) == list(range(1, 10))
    for node in (centre, chain.province):
        result = audit_trail.verify(node.db)
        assert result.intact, [p.message for p in result.problems]
    # The other centre's workstation and the centres' own entries travel too, each its own chain.
    record(chain.stations[B], 2)
    with centre.db.write() as sql:
        audit_chain.record_node(sql, A, actor="giám sát", action="settle", entity="X", at=NOW)
    chain.sync()
    assert held(chain.province, f"{B}/Q01") == [1, 2]
    assert held(chain.province, A) == [1]
    assert held(chain.centres[B], WS) == []  # a centre holds its own workstations' entries only
    verified = audit_trail.verify(chain.province.db)
    assert verified.intact and (verified.origins, verified.entries) == (3, 12)


def test_a_broken_chain_is_refused_upstream_and_nothing_of_it_is_stored(chain: Chain) -> None:
    ws, centre = chain.stations[A], chain.centres[A]
    record(ws, 3)
    chain.sync()
    entries = own_entries(ws)
    peer = Peer("Q01", (WS,), frozenset({A}), "*")
    third = entries[2]
    # An entry that links to something else than the third held at the centre: refused as a break.
    stray = AuditEntry.make(origin=WS, seq=4, at="2026-12-01 10:00:00", actor="Kẻ gian", station="Q01",
                            action="receive", entity="HS-X", detail="{}", prev=GENESIS)  # fmt: skip
    [broken] = audit_trail.push(centre, [stray.to_json()], peer)
    assert (broken.result, broken.status) == ("broken", 409)
    assert broken.message == f"Mục 4 của {WS} không nối với mục 3 đang giữ: chuỗi nhật ký bị đứt, không nhận"
    # Its fields changed under the same hash: refused as not matching.
    edited = {**third.to_json(), "seq": 4, "prev": third.hash, "hash": third.hash}
    assert audit_trail.push(centre, [edited], peer)[0].result == "rejected"
    # One number too far: a gap, resend from 4.
    far = AuditEntry.make(origin=WS, seq=6, at="2026-12-01 10:00:00", actor="x", station="Q01", action="a",
                          entity="e", detail="{}", prev=third.hash)  # fmt: skip
    [gap] = audit_trail.push(centre, [far.to_json()], peer)
    assert (gap.result, gap.status, gap.resend_from) == ("gap", 409, 4)
    # The same number with other content: a conflict; the same entry again: "already have it".
    other = AuditEntry.make(origin=WS, seq=3, at=third.at, actor="x", station="Q01", action="a", entity="e",
                            detail="{}", prev=third.prev)  # fmt: skip
    assert [o.result for o in audit_trail.push(centre, [other.to_json(), third.to_json()], peer)] == [
        "conflict",
        "duplicate",
    ]
    # Another workstation's chain is not this one's to send; a malformed entry is rejected alone.
    assert audit_trail.push(centre, [stray.to_json()], Peer("Q02", (f"{A}/Q02",), frozenset({A}), "*"))[0].status == 403
    assert audit_trail.push(centre, [{"origin": WS, "seq": "4"}], peer)[0].status == 422
    assert held(centre, WS) == [1, 2, 3]
    # At the counter someone rewrites entry 4 before it is sent, hash and all: the centre refuses 5, which no longer
    # links to it, and keeps refusing it round after round; the other origins are not held back.
    record(ws, 2, start=3)
    with ws.db.write() as sql:
        row = sql.execute(
            "SELECT at, station_id, action, entity, detail, prev_hash FROM audit_log WHERE seq = 4"
        ).fetchone()
        forged = AuditEntry.make(origin=WS, seq=4, at=row[0], actor="Kẻ gian", station=row[1], action=row[2],
                                 entity=row[3], detail=row[4], prev=row[5])  # fmt: skip
        sql.execute("UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 4", [forged.actor, forged.hash])
    record(chain.stations[B], 1)
    report = chain.engines[f"w{A}"].run_once()
    assert (report.audit_sent, report.audit_refused) == (1, 1)
    assert chain.engines[f"w{A}"].run_once().audit_refused == 1
    chain.sync()
    assert held(centre, WS) == [1, 2, 3, 4]
    assert held(chain.province, WS) == [1, 2, 3, 4]
    assert held(chain.province, f"{B}/Q01") == [1]
    with centre.db.read() as sql:
        assert sql.execute("SELECT actor FROM rep_audit WHERE origin = ? AND seq = 4", [WS]).fetchone()[0] == "Kẻ gian"
    with ws.db.read() as sql:
        last_error = replica_peers.get_state(sql, audit_chain.LAST_ERROR)
    assert last_error.startswith(f"{WS} #5: Mục 5 của {WS} không nối với mục 4 đang giữ")
    # The counter's own check says what happened.
    assert [(p.kind, p.seq) for p in audit_trail.verify(ws.db).problems] == [("edited", 4)]


def test_audit_verify_reads_a_centre_and_the_province(chain: Chain, tmp_path: Path, province_db: str) -> None:
    record(chain.stations[A], 2)
    chain.sync()
    centre_dir = tmp_path / A
    with chain.centres[A].db.write() as sql:
        sql.execute("UPDATE rep_audit SET entity = 'HS-khác' WHERE seq = 1")

    def motcua(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "motcua.cli", *args],
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi", "MOTCUA_DATA_DIR": str(tmp_path)},
            timeout=120,
        )

    out = motcua("--data-dir", str(centre_dir), "audit", "verify", "--role", "center")
    assert out.returncode == 1, out.stderr
    assert out.stdout.splitlines()[0] == f"Nguồn {WS}, mục 1: nội dung đã bị sửa (mã băm không khớp, dòng 1)"
    out = motcua("--data-dir", str(tmp_path / "province"), "audit", "verify", "--role", "province", "--database",
                 province_db, "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["entries"] == 2
    listed = motcua("--data-dir", str(tmp_path / "province"), "audit", "list", "--role", "province", "--database",
                    province_db, "--json")  # fmt: skip
    assert [(e["origin"], e["seq"]) for e in json.loads(listed.stdout)] == [(WS, 1), (WS, 2)]
    assert datetime.fromisoformat(json.loads(listed.stdout)[0]["at"]) == NOW


def test_entries_go_up_over_https_as_the_commands_run_them(tmp_path: Path, postgres_dsn: str) -> None:
    """Separate processes (tests/sync/test_sync_chain.py's world): a counter's entries reach the province's
    PostgreSQL through its centre, byte for byte, and the province's log verifies."""
    from tests.sync.test_sync_chain import chain as world
    from tests.sync.test_sync_chain import motcua, wait_for

    procs = world.__wrapped__(tmp_path, postgres_dsn)  # type: ignore[attr-defined]
    w = next(procs)
    try:
        province = w["province"]
        _, _, _, ws_a, conf_a = w[A]
        a = ["--config", str(conf_a), "--data-dir", str(ws_a)]
        motcua(*a, "dossier", "receive", "--procedure", "1.001193", "--name", "Nguyễn Văn An", "--id",
               "038090000001", "--json")  # fmt: skip
        mine = json.loads(motcua(*a, "audit", "list", "--json").stdout)
        assert mine and {e["origin"] for e in mine} == {WS}
        motcua(*a, "sync", "run", "--once")
        up = ["--data-dir", str(province.dir), "audit", "list", "--role", "province", "--database", province.dsn]

        def arrived() -> bool:
            return bool(json.loads(motcua(*up, "--json").stdout) == [{**e, "row": i + 1} for i, e in enumerate(mine)])

        assert wait_for(arrived), "the counter's audit entries did not reach the province"
        verify = ["--data-dir", str(province.dir), "audit", "verify", "--role", "province", "--database", province.dsn]
        assert motcua(*verify).stdout.strip() == f"Nhật ký nguyên vẹn: 1 nguồn, {len(mine)} mục"
    finally:
        next(procs, None)


def test_large_entries_go_in_batches_the_server_accepts(chain: Chain) -> None:
    ws = chain.stations[A]
    with ws.db.store.write() as db:  # type: ignore[attr-defined]
        for i in range(5):
            audit.record(db, actor="Cán bộ", station_id="Q01", action="import", entity="catalog", at=NOW,
                         note="x" * 250_000, i=i)  # fmt: skip
    sizes: list[int] = []
    engine = chain.engines[f"w{A}"]
    inner = engine.upstream

    class Counting(LosesAnswers):
        def push_audit(self, entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
            sizes.append(sum(len(e["detail"]) for e in entries))
            return super().push_audit(entries)

    engine.upstream = Counting(inner, 0)  # type: ignore[arg-type,arg-type]
    engine.run_once()
    assert held(chain.centres[A], WS) == [1, 2, 3, 4, 5]
    assert len(sizes) == 2 and max(sizes) <= 1024 * 1024


def test_a_decision_at_the_province_and_a_settlement_at_a_centre_are_in_their_own_chains(chain: Chain) -> None:
    from tests.sync.test_replica_core import action, received

    from motcua.domain.status import Action, Status
    from motcua.domain.sync_envelope import ACTION, RECEIVED

    code = f"{A}-261201-0009"
    chain.local(chain.stations[A], RECEIVED, code, received(A, code))
    chain.sync()
    chain.province.act(code, Action.RESOLVE, "Cán bộ tỉnh")
    key = chain.local(chain.stations[A], ACTION, code, action(Action.WITHDRAW, Status.WITHDRAWN, note="Rút"))
    chain.sync()
    chain.centres[A].settle(key, "Giám sát A", "Đã gọi công dân")
    for node, origin, actor, what in (
        (chain.province, chain.province.replica.origin, "Cán bộ tỉnh", "resolve"),
        (chain.centres[A], chain.centres[A].replica.origin, "Giám sát A", "settle_conflict"),
    ):
        with node.db.read() as sql:
            own = [e for _row, e in audit_chain.entries(sql) if e is not None and e.origin == origin]
        assert [(e.actor, e.action, e.entity) for e in own] == [(actor, what, code)]
        assert audit_trail.verify(node.db).intact
