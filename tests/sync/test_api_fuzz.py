"""API fuzzing of both servers: no request, however malformed, gets a server error (5xx) or crashes a server.

schemathesis generates requests from each app's own OpenAPI document and sends them in process (ASGI), for every
operation and each kind of caller: at the centre a counter token bound to counter 1, an admin token and no token;
at the province a centre's credential and none, on SQLite and on a real PostgreSQL. Each test gets a fresh
database. Checks: no 5xx; every status is one the operation documents; answers match the schema where the API
documents one; the server still answers ``/api/v1/health`` afterwards. Hypothesis then throws junk beyond what a
schema can describe at the raw endpoints (file chunks, event envelopes, the national portal's endpoints). The tests
at the end pin each server error the fuzzing found. Runs are deterministic (fixed seed, derandomized, no example
database).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.python import asgi
from tests.queue.queue_helpers import make_config  # the queue tests' configuration

from motcua.config import Settings
from motcua.domain.sync_envelope import RECEIVED, canonical_json, make_envelope
from motcua.server.app import create_app
from motcua.server.guard import Limits
from motcua.server.province import create_province_app
from motcua.server.run import lease_policy
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.sync_setup import centre_node, province_node
from motcua.store import replica_peers
from motcua.store.device_tokens import add_token
from motcua.store.replica_docs import MAX_DOCUMENT_BYTES

AGENCY = "000.25.38.H38"
NOW = datetime(2026, 12, 1, 9, 0)
EXAMPLES = 8  # per operation and caller, on top of schemathesis's boundary ("coverage") cases
SYNC = "/api/v1/sync"
RESULTS = {  # a pushed event's result, and the status that goes with it
    "stored": 201,
    "duplicate": 200,
    "conflict": 409,
    "gap": 409,
    "missing_documents": 424,
    "forbidden": 403,
    "rejected": 422,
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261201,
        "max-stream-events": 1,  # a push stream never ends: read its first event, then hang up
        "request-timeout": 10,  # a hang fails the test instead of stalling it
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none", "mode": "all"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            # Every status an operation can answer is in its document (the guard's, the token's and the JSON
            # body's refusals are added to every operation by server/openapi_errors.py).
            "status_code_conformance": {"enabled": True},
            # Schema-valid requests are refused for reasons a schema cannot say: no such ticket, a chunk past
            # the declared total, an agency this centre does not number.
            "positive_data_acceptance": {"enabled": False},
            # PUT /sync/events/known is PUT /sync/events/{key} with the key "known" (422), by the paths' design.
            "unsupported_method": {"enabled": False},
            # Starlette's 405 lists the methods of the matched route only (GET and PUT /uploads/{sha} are two).
            "allow_header_conformance": {"enabled": False},
        },
    }
)
FUZZ_LIMITS = Limits(write_rate=0)
JUNK = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Server:
    app: Any
    headers: dict[str, dict[str, str]]

    def call(self, method: str, path: str, who: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        with asgi.get_client(self.app) as client:
            return client.request(method, path, headers={**self.headers[who], **(headers or {})}, **kwargs)


def _still_healthy(server: Server) -> None:
    answer = server.call("GET", "/api/v1/health", "none")
    assert answer.status_code == 200 and answer.json()["status"] == "ok"


def _build_centre(tmp: Path) -> tuple[Server, Callable[[], None]]:
    store = open_queue_store(tmp / "centre.sqlite")
    node = centre_node(store, AGENCY, tmp)
    with store.write() as db:
        counter = add_token(db, "C1", "counter", NOW, 1)
        admin = add_token(db, "ADMIN", "admin", NOW)
    leases = EmbeddedCentreLeases(store, lease_policy(Settings()))
    # Without the per-device rate of queue writes: schemathesis sends a few hundred requests a second with one
    # token, and answers of 429 would hide the routes behind them (tests/server/test_attacks.py tests the rate).
    app = create_app(
        QueueService(store, make_config()), leases, "center", sync=node, agency_id=AGENCY, limits=FUZZ_LIMITS
    )
    headers = {"counter": {"Authorization": f"Bearer {counter}"}, "admin": {"Authorization": f"Bearer {admin}"}}
    return Server(app, {**headers, "none": {}}), store.close


def _build_province(database: str, files: Path) -> tuple[Server, Callable[[], None]]:
    node = province_node(database, "H38", files)
    with node.db.write() as sql:
        token = replica_peers.add_peer(sql, AGENCY, "Trung tâm thử", [], NOW)
    headers = {"centre": {"Authorization": f"Bearer {token}"}, "none": {}}
    return Server(create_province_app(node, "H38"), headers), node.close


def _served(server: Server, close: Callable[[], None]) -> Iterator[Server]:
    try:
        yield server
        _still_healthy(server)
    finally:
        asgi.shutdown_lifespans()  # the ASGI client keeps each app's lifespan running until told
        close()


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Server]:
    yield from _served(*_build_centre(tmp_path))


@pytest.fixture
def province(tmp_path: Path, province_db: str) -> Iterator[Server]:
    yield from _served(*_build_province(province_db, tmp_path / "province"))


@pytest.fixture
def sqlite_province(tmp_path: Path) -> Iterator[Server]:
    yield from _served(*_build_province(str(tmp_path / "province.sqlite"), tmp_path / "province"))


def _openapi(build: Callable[[Path], tuple[Server, Callable[[], None]]]) -> dict[str, Any]:
    """What an app serves at /openapi.json (built once, at collection, on a throwaway database)."""
    with tempfile.TemporaryDirectory() as tmp:
        server, close = build(Path(tmp))
        try:
            return dict(server.app.openapi())
        finally:
            close()


CENTRE_OPENAPI = _openapi(_build_centre)
PROVINCE_OPENAPI = _openapi(lambda tmp: _build_province(str(tmp / "province.sqlite"), tmp))
centre_api = schemathesis.openapi.from_dict(CENTRE_OPENAPI, config=CONFIG)
province_api = schemathesis.openapi.from_dict(PROVINCE_OPENAPI, config=CONFIG)


# -- schemathesis: every operation, every kind of caller ---------------------------------------------------------
@pytest.mark.parametrize("caller", ["counter", "admin"])
@centre_api.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_centre_api(case: Any, centre: Server, caller: str) -> None:
    _short_long_poll(case)
    case.call_and_validate(app=centre.app, headers=centre.headers[caller])


def _short_long_poll(case: Any) -> None:
    """A long-poll held for its whole ``wait`` (up to 30 s, by design) would outlast the request timeout: the fuzz
    looks at the answers, with the holding cut to a fraction of a second (tests/queue/test_queue_changes_http.py
    checks the holding itself)."""
    query = case.query if isinstance(case.query, dict) else None
    if case.operation.path == "/api/v1/changes" and query and "wait" in query:
        try:
            if float(query["wait"]) > 0.2:
                query["wait"] = 0.2
        except (TypeError, ValueError):
            pass  # not a number: the fuzz is checking that it is refused


@pytest.mark.parametrize("caller", ["none"])  # (a parametrization puts the operation in the test's id)
@centre_api.parametrize()
@settings(max_examples=2, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_centre_api_without_a_token(case: Any, centre: Server, caller: str) -> None:
    case.call_and_validate(app=centre.app, headers=centre.headers[caller])


@province_api.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_province_api(case: Any, province: Server) -> None:
    case.call_and_validate(app=province.app, headers=province.headers["centre"])


@pytest.mark.parametrize("caller", ["none"])
@province_api.parametrize()
@settings(max_examples=2, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_province_api_without_a_credential(case: Any, sqlite_province: Server, caller: str) -> None:
    # Refused before any query, so SQLite is enough.
    case.call_and_validate(app=sqlite_province.app, headers=sqlite_province.headers[caller])


def test_the_fuzzed_documents_are_the_ones_the_servers_serve(centre: Server) -> None:
    assert centre.call("GET", "/openapi.json", "none").json() == json.loads(json.dumps(CENTRE_OPENAPI))
    with tempfile.TemporaryDirectory() as tmp:
        province, close = _build_province(str(Path(tmp) / "p.sqlite"), Path(tmp))
        try:
            assert province.call("GET", "/openapi.json", "none").json() == json.loads(json.dumps(PROVINCE_OPENAPI))
        finally:
            asgi.shutdown_lifespans()
            close()


# -- hypothesis: junk at the raw endpoints ------------------------------------------------------------------------
SHA_HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
NUMBERS = st.one_of(
    st.integers(-3, 80),
    st.sampled_from([MAX_DOCUMENT_BYTES, MAX_DOCUMENT_BYTES + 1, 2**31, 2**62, 2**63, 2**64, -(2**63) - 1]),
)


@st.composite
def uploads(draw: st.DrawFn) -> tuple[bytes, str, list[tuple[Any, Any, bytes]]]:
    """A file, the name it is sent under (its hash, another hash, or junk), and chunks (offset, total, bytes)."""
    data = draw(st.binary(max_size=48))
    sha = draw(st.one_of(st.just(hashlib.sha256(data).hexdigest()), SHA_HEX, st.text(max_size=70)))
    chunks = []
    for _ in range(draw(st.integers(1, 5))):
        offset = draw(st.one_of(NUMBERS, st.text(max_size=4)))
        total = draw(st.one_of(st.just(len(data)), NUMBERS))
        start = offset if isinstance(offset, int) and 0 <= offset <= len(data) else 0
        body = draw(st.one_of(st.just(data[start:]), st.just(data[start : start + 7]), st.binary(max_size=64)))
        chunks.append((offset, total, body))
    return data, sha, chunks


def _fuzz_uploads(server: Server, who: str, case: tuple[bytes, str, list[tuple[Any, Any, bytes]]]) -> None:
    data, sha, chunks = case
    path = f"{SYNC}/uploads/{quote(sha, safe='')}"
    for offset, total, body in chunks:
        answer = server.call("PUT", path, who, params={"offset": offset, "total": total}, data=body)
        assert answer.status_code in (200, 404, 409, 413, 422), (answer.status_code, answer.text)
        if answer.status_code in (200, 409):
            state = answer.json()
            assert set(state) == {"received", "complete"} and 0 <= state["received"] <= MAX_DOCUMENT_BYTES
    held = server.call("GET", path, who)
    assert held.status_code in (200, 404, 422), held.text
    if held.status_code == 200 and held.json()["complete"]:
        # Whatever arrived, a file listed as complete is exactly the bytes its name hashes to.
        stored = server.call("GET", f"{SYNC}/documents/{sha}", who)
        assert stored.status_code == 200 and hashlib.sha256(stored.content).hexdigest() == sha
        assert sha != hashlib.sha256(data).hexdigest() or stored.content == data


@JUNK
@given(case=uploads())
def test_upload_chunks_of_junk_at_the_centre(centre: Server, case: Any) -> None:
    _fuzz_uploads(centre, "counter", case)


@JUNK
@given(case=uploads())
def test_upload_chunks_of_junk_at_the_province(province: Server, case: Any) -> None:
    _fuzz_uploads(province, "centre", case)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
FIELDS = ("v", "key", "origin", "origin_seq", "kind", "dossier", "prev", "at", "data", "documents")


def _received(seq: int) -> dict[str, Any]:
    data = {
        "procedure_code": "1.001193",
        "agency_id": AGENCY,
        "applicant": {"kind": "person", "name": "Nguyễn Văn An"},
        "received_at": "2026-12-01 09:00:00",
        "status": 2,
    }
    code = f"{AGENCY}-261201-{seq:04d}"
    env = make_envelope(
        origin=f"{AGENCY}/C1",
        origin_seq=seq,
        kind=RECEIVED,
        dossier=code,
        prev=None,
        at="2026-12-01 09:00:00",
        data=data,
    )
    return dict(json.loads(env.text))


@st.composite
def envelopes(draw: st.DrawFn) -> str:
    """An event envelope's text: a valid one, one with fields broken, or not an envelope at all."""
    body = _received(draw(st.integers(1, 9999)))
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.sampled_from([*FIELDS, "extra"]))
        if draw(st.booleans()):
            body.pop(name, None)
        else:
            body[name] = draw(
                st.one_of(
                    JSON,
                    st.sampled_from([0, -1, 2**62, 2**63, 2**64, "dossier.action", str(uuid.uuid4()), "a\x00b"]),
                    st.just(f"{AGENCY}-261332-0001"),  # a code of the right shape with no such day
                )
            )
    text = canonical_json(body)
    return draw(
        st.one_of(
            st.just(text),
            st.just(json.dumps(body)),  # not canonical
            st.text(max_size=40),
            JSON.map(json.dumps),
            st.integers(1, 20_000).map(lambda n: "[" * n),
            st.just("x" * 300_000),
            st.just(text[:-1]),
        )
    )


def _fuzz_push(server: Server, who: str, texts: list[str], raw: bytes) -> None:
    answer = server.call("POST", f"{SYNC}/events", who, json={"events": texts})
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == len(texts)
    for r in results:
        assert RESULTS[r["result"]] == r["status"], r
    if texts:
        one = server.call("PUT", f"{SYNC}/events/{uuid.uuid4()}", who, json={"event": texts[0]})
        assert one.status_code in (200, 201, 403, 409, 422, 424), one.text
    junk = server.call("POST", f"{SYNC}/events", who, data=raw, headers={"Content-Type": "application/json"})
    assert junk.status_code in (400, 422), junk.text


@JUNK
@given(texts=st.lists(envelopes(), max_size=4), raw=st.binary(max_size=64))
def test_pushes_of_junk_at_the_centre(centre: Server, texts: list[str], raw: bytes) -> None:
    _fuzz_push(centre, "admin", texts, raw)


@JUNK
@given(texts=st.lists(envelopes(), max_size=4), raw=st.binary(max_size=64))
def test_pushes_of_junk_at_the_province(province: Server, texts: list[str], raw: bytes) -> None:
    _fuzz_push(province, "centre", texts, raw)


@settings(JUNK, max_examples=25)
@given(auth=JSON | st.binary(max_size=40), push=JSON | st.binary(max_size=40), logged_in=st.booleans())
def test_the_national_portal_endpoints_answer_junk_in_their_convention(
    province: Server, auth: Any, push: Any, logged_in: bool
) -> None:
    def post(path: str, body: Any) -> Any:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        answer = province.call("POST", f"/api/v1/dvc/{path}", "none", data=data)
        assert answer.status_code == 200, answer.text
        assert answer.json()["error_code"] in (0, 1, 2, 3, 401)
        return answer.json()

    post("auth", auth)
    if logged_in and isinstance(push, dict):
        password = province.headers["centre"]["Authorization"].removeprefix("Bearer ")
        push["session"] = post("auth", {"username": AGENCY, "password": password})["session"]
    post("integration", push)


# -- regressions: each server error the fuzzing found --------------------------------------------------------------
def test_ids_past_sqlite_integers_are_refused_not_overflowed(centre: Server) -> None:
    # Were OverflowError (500): "Python int too large to convert to SQLite INTEGER".
    for method, path in [
        ("GET", f"/api/v1/tickets/{2**63}"),
        ("POST", f"/api/v1/tickets/{2**63}/cancel"),
        ("POST", f"/api/v1/counters/1/tickets/{2**63}/start"),
        ("GET", f"/api/v1/events?after={2**63}"),
        ("GET", f"/api/v1/events?after={-(2**63) - 1}"),
    ]:
        assert centre.call(method, path, "admin").status_code == 422, path
    assert centre.call("GET", "/api/v1/tickets/99", "admin").status_code == 404


def test_a_lone_surrogate_in_a_json_body_is_refused_at_the_door(centre: Server, province: Server) -> None:
    # JSON can spell "\ud800"; the str it parses into fails every UTF-8 encoder: were UnicodeEncodeError (500) in
    # the database, in parse_envelope, in an error answer quoting the value.
    lone = b'"\\ud800"'
    for server, who, path, body in [
        (centre, "admin", "/api/v1/tickets", b'{"service": ' + lone + b"}"),
        (centre, "admin", "/api/v1/tickets", b"{" + lone + b": 1}"),
        (centre, "admin", f"{SYNC}/events/known", b'{"keys": [' + lone + b"]}"),
        (province, "centre", f"{SYNC}/events", b'{"events": [' + lone + b"]}"),
        (province, "centre", f"{SYNC}/uploads/states", b'{"sha256": [' + lone + b"]}"),
    ]:
        answer = server.call("POST", path, who, data=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json() == {"detail": "Nội dung JSON có chuỗi Unicode không hợp lệ"}
    # A surrogate pair is a character like any other.
    pair = centre.call("POST", "/api/v1/tickets", "admin", json={"service": "😀"})
    assert pair.status_code == 404 and "😀" in pair.json()["message"]
    answer = province.call("POST", "/api/v1/dvc/auth", "none", data=b'{"username": ' + lone + b', "password": "x"}')
    assert answer.status_code == 200 and answer.json()["error_code"] == 1


def test_json_nested_too_deeply_is_malformed_input_not_a_crash(province: Server) -> None:
    # Were RecursionError (500): in parse_envelope, in reading the key of an oversized envelope, in the portal
    # endpoints' own JSON reading.
    deep, huge = "[" * 100_000, "[" * 300_000
    answer = province.call("POST", f"{SYNC}/events", "centre", json={"events": [deep, huge]})
    assert answer.status_code == 200
    assert [(r["result"], r["status"]) for r in answer.json()["results"]] == [("rejected", 422)] * 2
    assert "nested too deeply" in answer.json()["results"][0]["message"]
    assert province.call("PUT", f"{SYNC}/events/{uuid.uuid4()}", "centre", json={"event": deep}).status_code == 422
    for path in ("auth", "integration"):
        portal = province.call("POST", f"/api/v1/dvc/{path}", "none", data=deep.encode())
        assert portal.status_code == 200 and portal.json()["error_code"] in (1, 401)


def test_a_reception_for_a_day_that_does_not_exist_is_rejected_alone(province: Server) -> None:
    # A code of the right shape with no such day (13th month) failed the whole batch (422) instead of that event.
    bad = _received(1)
    bad["dossier"] = f"{AGENCY}-261332-0001"
    texts = [canonical_json(bad), canonical_json(_received(2))]
    answer = province.call("POST", f"{SYNC}/events", "centre", json={"events": texts})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [(r["result"], r["status"]) for r in results] == [("rejected", 422), ("stored", 201)]
    assert "261332" in results[0]["message"]


def test_a_document_offset_past_any_file_is_refused(centre: Server) -> None:
    # Was ValueError / OSError from seek() (500).
    data = b"%PDF-1.7 scan"
    sha = hashlib.sha256(data).hexdigest()
    put = centre.call("PUT", f"{SYNC}/uploads/{sha}", "counter", params={"offset": 0, "total": len(data)}, data=data)
    assert put.json() == {"received": len(data), "complete": True}
    for offset in (2**62, 2**63, MAX_DOCUMENT_BYTES + 1):
        assert centre.call("GET", f"{SYNC}/documents/{sha}?offset={offset}", "counter").status_code == 422
    tail = centre.call("GET", f"{SYNC}/documents/{sha}?offset={len(data) + 5}", "counter")
    assert tail.status_code == 200 and tail.content == b"" and tail.headers["X-Document-Size"] == str(len(data))


def test_nul_characters_are_refused_before_the_database(province: Server) -> None:
    # PostgreSQL text cannot hold NUL: were psycopg.DataError (500) on the PostgreSQL province.
    known = province.call("POST", f"{SYNC}/events/known", "centre", json={"keys": ["a\x00b"]})
    assert known.status_code == 422 and known.json()["message"] == "Khóa sự kiện không được chứa ký tự NUL"
    assert province.call("POST", f"{SYNC}/events/known", "centre", json={"keys": ["ab"]}).json() == {"known": []}
    assert province.call("GET", f"{SYNC}/dossiers/a%00b", "centre").status_code == 404

    password = province.headers["centre"]["Authorization"].removeprefix("Bearer ")
    session = province.call("POST", "/api/v1/dvc/auth", "none", json={"username": AGENCY, "password": password})
    step = {
        "MaHoSo": f"{AGENCY}-261201-0001",
        "NguoiXuLy": "Nguyễn\x00Văn",
        "ThoiDiemXuLy": "20261201090000",
        "NoiDungXuLy": "Tiếp nhận",
        "TrangThai": "2",
    }
    push = {"session": session.json()["session"], "service": "CapNhatTienDoHoSoMC", "data": [step]}
    refused = province.call("POST", "/api/v1/dvc/integration", "none", json={**push, "madonvi": "H38\x00"})
    assert refused.json() == {"error_code": 2, "message": "Mã đơn vị không được chứa ký tự NUL"}
    accepted = province.call("POST", "/api/v1/dvc/integration", "none", json={**push, "madonvi": "H38"})
    assert accepted.json()["error_code"] == 0  # a NUL inside a record travels escaped in its JSON text


def test_the_centre_documents_its_times_as_local_times() -> None:
    # Board, Ticket and QueueEvent times are the centre's wall clock without an offset ("2026-12-01T09:30:00"); the
    # OpenAPI document claimed RFC 3339 date-time, which the response schema check rejected.
    text = json.dumps(CENTRE_OPENAPI)
    assert '"date-time"' not in text
    at = CENTRE_OPENAPI["components"]["schemas"]["Board"]["properties"]["at"]
    assert at["type"] == "string" and at["pattern"].startswith("^\\d{4}-")
