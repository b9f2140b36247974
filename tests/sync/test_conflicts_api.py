"""A supervisor's PC settles the centre's sync conflicts through the centre server (``/api/v1/sync/conflicts``):
a real centre on loopback, a real conflict in its sync node, the supervisor's :class:`SyncRepair` over HTTP."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from motcua.domain.accounts import NotAllowedError, Role, Session
from motcua.domain.errors import ConflictError, NotFoundError, ValidationError
from motcua.domain.queue import AccessDeniedError, CentreUnreachableError
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, RECEIVED
from motcua.server.local_upstream import LocalUpstream
from motcua.services.sync_node import SyncNode
from motcua.services.sync_repair import SyncRepair
from motcua.store import device_tokens
from motcua.store.db import Store
from motcua.store.replica import Peer, Replica
from motcua.store.sql import SqliteDatabase
from motcua.sync.conflicts_client import HttpConflictDesk
from motcua.sync.engine import SyncEngine

AGENCY = "000.25.38.H38"
CODE = f"{AGENCY}-261201-0002"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def _received() -> dict[str, object]:
    return {
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "agency_id": AGENCY,
        "applicant": {"kind": "person", "name": "Nguyễn Văn An", "id_number": "038090000001"},
        "received_at": "2026-12-01 09:00:00",
        "due_at": "2026-12-01 17:00:00",
        "status": 2,
        "handling_agency_id": "",
    }


def _withdraw() -> dict[str, object]:
    return {
        "action": Action.WITHDRAW.value,
        "status_after": int(Status.WITHDRAWN),
        "clerk": "an.nv",
        "note": "Công dân xin rút",
        "agency": "",
        "due_after": "2026-12-01 17:00:00",
    }


def make_conflict(centre: SyncNode, tmp: Path) -> str:
    """Counter Q01 sends a withdrawal of a dossier the centre has resolved meanwhile: a conflict at the centre."""
    ws_dir = tmp / "q01"
    ws = SyncNode(
        SqliteDatabase(Store(ws_dir / "workstation.sqlite")),
        Replica(origin=f"{AGENCY}/Q01", documents_dir=ws_dir),
        ws_dir,
    )
    engine = SyncEngine(
        ws.db,
        ws.replica,
        ws.docs,
        LocalUpstream(centre, Peer("Q01", (f"{AGENCY}/Q01",), frozenset({AGENCY}), "*")),
        datetime.now,
        fetch_documents="foreign",
        own_agency=AGENCY,
    )
    now = datetime.now().replace(microsecond=0)
    try:
        with ws.db.write() as sql:
            ws.replica.record_local(sql, kind=RECEIVED, dossier=CODE, data=_received(), now=now)
        engine.run_once()
        centre.act(CODE, Action.RESOLVE, "Trung tâm")
        with ws.db.write() as sql:
            key = ws.replica.record_local(sql, kind=ACTION, dossier=CODE, data=_withdraw(), now=now).key
        engine.run_once()
    finally:
        ws.close()
    assert [c.key for c in centre.conflicts()] == [key]
    return key


def token(lan: Any, device: str, role: str) -> str:
    with lan.store.write() as db:
        return str(device_tokens.add_token(db, device, role, datetime.now(), 1 if role == "rating" else None))


def call(url: str, tok: str, method: str = "GET", body: object = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data, method=method, headers={"Authorization": f"Bearer {tok}"})
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def supervisor_pc(centre_lan: Any) -> tuple[Any, HttpConflictDesk]:
    """The supervisor's PC (Q02, a counter token, Trần Thị Bình signed in) and its desk on the centre server."""
    ctx, _link = centre_lan.counter("Q02")
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    desk = HttpConflictDesk(ctx.settings.sync.centre_url, ctx.settings.sync.centre_token)
    yield ctx, desk
    desk.close()


def test_a_supervisor_pc_lists_and_settles_a_conflict_of_the_centre(
    centre_lan: Any, supervisor_pc: tuple[Any, HttpConflictDesk], tmp_path: Path
) -> None:
    key = make_conflict(centre_lan.node, tmp_path)
    ctx, desk = supervisor_pc
    repair = SyncRepair(ctx, desk)
    [item] = repair.conflicts() or []
    assert (item.key, item.dossier, item.action, item.origin, item.settled_by) == (
        key,
        CODE,
        "withdraw",
        f"{AGENCY}/Q01",
        None,
    )
    repair.settle(key, "  Đã gọi công dân; kết quả vẫn trả  ")
    assert repair.conflicts() == []
    [settled] = centre_lan.node.conflicts(include_settled=True)
    assert settled.settled_by == "Trần Thị Bình (Q02)"
    # Recorded as an event that travels up, and in the centre's audit chain, under the supervisor's name.
    events = centre_lan.node.dossier(CODE)["events"]
    last = json.loads(events[-1]["envelope"])
    assert last["kind"] == "conflict.settled"
    assert last["data"] == {"conflict": key, "by": "Trần Thị Bình (Q02)", "note": "Đã gọi công dân; kết quả vẫn trả"}
    # The same note again (a retry after a lost answer) is the first answer and records nothing.
    repair.settle(key, "Đã gọi công dân; kết quả vẫn trả")
    assert len(centre_lan.node.dossier(CODE)["events"]) == len(events)
    # Another note on a settled conflict is refused, naming who settled it.
    with pytest.raises(ConflictError, match="Trần Thị Bình \\(Q02\\)"):
        repair.settle(key, "Một cách khác")


def test_the_routes_answer_json_and_settle_once(centre_lan: Any, tmp_path: Path) -> None:
    key = make_conflict(centre_lan.node, tmp_path)
    url = centre_lan.server.url + "/api/v1/sync/conflicts"
    admin = token(centre_lan, "ADMIN-PC", "admin")
    status, body = call(url, admin)
    assert status == 200 and [c["key"] for c in body["conflicts"]] == [key]
    settle = f"{url}/{key}/settle"
    first = call(settle, admin, "POST", {"note": "Đã đối chiếu bản giấy"})
    assert first[0] == 200
    assert first[1]["settled_by"] == "ADMIN-PC" and first[1]["dossier"] == CODE  # no name: the device alone
    assert call(settle, admin, "POST", {"note": "Đã đối chiếu bản giấy"}) == first
    status, body = call(settle, admin, "POST", {"note": "khác", "by": "Lê Văn C"})
    assert status == 409 and body["error"] == "conflict" and "ADMIN-PC" in body["message"]
    assert call(url, admin) == (200, {"conflicts": []})
    status, body = call(url + "?settled=true", admin)
    assert [c["settled_by"] for c in body["conflicts"]] == ["ADMIN-PC"]


def test_unknown_keys_bad_notes_and_bad_names_are_refused(centre_lan: Any, tmp_path: Path) -> None:
    key = make_conflict(centre_lan.node, tmp_path)
    url = centre_lan.server.url + "/api/v1/sync/conflicts"
    tok = token(centre_lan, "Q03", "counter")
    status, body = call(f"{url}/{UNKNOWN}/settle", tok, "POST", {"note": "x"})
    assert status == 404 and body["error"] == "not_found"
    assert call(f"{url}/not-a-key/settle", tok, "POST", {"note": "x"})[0] == 422
    assert call(f"{url}/{key}/settle", tok, "POST", {"note": ""})[0] == 422
    assert call(f"{url}/{key}/settle", tok, "POST", {"note": "x" * 501})[0] == 422
    assert call(f"{url}/{key}/settle", tok, "POST", {"note": "   "})[0] == 422
    status, body = call(f"{url}/{key}/settle", tok, "POST", {"note": "x", "by": "Lê\x07Văn"})
    assert status == 422 and body["error"] == "validation"
    assert call(f"{url}/{key}/settle", tok, "POST", {"note": "x", "by": "A" * 81})[0] == 422
    assert centre_lan.node.conflicts()[0].settled_by is None  # nothing of that was recorded
    desk = HttpConflictDesk(centre_lan.server.url, tok)
    try:
        with pytest.raises(NotFoundError):
            desk.settle(UNKNOWN, "Trần Thị Bình", "x")
    finally:
        desk.close()


@pytest.mark.parametrize("role", ["kiosk", "display", "rating"])
def test_kiosks_displays_and_rating_pads_are_refused(centre_lan: Any, tmp_path: Path, role: str) -> None:
    key = make_conflict(centre_lan.node, tmp_path)
    tok = token(centre_lan, f"{role.upper()}-1", role)
    url = centre_lan.server.url + "/api/v1/sync/conflicts"
    assert call(url, tok)[0] == 403
    assert call(f"{url}/{key}/settle", tok, "POST", {"note": "x"})[0] == 403
    assert call(url, "not-a-token")[0] == 401
    desk = HttpConflictDesk(centre_lan.server.url, tok)
    try:
        with pytest.raises(AccessDeniedError, match="không cho máy này xử lý xung đột"):
            desk.conflicts()
    finally:
        desk.close()
    assert centre_lan.node.conflicts()[0].settled_by is None


def test_a_clerk_signed_in_at_the_pc_may_not_settle(
    centre_lan: Any, supervisor_pc: tuple[Any, HttpConflictDesk], tmp_path: Path
) -> None:
    key = make_conflict(centre_lan.node, tmp_path)
    ctx, desk = supervisor_pc
    ctx.session = Session("an.nv", "Nguyễn Văn An", Role.CLERK)
    with pytest.raises(NotAllowedError):
        SyncRepair(ctx, desk).settle(key, "x")
    assert centre_lan.node.conflicts()[0].settled_by is None
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    with pytest.raises(ValidationError):  # an empty note never leaves the PC
        SyncRepair(ctx, desk).settle(key, " ")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_centre_that_does_not_answer_is_said_plainly(ctx: Any) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    desk = HttpConflictDesk(url, "tok", timeout=1.0, retries=1)
    repair = SyncRepair(ctx, desk)
    try:
        with pytest.raises(CentreUnreachableError, match=r"Không kết nối được máy chủ trung tâm .* xung đột"):
            repair.conflicts()
        with pytest.raises(CentreUnreachableError):
            repair.settle(UNKNOWN, "Đã gọi công dân")
    finally:
        desk.close()


def test_the_openapi_document_lists_the_routes_and_their_refusals(centre_lan: Any) -> None:
    with urllib.request.urlopen(centre_lan.server.url + "/openapi.json", timeout=10) as r:
        doc = json.loads(r.read())
    listing = doc["paths"]["/api/v1/sync/conflicts"]["get"]
    settle = doc["paths"]["/api/v1/sync/conflicts/{key}/settle"]["post"]
    assert {"200", "401", "403"} <= set(listing["responses"])
    assert {"200", "401", "403", "404", "409", "422"} <= set(settle["responses"])
    assert settle["responses"]["404"]["content"]["application/json"]["schema"]["properties"].keys() == {
        "error",
        "message",
    }
