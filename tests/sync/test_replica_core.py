"""The replica and the engine across three nodes in one process: workstation → centre → province (SQLite and a
real PostgreSQL for the province), without HTTP. The HTTP protocol, processes and faults are tested elsewhere."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from motcua.domain.errors import TransitionError
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, ATTACHMENT, RECEIVED, make_envelope
from motcua.server.local_upstream import LocalUpstream
from motcua.services.sync_node import SyncNode
from motcua.services.sync_setup import centre_node, province_node
from motcua.store import outbox, replica_peers
from motcua.store.db import Store
from motcua.store.replica import Peer, Replica
from motcua.store.sql import SqliteDatabase
from motcua.sync.engine import Report, SyncEngine

A = "000.25.38.H38"
B = "000.26.38.H38"
NOW = datetime(2026, 12, 1, 9, 0)


def clock() -> datetime:
    return NOW


def received(agency: str, code: str, handling: str = "") -> dict[str, object]:
    return {
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "agency_id": agency,
        "applicant": {"kind": "person", "name": "Nguyễn Văn An", "id_number": "038090000001"},
        "received_at": "2026-12-01 09:00:00",
        "due_at": "2026-12-01 17:00:00",
        "status": 2,
        "handling_agency_id": handling,
    }


def action(a: Action, target: Status, note: str = "", agency: str = "") -> dict[str, object]:
    return {
        "action": a.value,
        "status_after": int(target),
        "clerk": "x",
        "note": note,
        "agency": agency,
        "due_after": "2026-12-01 17:00:00",
    }


class Chain:
    """Province, centres A and B, and one workstation under each, wired with in-process upstreams."""

    def __init__(self, tmp: Path, province_db: str) -> None:
        self.province = province_node(province_db, "H38", tmp / "province", clock)
        with self.province.db.write() as sql:
            self.tokens = {
                A: replica_peers.add_peer(sql, A, "Trung tâm A", [], NOW),
                B: replica_peers.add_peer(sql, B, "Trung tâm B", [], NOW),
            }
        self.centres: dict[str, SyncNode] = {}
        self.stations: dict[str, SyncNode] = {}
        self.engines: dict[str, SyncEngine] = {}
        for agency in (A, B):
            centre = centre_node(Store(tmp / agency / "centre.sqlite"), agency, tmp / agency, clock)
            self.centres[agency] = centre
            self.engines[f"c{agency}"] = SyncEngine(
                centre.db,
                centre.replica,
                centre.docs,
                LocalUpstream(self.province, Peer(agency, (agency, f"{agency}/"), frozenset({agency}), agency)),
                clock,
                fetch_documents="all",
            )
            ws_dir = tmp / agency / "ws"
            ws = SyncNode(
                SqliteDatabase(Store(ws_dir / "workstation.sqlite")),
                Replica(origin=f"{agency}/Q01", documents_dir=ws_dir),
                ws_dir,
                clock,
            )
            self.stations[agency] = ws
            self.engines[f"w{agency}"] = SyncEngine(
                ws.db,
                ws.replica,
                ws.docs,
                LocalUpstream(centre, Peer("Q01", (f"{agency}/Q01",), frozenset({agency}), "*")),
                clock,
                fetch_documents="foreign",
                own_agency=agency,
            )

    def sync(self, rounds: int = 3) -> None:
        for _ in range(rounds):
            for name in (f"w{A}", f"w{B}", f"c{A}", f"c{B}"):
                self.engines[name].run_once()

    def local(self, node: SyncNode, kind: str, code: str, data: dict[str, object], docs: tuple[str, ...] = ()) -> str:
        with node.db.write() as sql:
            return node.replica.record_local(sql, kind=kind, dossier=code, data=data, now=NOW, documents=docs).key

    def close(self) -> None:
        for n in [self.province, *self.centres.values(), *self.stations.values()]:
            n.close()


@pytest.fixture
def chain(tmp_path: Path, province_db: str) -> Chain:
    c = Chain(tmp_path, province_db)
    yield c  # type: ignore[misc]
    c.close()


def status_at(node: SyncNode, code: str) -> int | None:
    return node.dossier(code)["status"]


def test_a_dossier_goes_up_and_the_province_decision_comes_back_down(chain: Chain) -> None:
    code = f"{A}-261201-0001"
    chain.local(chain.stations[A], RECEIVED, code, received(A, code))
    ws = chain.stations[A]
    chain.engines[f"w{A}"].run_once()
    with ws.db.read() as sql:
        assert ws.replica.not_at_root(sql, code) == 1  # at the centre, not yet at the province
    chain.sync()
    assert status_at(chain.province, code) == 2
    with ws.db.read() as sql:
        assert ws.replica.not_at_root(sql, code) == 0  # the counter can tell the citizen it reached the province
    assert (
        chain.province.dossier(code)["events"][0]["envelope"]
        == chain.stations[A].dossier(code)["events"][0]["envelope"]
    )
    chain.province.act(code, Action.START, "tỉnh")
    chain.province.act(code, Action.RESOLVE, "tỉnh")
    chain.sync()
    assert status_at(chain.centres[A], code) == int(Status.RESOLVED)
    assert status_at(chain.stations[A], code) == int(Status.RESOLVED)
    # The counter hands the result over; that too reaches the province.
    chain.local(chain.stations[A], ACTION, code, action(Action.RETURN_RESULT, Status.RETURNED))
    chain.sync()
    assert status_at(chain.province, code) == int(Status.RETURNED)
    with chain.stations[A].db.read() as sql:
        assert outbox.counts(sql)["pending"] == 0
        assert outbox.counts(sql)["confirmed"] == 2
    # Centre B never sees a dossier it does not hold.
    with pytest.raises(Exception, match="Không tìm thấy"):
        chain.centres[B].dossier(code)


def test_a_withdrawal_after_the_province_resolved_is_kept_as_a_conflict_everywhere(chain: Chain) -> None:
    code = f"{A}-261201-0002"
    chain.local(chain.stations[A], RECEIVED, code, received(A, code))
    chain.sync()
    chain.province.act(code, Action.RESOLVE, "tỉnh")
    # Offline meanwhile, the counter records the citizen's withdrawal.
    key = chain.local(
        chain.stations[A], ACTION, code, action(Action.WITHDRAW, Status.WITHDRAWN, note="Công dân xin rút")
    )
    assert status_at(chain.stations[A], code) == int(Status.WITHDRAWN)
    chain.sync()
    for node in (chain.province, chain.centres[A], chain.stations[A]):
        snap = node.dossier(code)
        assert snap["status"] == int(Status.RESOLVED)
        verdicts = {e["key"]: e["verdict"] for e in snap["events"]}
        assert verdicts[key] == "conflict"
    assert [c.key for c in chain.province.conflicts()] == [key]
    # A supervisor settles it; that travels up like any change.
    chain.centres[A].settle(key, "giám sát", "Đã gọi công dân; kết quả vẫn trả")
    chain.sync()
    assert chain.province.conflicts() == []
    with pytest.raises(TransitionError):
        chain.province.act(code, Action.WITHDRAW, "tỉnh", note="x")


def test_an_undo_travels_like_a_step_and_one_that_lost_the_race_is_a_conflict_everywhere(chain: Chain) -> None:
    code = f"{A}-261201-0003"
    ws = chain.stations[A]
    chain.local(ws, RECEIVED, code, received(A, code))
    start = chain.local(ws, ACTION, code, action(Action.START, Status.PROCESSING))
    chain.local(ws, ACTION, code, {"action": "undo", "status_after": int(Status.RECEIVED), "undoes": start})
    chain.sync()
    for node in (chain.province, chain.centres[A], ws):
        assert status_at(node, code) == int(Status.RECEIVED)
    # Again, but the province resolves the dossier before the counter's undo (made offline) arrives.
    again = chain.local(ws, ACTION, code, action(Action.START, Status.PROCESSING))
    chain.sync()
    chain.province.act(code, Action.RESOLVE, "tỉnh")
    late = chain.local(ws, ACTION, code, {"action": "undo", "status_after": int(Status.RECEIVED), "undoes": again})
    assert status_at(ws, code) == int(Status.RECEIVED)  # the counter saw its own undo at once …
    chain.sync()
    for node in (chain.province, chain.centres[A], ws):  # … and then what the province decided
        snap = node.dossier(code)
        assert snap["status"] == int(Status.RESOLVED)
        assert {e["key"]: e["verdict"] for e in snap["events"]}[late] == "conflict"


def test_a_dossier_for_an_agency_of_another_centre_reaches_it_with_its_papers_and_its_result_comes_back(
    chain: Chain,
) -> None:
    code = f"{A}-261201-0003"
    pdf = b"%PDF-1.4 scanned birth certificate " + bytes(range(256)) * 400
    sha = chain.stations[A].docs.put_bytes(pdf, "local", NOW)
    chain.local(chain.stations[A], RECEIVED, code, received(A, code, handling=B))
    chain.local(chain.stations[A], ATTACHMENT, code, {"sha256": sha, "component": "TP1", "pages": 1}, docs=(sha,))
    chain.sync()
    assert status_at(chain.centres[B], code) == 2
    assert status_at(chain.stations[B], code) == 2
    assert chain.centres[B].docs.path(sha).read_bytes() == pdf
    assert chain.stations[B].docs.path(sha).read_bytes() == pdf  # a dossier received elsewhere: fetched
    # B's counter handles it; A's counter returns the result.
    chain.local(chain.stations[B], ACTION, code, action(Action.START, Status.PROCESSING))
    chain.local(chain.stations[B], ACTION, code, action(Action.RESOLVE, Status.RESOLVED))
    chain.sync()
    assert status_at(chain.stations[A], code) == int(Status.RESOLVED)
    chain.local(chain.stations[A], ACTION, code, action(Action.RETURN_RESULT, Status.RETURNED))
    chain.sync()
    for node in (chain.province, chain.centres[A], chain.centres[B], chain.stations[A], chain.stations[B]):
        assert status_at(node, code) == int(Status.RETURNED), node.replica.origin


def test_push_answers_duplicate_conflict_gap_missing_file_and_forbidden(chain: Chain) -> None:
    centre = chain.centres[A]
    peer = Peer("Q01", (f"{A}/Q01",), frozenset({A}), "*")
    code = f"{A}-261201-0004"
    first = make_envelope(origin=f"{A}/Q01", origin_seq=1, kind=RECEIVED, dossier=code, prev=None,
                          at="2026-12-01 09:00:00", data=received(A, code))  # fmt: skip
    second = make_envelope(origin=f"{A}/Q01", origin_seq=2, kind=ACTION, dossier=code, prev=first.key,
                           at="2026-12-01 09:05:00", data=action(Action.START, Status.PROCESSING))  # fmt: skip
    # The second alone: its predecessor is missing, resend from sequence 1.
    [gap] = centre.push([second.text], peer)
    assert (gap.result, gap.status, gap.resend_from, gap.missing) == ("gap", 409, 1, (first.key,))
    assert [o.result for o in centre.push([first.text, second.text], peer)] == ["stored", "stored"]
    assert [o.result for o in centre.push([first.text, second.text], peer)] == ["duplicate", "duplicate"]
    forged = first.text.replace("Nguyễn Văn An", "Nguyễn Văn Bình")
    [conflict] = centre.push([forged], peer)
    assert (conflict.result, conflict.status) == ("conflict", 409)
    # Another workstation may not push this one's events, nor a code of another centre.
    other = Peer("Q02", (f"{A}/Q02",), frozenset({A}), "*")
    third = make_envelope(origin=f"{A}/Q01", origin_seq=3, kind=ACTION, dossier=code, prev=second.key,
                          at="2026-12-01 09:06:00", data=action(Action.RESOLVE, Status.RESOLVED))  # fmt: skip
    assert centre.push([third.text], other)[0].status == 403
    foreign = f"{B}-261201-0001"
    env = make_envelope(origin=f"{A}/Q01", origin_seq=3, kind=RECEIVED, dossier=foreign, prev=None,
                        at="2026-12-01 09:00:00", data=received(B, foreign))  # fmt: skip
    assert centre.push([env.text], peer)[0].status == 403
    sha = "ab" * 32
    att = make_envelope(origin=f"{A}/Q01", origin_seq=3, kind=ATTACHMENT, dossier=code, prev=second.key,
                        at="2026-12-01 09:07:00", data={"sha256": sha, "component": "TP1"},
                        documents=(sha,))  # fmt: skip
    [missing] = centre.push([att.text], peer)
    assert (missing.status, missing.missing) == (424, (sha,))
    assert centre.push(["{not json"], peer)[0].status == 422
    assert centre.high_water(f"{A}/Q01") == 2


def test_an_upload_resumes_where_the_bytes_stopped_and_a_wrong_hash_is_refused(chain: Chain) -> None:
    from motcua.domain.errors import ValidationError
    from motcua.store.replica_docs import OffsetMismatch

    node = chain.province
    peer = Peer(A, (A,), frozenset({A}), A)
    data = bytes(range(256)) * 1000
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    assert node.put_chunk(sha, 0, len(data), data[:100_000], peer).received == 100_000
    with pytest.raises(OffsetMismatch) as err:
        node.put_chunk(sha, 50_000, len(data), data[50_000:150_000], peer)
    assert err.value.received == 100_000
    state = node.put_chunk(sha, 100_000, len(data), data[100_000:], peer)
    assert state.complete and node.read_document(sha, 0, len(data))[0] == data
    bad = "cd" * 32
    with pytest.raises(ValidationError):
        node.put_chunk(bad, 0, 10, b"0123456789", peer)
    assert node.upload_state(bad).received == 0  # the bad bytes were discarded


def test_an_event_the_centre_lost_after_answering_is_sent_again(chain: Chain, tmp_path: Path) -> None:
    code = f"{A}-261201-0005"
    ws = chain.stations[A]
    chain.local(ws, RECEIVED, code, received(A, code))
    chain.engines[f"w{A}"].push(Report())  # sent and acknowledged, not yet confirmed by a pull
    # The centre "loses" it (a power cut after its answer): delete it there by hand.
    with chain.centres[A].db.write() as sql:
        sql.execute("DELETE FROM rep_events WHERE dossier = ?", [code])
        sql.execute("DELETE FROM rep_dossiers WHERE code = ?", [code])
        sql.execute("DELETE FROM outbox WHERE entity = ?", [code])
        sql.execute("DELETE FROM rep_origins")
    later = datetime(2026, 12, 1, 9, 30)
    engine = chain.engines[f"w{A}"]
    engine.clock = lambda: later
    engine.run_once()  # finds it unconfirmed, asks, resends
    engine.run_once()
    assert status_at(chain.centres[A], code) == 2


def test_the_catalog_comes_down_once_per_version_and_a_refused_one_is_fetched_again(chain: Chain) -> None:
    centre_engine, station_engine = chain.engines[f"c{A}"], chain.engines[f"w{A}"]
    centre_engine.on_catalog = chain.centres[A].publish_catalog
    got: list[str] = []
    refuse = {"now": True}

    def apply(body: str) -> None:
        if refuse["now"]:
            raise ValueError("row 3: unknown sector")  # all or nothing: nothing applied, ETag not kept
        got.append(body)

    station_engine.on_catalog = apply
    chain.province.publish_catalog('{"format": "motcua-catalog", "procedures": []}')
    centre_engine.run_once()
    refused = station_engine.run_once()  # the round goes on: dossiers keep syncing while the catalog is wrong
    assert refused.catalog_error == "row 3: unknown sector" and not refused.catalog
    refuse["now"] = False
    station_engine.run_once()
    station_engine.run_once()  # same ETag: not fetched again
    assert got == ['{"format": "motcua-catalog", "procedures": []}']
    chain.province.publish_catalog('{"format": "motcua-catalog", "procedures": [1]}')
    centre_engine.run_once()
    station_engine.run_once()
    assert len(got) == 2 and got[1].endswith("[1]}")
