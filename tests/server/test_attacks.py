"""Attacks on the centre server, each against a real uvicorn server on a free loopback port started here.

Unauthenticated calls, the wrong role, replayed and revoked tokens, oversized bodies (with and without
Content-Length), slow senders (slowloris), injection strings in every string parameter, floods of one device and
of one address, numbers past every range; and property-based input (Hypothesis) for the parsers in front of the
use cases: the queue API's JSON bodies, ticket ids, token headers, Content-Length, the token bucket, the caches.
The answer is always a documented refusal (never 5xx), and the server keeps serving others meanwhile.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.queue.queue_helpers import make_config  # the queue tests' configuration

from motcua.config import Settings, load_settings
from motcua.domain.errors import MotcuaError
from motcua.server import __main__ as server_main
from motcua.server import tls_cert
from motcua.server.app import create_app
from motcua.server.guard import Limits, Lru, RateLimiter, TooFast
from motcua.server.run import ServerThread, TlsFiles, check_transport, lease_policy
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.sync_setup import centre_node
from motcua.store import device_tokens
from motcua.store.db import Store
from motcua.sync.http import HttpPool, PinMismatch, Tls

AGENCY = "000.25.38.H38"
NOW = datetime(2026, 12, 1, 9, 0)
API = "/api/v1"
DEFAULTS = Limits()
# For the property tests, which send hundreds of writes a second with one token: the rate is tested on its own;
# and a short body deadline, for the examples that promise more body than they send (the deadline has its own test).
NO_RATE = Limits(write_rate=0, read_rate=0, body_timeout_s=1.0)
SERVER_ERRORS = range(500, 600)
PROPS = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Centre:
    url: str
    host: str
    port: int
    store: Store
    tokens: dict[str, str]
    app: Any
    schema: dict[str, Any]

    def call(
        self,
        method: str,
        path: str,
        who: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> Answer:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
        sent = dict(headers or {})
        if who is not None:
            sent["Authorization"] = f"Bearer {self.tokens[who]}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        try:
            try:
                conn.request(method, path, body=data, headers=sent)
            except (BrokenPipeError, ConnectionResetError):
                # Refused and closed before the body was all sent (413): the answer may still be readable.
                with contextlib.suppress(OSError, http.client.HTTPException):
                    r = conn.getresponse()
                    return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
                return Answer(0, {}, b"")
            r = conn.getresponse()
            return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def documented(self, method: str, template: str) -> set[int]:
        return {int(code) for code in self.schema["paths"][template][method.lower()]["responses"]}


def _start(tmp: Path, limits: Limits) -> tuple[Centre, ServerThread]:
    store = open_queue_store(tmp / "centre.sqlite")
    node = centre_node(store, AGENCY, tmp)
    with store.write() as db:
        tokens = {
            "K1": device_tokens.add_token(db, "K1", "kiosk", NOW),
            "K2": device_tokens.add_token(db, "K2", "kiosk", NOW),
            "C1": device_tokens.add_token(db, "C1", "counter", NOW, 1),
            "C2": device_tokens.add_token(db, "C2", "counter", NOW, 2),
            "D1": device_tokens.add_token(db, "D1", "display", NOW),
            "ADMIN": device_tokens.add_token(db, "ADMIN", "admin", NOW),
        }
    leases = EmbeddedCentreLeases(store, lease_policy(Settings()))
    app = create_app(QueueService(store, make_config()), leases, "center", sync=node, agency_id=AGENCY, limits=limits)
    server = ServerThread(app, limits=limits).start()
    centre = Centre(server.url, server.host, server.port, store, tokens, app, app.openapi())
    return centre, server


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    c, server = _start(tmp_path, DEFAULTS)
    yield c
    assert c.call("GET", f"{API}/health").status == 200  # whatever happened, it still answers
    server.stop()
    c.store.close()


@pytest.fixture(scope="module")
def unlimited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Centre]:
    """One server for the property tests (Hypothesis runs many examples per test; a server per example is slow)."""
    c, server = _start(tmp_path_factory.mktemp("unlimited"), NO_RATE)
    yield c
    assert c.call("GET", f"{API}/health").status == 200
    server.stop()
    c.store.close()


# Every operation of the API with a concrete path (path parameters filled with ordinary values).
FILL = {
    "ticket_id": "1",
    "counter": "1",
    "sha": "a" * 64,
    "key": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
    "code": f"{AGENCY}-261201-0001",
    "name": "calendar",
}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, str]]:
    out = []
    for template, item in schema["paths"].items():
        for method in item:
            path = template
            for name, value in FILL.items():
                path = path.replace("{" + name + "}", value)
            out.append((method.upper(), template, path))
    return out


# -- who may call ----------------------------------------------------------------------------------------------
def test_every_operation_but_health_wants_a_valid_token(centre: Centre) -> None:
    bad_headers = [
        {},
        {"Authorization": "Basic QUxBRERJTjpvcGVuc2VzYW1l"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer " + centre.tokens["K1"] + "x"},
        {"Authorization": centre.tokens["K1"]},  # no scheme
    ]
    for method, template, path in _operations(centre.schema):
        if template == f"{API}/health":
            continue
        for headers in bad_headers:
            body: dict[str, Any] | None = {} if method in ("POST", "PUT") else None
            answer = centre.call(
                method, path + "?offset=0&total=0" if "uploads/" in path else path, None, body, headers
            )
            assert answer.status == 401, (method, path, headers, answer.status, answer.body)
            assert answer.headers.get("www-authenticate") == "Bearer"
            assert 401 in centre.documented(method, template)


def test_a_token_does_only_what_its_role_and_counter_allow(centre: Centre) -> None:
    forbidden: list[tuple[str, str, str, dict[str, Any] | None]] = [
        # A display is read-only.
        ("D1", "POST", f"{API}/tickets", {"service": "HT"}),
        ("D1", "POST", f"{API}/counters/1/call-next", None),
        ("D1", "POST", f"{API}/counters/1/pause", None),
        ("D1", "POST", f"{API}/counters/1/tickets/1/finish", None),
        ("D1", "POST", f"{API}/code-leases", {"agency_id": AGENCY, "day": "2026-12-01", "station_id": "D1", "size": 1}),
        ("D1", "POST", f"{API}/sync/events", {"events": []}),
        # A kiosk takes numbers, it does not call them.
        ("K1", "POST", f"{API}/counters/1/call-next", None),
        ("K1", "GET", f"{API}/sync/status", None),
        # A counter calls, it does not print tickets; and only for its own counter and workstation.
        ("C1", "POST", f"{API}/tickets", {"service": "HT"}),
        ("C1", "POST", f"{API}/counters/2/call-next", None),
        ("C1", "POST", f"{API}/counters/2/pause", None),
        ("C1", "POST", f"{API}/counters/2/tickets/1/start", None),
        ("C1", "POST", f"{API}/counters/2/tickets/1/transfer", {"to_counter": 1}),
        ("C1", "POST", f"{API}/code-leases", {"agency_id": AGENCY, "day": "2026-12-01", "station_id": "C2", "size": 1}),
    ]
    for who, method, path, body in forbidden:
        answer = centre.call(method, path, who, body)
        assert answer.status == 403, (who, path, answer.status, answer.body)
        assert "detail" in answer.json()
    # Nothing of it happened.
    board = centre.call("GET", f"{API}/board", "D1").json()
    assert all(s["waiting"] == 0 for s in board["services"])
    assert all(c["ticket_id"] is None and not c["paused"] for c in board["counters"])


def test_a_replayed_write_gets_its_first_answer_and_a_revoked_token_stops_working(centre: Centre) -> None:
    key = {"Idempotency-Key": "kiosk-1-press-42"}
    first = centre.call("POST", f"{API}/tickets", "K1", {"service": "HT"}, key)
    assert first.status == 200
    for _ in range(3):
        again = centre.call("POST", f"{API}/tickets", "K1", {"service": "HT"}, key)
        assert again.status == 200 and again.json() == {**first.json(), "replayed": True}
    board = centre.call("GET", f"{API}/board", "D1").json()
    assert sum(s["waiting"] for s in board["services"]) == 1

    # Revoked (motcua queue token revoke): refused within the token cache's lifetime.
    with centre.store.write() as db:
        assert device_tokens.revoke(db, "K1", NOW)
    deadline = time.monotonic() + 7
    while centre.call("GET", f"{API}/kiosk", "K1").status == 200:
        assert time.monotonic() < deadline, "a revoked token still works"
        time.sleep(0.2)
    assert centre.call("POST", f"{API}/tickets", "K1", {"service": "HT"}, key).status == 401
    # Replaced (token add again for the same device): the old one is refused, the new one works.
    old = centre.tokens["C1"]
    with centre.store.write() as db:
        centre.tokens["C1"] = device_tokens.add_token(db, "C1", "counter", NOW, 1)
    assert centre.call("GET", f"{API}/seq", "C1").status == 200
    deadline = time.monotonic() + 7
    while centre.call("GET", f"{API}/seq", headers={"Authorization": f"Bearer {old}"}).status == 200:
        assert time.monotonic() < deadline, "a replaced token still works"
        time.sleep(0.2)


# -- bodies ------------------------------------------------------------------------------------------------------
def _raw(centre: Centre, request: bytes, then: bytes = b"", wait: float = 5.0) -> tuple[bytes, bool]:
    """Send ``request`` on a raw socket (then ``then``); return what came back and whether the server closed."""
    with socket.create_connection((centre.host, centre.port), timeout=wait) as sock:
        sock.sendall(request)
        if then:
            with contextlib.suppress(OSError):  # the server may have answered and closed already
                sock.sendall(then)
        data = b""
        closed = False
        try:
            while True:
                part = sock.recv(65536)
                if not part:
                    closed = True
                    break
                data += part
        except (ConnectionResetError, BrokenPipeError):
            closed = True
        except TimeoutError:
            pass
        return data, closed


def _status_of(data: bytes) -> int:
    return int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0


def test_an_oversized_body_is_refused_before_it_is_read(centre: Centre) -> None:
    token = centre.tokens["K1"]
    # Content-Length past the queue API's 64 KB: answered at once, the 10 MB never sent.
    head = (
        f"POST {API}/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        "Content-Type: application/json\r\nContent-Length: 10000000\r\n\r\n"
    ).encode()
    started = time.monotonic()
    data, closed = _raw(centre, head)
    assert _status_of(data) == 413 and closed and time.monotonic() - started < 3
    body = json.loads(data.split(b"\r\n\r\n", 1)[1])
    assert body == {"detail": "Nội dung yêu cầu quá lớn (tối đa 64 KB)"}
    # The same with Expect: 100-continue: the client is told before it sends anything.
    data, _ = _raw(centre, head.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n"))
    assert _status_of(data) == 413
    # Each route family has its own limit: a file chunk may be 4 MB, not 5.
    sha = "b" * 64
    upload = f"PUT {API}/sync/uploads/{sha}?offset=0&total=5242880 HTTP/1.1\r\nHost: x\r\n"
    data, _ = _raw(
        centre, f"{upload}Authorization: Bearer {centre.tokens['C1']}\r\nContent-Length: 5242880\r\n\r\n".encode()
    )
    assert _status_of(data) == 413 and b"4 MB" in data
    chunk = b"x" * (100 * 2**10)
    answer = centre.call(
        "PUT",
        f"{API}/sync/uploads/{hashlib.sha256(chunk).hexdigest()}?offset=0&total={len(chunk)}",
        "C1",
        raw=chunk,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert answer.status == 200 and answer.json() == {"received": len(chunk), "complete": True}, answer.body
    assert 413 in centre.documented("PUT", f"{API}/sync/uploads/{{sha}}")


def _flood_chunked(centre: Centre, line: str, token: str, content_type: str, chunks: int) -> tuple[bytes, int]:
    """Send a chunked body of endless 32 KB chunks until the server answers; (its answer, bytes sent)."""
    head = (
        f"{line} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"8000\r\n" + b" " * 0x8000 + b"\r\n"
    with socket.create_connection((centre.host, centre.port), timeout=10) as sock:
        sock.sendall(head)
        data, sent = b"", 0
        part = b""
        try:
            for _ in range(chunks):
                sock.sendall(chunk)
                sent += len(chunk)
                sock.settimeout(0.01)
                try:
                    part = sock.recv(65536)
                    if part:
                        data += part
                        break
                except TimeoutError:
                    pass
                sock.settimeout(10)
        except (ConnectionResetError, BrokenPipeError):
            pass
        sock.settimeout(5)
        try:
            while part := sock.recv(65536):
                data += part
        except (ConnectionResetError, TimeoutError):
            pass
    return data, sent


def test_a_chunked_body_is_cut_off_once_past_the_limit(centre: Centre) -> None:
    data, sent = _flood_chunked(centre, f"POST {API}/tickets", centre.tokens["K1"], "application/json", 200)
    assert _status_of(data) == 413, data[:200]
    assert b"64 KB" in data and sent < 2 * 2**20  # cut off long before the 6 MB
    # A chunked upload past its family's 4 MB, the same.
    line = f"PUT {API}/sync/uploads/{'c' * 64}?offset=0&total=8000000"
    data, sent = _flood_chunked(centre, line, centre.tokens["C1"], "application/octet-stream", 240)
    assert _status_of(data) == 413 and sent < 6 * 2**20, data[:200]


# -- slow senders ------------------------------------------------------------------------------------------------
def _time_to_close(sock: socket.socket, drip: bytes, every: float, limit: float) -> float:
    """Send ``drip`` a byte at a time every ``every`` seconds until the server closes; seconds it took."""
    started = time.monotonic()
    sock.settimeout(every)
    i = 0
    while time.monotonic() - started < limit:
        try:
            if sock.recv(4096) == b"":
                return time.monotonic() - started
            # An answer (a refusal) may come first; the close follows.
        except TimeoutError:
            pass
        except ConnectionResetError:
            return time.monotonic() - started
        try:
            if drip:
                sock.sendall(drip[i % len(drip) : i % len(drip) + 1])
                i += 1
        except (BrokenPipeError, ConnectionResetError):
            return time.monotonic() - started
    return float("inf")


def test_slow_senders_are_cut_off_within_seconds_while_others_are_served(centre: Centre) -> None:
    token = centre.tokens["K1"]
    header_drip = b"X-Padding: " + b"a" * 1000 + b"\r\n"
    head = f"POST {API}/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n".encode()
    full = head + b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    results: dict[str, float] = {}

    def slow(name: str, opening: bytes, drip: bytes) -> None:
        with socket.create_connection((centre.host, centre.port), timeout=5) as sock:
            if opening:
                sock.sendall(opening)
            results[name] = _time_to_close(sock, drip, 0.25, 20)

    attackers = [
        threading.Thread(target=slow, args=("silent", b"", b"")),
        threading.Thread(target=slow, args=("headers", head, header_drip)),
        threading.Thread(target=slow, args=("body", full, b" ")),
        *[threading.Thread(target=slow, args=(f"crowd{i}", head, header_drip)) for i in range(40)],
    ]
    for t in attackers:
        t.start()
    time.sleep(0.5)
    # Meanwhile a well-behaved device is answered at once.
    for _ in range(5):
        started = time.monotonic()
        assert centre.call("GET", f"{API}/kiosk", "K2").status == 200
        assert time.monotonic() - started < 1.0
    for t in attackers:
        t.join(30)
    limit = DEFAULTS.header_timeout_s + 2
    assert results["silent"] < limit and results["headers"] < limit, results
    assert results["body"] < DEFAULTS.body_timeout_s + 2, results
    assert max(results.values()) < DEFAULTS.body_timeout_s + 3, results


def test_an_idle_kept_alive_connection_is_closed(centre: Centre) -> None:
    request = f"GET {API}/health HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    with socket.create_connection((centre.host, centre.port), timeout=5) as sock:
        sock.sendall(request)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        assert _time_to_close(sock, b"", 0.25, 15) < DEFAULTS.keep_alive_s + 2


def test_headers_past_their_limit_are_refused(centre: Centre) -> None:
    head = f"GET {API}/health HTTP/1.1\r\nHost: x\r\n".encode()
    data, closed = _raw(centre, head + (b"X-Big: " + b"b" * 4000 + b"\r\n") * 20 + b"\r\n")
    assert _status_of(data) == 431 and closed


# -- floods ------------------------------------------------------------------------------------------------------
def test_one_kiosk_cannot_take_a_services_tickets_in_a_second(centre: Centre) -> None:
    pool = HttpPool(centre.url, {"Authorization": f"Bearer {centre.tokens['K1']}"}, 10)
    statuses: list[int] = []
    retry_after: set[str] = set()
    refused = None
    started = time.monotonic()
    try:
        for _ in range(999):
            r = pool.request("POST", f"{API}/tickets", body={"service": "HT"})
            statuses.append(r.status)
            if r.status == 429:
                retry_after.add(r.headers.get("retry-after", ""))
                refused = refused or r  # kept: a request after the loop may find the bucket refilled on a busy PC
            if time.monotonic() - started > 1.0:
                break
        elapsed = time.monotonic() - started
        issued = statuses.count(200)
        assert set(statuses) <= {200, 429}
        assert issued <= DEFAULTS.write_burst + DEFAULTS.write_rate * elapsed + 1, (issued, elapsed)
        assert statuses.count(429) > 0 and retry_after and all(v.isdigit() and int(v) >= 1 for v in retry_after)
        assert refused is not None and "quá nhiều yêu cầu" in refused.json()["detail"]
        # Another kiosk is not held back by the first one's flood, and reads of the flooding one still pass.
        assert centre.call("POST", f"{API}/tickets", "K2", {"service": "HT"}).status == 200
        assert centre.call("GET", f"{API}/kiosk", "K1").status == 200
        # After the wait it was told, it may take a number again.
        time.sleep(int(refused.headers["retry-after"]))
        assert pool.request("POST", f"{API}/tickets", body={"service": "HT"}).status == 200
    finally:
        pool.close()
    assert 429 in centre.documented("POST", f"{API}/tickets")


def test_one_address_cannot_hold_every_connection(tmp_path: Path) -> None:
    # Loopback is exempt by default (a one-PC centre's own windows): counted here to stand for a LAN address.
    limits = Limits(per_ip_open=4, loopback_exempt=False)
    centre, server = _start(tmp_path, limits)
    streams: list[http.client.HTTPConnection] = []
    try:
        for _ in range(4):  # push streams stay open: each holds one of the address's places
            conn = http.client.HTTPConnection(centre.host, centre.port, timeout=5)
            conn.request(
                "GET", f"{API}/stream?heartbeat=0.5", headers={"Authorization": f"Bearer {centre.tokens['D1']}"}
            )
            r = conn.getresponse()
            assert r.status == 200 and r.readline().startswith(b"retry:")
            streams.append(conn)
        refused = centre.call("GET", f"{API}/board", "D1")
        assert refused.status == 429 and refused.headers["retry-after"] == "1"
        assert "127.0.0.1" in refused.json()["detail"]
        streams.pop().close()
        deadline = time.monotonic() + 5
        while centre.call("GET", f"{API}/board", "D1").status == 429:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        for conn in streams:
            conn.close()
        server.stop()
        centre.store.close()


def test_a_flood_of_made_up_tokens_is_remembered_only_so_far(centre: Centre) -> None:
    pool = HttpPool(centre.url, {}, 10)
    try:
        for i in range(DEFAULTS.token_cache + 300):
            r = pool.request("GET", f"{API}/seq", headers={"Authorization": f"Bearer made-up-{i}"})
            assert r.status == 401
    finally:
        pool.close()
    assert centre.app.state.tokens.cached <= DEFAULTS.token_cache
    assert centre.call("GET", f"{API}/seq", "K1").status == 200


# -- numbers and strings -----------------------------------------------------------------------------------------
def test_numbers_past_every_range_are_invalid_input_not_a_crash(centre: Centre) -> None:
    huge, past = str(10**40), str(2**63)
    cases: list[tuple[str, str, Any]] = [
        ("GET", f"{API}/tickets/{past}", None),
        ("GET", f"{API}/tickets/{huge}", None),
        ("GET", f"{API}/tickets/0", None),
        ("GET", f"{API}/tickets/-1", None),
        ("GET", f"{API}/tickets/1.5", None),
        ("POST", f"{API}/counters/{past}/call-next", None),
        ("POST", f"{API}/counters/{huge}/pause", None),
        ("POST", f"{API}/counters/-1/resume", None),
        ("POST", f"{API}/counters/1/tickets/{huge}/start", None),
        ("POST", f"{API}/counters/1/tickets/1/transfer", {"to_counter": 2**70}),
        ("POST", f"{API}/counters/1/tickets/1/transfer", {"to_counter": 1e308}),
        ("GET", f"{API}/board?last_calls={huge}", None),
        ("GET", f"{API}/events?after={past}", None),
        ("GET", f"{API}/events?limit={huge}", None),
        ("GET", f"{API}/stream?heartbeat=1e400", None),
        ("POST", f"{API}/code-leases", {"agency_id": AGENCY, "day": "2026-12-01", "station_id": "C1", "size": 10**30}),
        ("POST", f"{API}/code-leases", {"agency_id": AGENCY, "day": "99999-12-01", "station_id": "C1", "size": 1}),
        ("GET", f"{API}/sync/changes?after={huge}", None),
        ("GET", f"{API}/sync/documents/{'a' * 64}?offset={huge}", None),
    ]
    for method, path, body in cases:
        answer = centre.call(method, path, "ADMIN", body)
        assert answer.status == 422, (path, body, answer.status, answer.body)


INJECTIONS = [
    "' OR '1'='1",
    "1; DROP TABLE tickets; --",
    '" OR 1=1 --',
    "../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "a\x00b",
    "\x00",
    "ệ" * 100_000,
    "😀" * 5000,
    "\u202e\u0000\ufeff",
    "{{7*7}}${7*7}",
]


def _string_parameters(schema: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(method, path template, where, name) of every string parameter and string field of a JSON body."""
    out = []
    components = schema["components"]["schemas"]
    for template, item in schema["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                if p["in"] in ("path", "query"):
                    out.append((method.upper(), template, p["in"], p["name"]))
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
            if ref:
                for name in components[ref.rsplit("/", 1)[1]]["properties"]:
                    out.append((method.upper(), template, "body", name))
    return out


def test_injection_strings_in_every_string_parameter_are_refused_or_harmless(unlimited: Centre) -> None:
    centre = unlimited
    params = _string_parameters(centre.schema)
    tickets_before = centre.store.read().execute("SELECT count(*) FROM queue_tickets").fetchone()[0]
    assert len(params) > 30
    base_body: dict[str, dict[str, Any]] = {
        f"{API}/tickets": {"service": "HT"},
        f"{API}/code-leases": {"agency_id": AGENCY, "day": "2026-12-01", "station_id": "C1", "size": 1},
        f"{API}/counters/{{counter}}/tickets/{{ticket_id}}/dossiers": {"dossier_code": "X"},
        f"{API}/sync/events": {"events": []},
        f"{API}/sync/events/{{key}}": {"event": "{}"},
        f"{API}/sync/events/known": {"keys": []},
        f"{API}/sync/uploads/states": {"sha256": []},
    }
    for method, template, where, name in params:
        documented = centre.documented(method, template)
        for value in INJECTIONS:
            path = template
            for p, v in FILL.items():
                path = path.replace("{" + p + "}", quote(value, safe="") if (where == "path" and p == name) else v)
            query: dict[str, Any] = {"offset": 0, "total": 1} if "uploads/{sha}" in template and method == "PUT" else {}
            if template.endswith("/origins"):
                query["origin"] = AGENCY
            body: Any = dict(base_body.get(template, {})) if method in ("POST", "PUT") else None
            if where == "query":
                query[name] = value
            elif where == "body":
                body = {**(body or {}), name: value if name not in ("events", "keys", "sha256") else [value]}
            url = path + ("?" + urlencode(query) if query else "")
            if len(url) > DEFAULTS.max_header_bytes:
                # Refused while the request line is read (431), or cut off while the rest is still being sent.
                assert _long_request_line(centre, method, url) in (431, 0), (method, template, name)
                continue
            raw = body if not (method == "PUT" and "uploads/" in template) else None
            answer = centre.call(method, url, "ADMIN", raw, raw=b"x" if raw is None and method == "PUT" else None)
            if answer.status == 0:  # cut off while sending: only a body past the limit may be
                assert len(json.dumps(raw)) > DEFAULTS.default_body, (method, template, name)
                continue
            assert answer.status not in SERVER_ERRORS, (method, url[:120], answer.status, answer.body[:300])
            assert answer.status in documented | {404}, (method, url[:120], answer.status, answer.body[:300])
            assert b"root:" not in answer.body and b"[fonts]" not in answer.body
    # And nothing reached the tables: no ticket, no token lost, the schema intact.
    db = centre.store.read()
    assert db.execute("SELECT count(*) FROM queue_tickets").fetchone()[0] == tickets_before
    assert db.execute("SELECT count(*) FROM device_tokens").fetchone()[0] == len(centre.tokens)
    assert centre.call("GET", f"{API}/board", "D1").status == 200


def _long_request_line(centre: Centre, method: str, url: str) -> int:
    with socket.create_connection((centre.host, centre.port), timeout=5) as sock:
        try:
            sock.sendall(f"{method} {url} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            return _status_of(sock.recv(4096))
        except (ConnectionResetError, BrokenPipeError):
            return 0


def test_path_traversal_in_raw_paths_finds_no_file(unlimited: Centre) -> None:
    for raw_path in [
        f"{API}/sync/documents/../../../../etc/passwd",
        f"{API}/sync/documents/..%2f..%2f..%2fetc%2fpasswd",
        f"{API}/sync/published/..%2f..%2fcentre.sqlite",
        f"{API}/sync/documents/%00",
        "/../../../../etc/passwd",
        f"{API}/../openapi.json",
    ]:
        auth = f"Authorization: Bearer {unlimited.tokens['ADMIN']}\r\n"
        data, _ = _raw(unlimited, f"GET {raw_path} HTTP/1.1\r\nHost: x\r\n{auth}Connection: close\r\n\r\n".encode())
        status = _status_of(data)
        assert status in (400, 404, 422), (raw_path, data[:200])
        assert b"root:" not in data and b"SQLite format" not in data


# -- property-based: the parsers in front of the use cases --------------------------------------------------------
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, -(2**63) - 1, 10**100, 2**62])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=10,
)
QUEUE_FIELDS = [
    "service",
    "priority_group",
    "to_service",
    "to_counter",
    "dossier_code",
    "agency_id",
    "day",
    "station_id",
    "size",
]
BODY_ROUTES = [
    f"{API}/tickets",
    f"{API}/counters/1/tickets/1/transfer",
    f"{API}/counters/1/tickets/1/dossiers",
    f"{API}/code-leases",
]


@PROPS
@given(
    route=st.sampled_from(BODY_ROUTES),
    body=st.one_of(
        JSON_VALUES,
        st.dictionaries(st.sampled_from(QUEUE_FIELDS), JSON_VALUES, max_size=5),
    ),
    raw=st.one_of(st.none(), st.binary(max_size=60)),
)
def test_any_json_body_of_the_queue_api_is_answered_with_a_documented_status(
    unlimited: Centre, route: str, body: Any, raw: bytes | None
) -> None:
    template = route.replace("/1/tickets/1/", "/{counter}/tickets/{ticket_id}/")
    documented = unlimited.documented("POST", template)
    if raw is not None:
        answer = unlimited.call("POST", route, "ADMIN", raw=raw, headers={"Content-Type": "application/json"})
    else:
        answer = unlimited.call("POST", route, "ADMIN", body)
    assert answer.status in documented, (route, body, raw, answer.status, answer.body[:300])
    assert isinstance(answer.json(), dict)


@PROPS
@given(
    ticket=st.one_of(st.integers(), st.text(min_size=1, max_size=40), st.sampled_from(["A012", "0x10", "1e3", "١٢"]))
)
def test_any_ticket_number_in_a_path_is_a_clean_refusal(unlimited: Centre, ticket: Any) -> None:
    segment = quote(str(ticket), safe="")
    for method, path, template in [
        ("GET", f"{API}/tickets/{segment}", f"{API}/tickets/{{ticket_id}}"),
        ("POST", f"{API}/tickets/{segment}/cancel", f"{API}/tickets/{{ticket_id}}/cancel"),
        (
            "POST",
            f"{API}/counters/1/tickets/{segment}/finish",
            f"{API}/counters/{{counter}}/tickets/{{ticket_id}}/finish",
        ),
    ]:
        answer = unlimited.call(method, path, "ADMIN")
        assert answer.status in unlimited.documented(method, template) | {404}, (path, answer.status, answer.body)
        if isinstance(ticket, int) and not 1 <= ticket <= 2**62:
            assert answer.status == 422


HEADER_BYTES = st.binary(max_size=80).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b""))


@PROPS
@given(scheme=st.sampled_from([b"Bearer ", b"bearer ", b"BEARER  ", b"Basic ", b"", b"Bearer\t"]), value=HEADER_BYTES)
def test_any_authorization_header_is_a_clean_refusal(unlimited: Centre, scheme: bytes, value: bytes) -> None:
    request = (
        f"GET {API}/board HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode()
        + b"Authorization: "
        + scheme
        + value
        + b"\r\n\r\n"
    )
    data, _ = _raw(unlimited, request)
    assert _status_of(data) in (400, 401), data[:300]


@PROPS
@given(length=st.one_of(st.integers(-(2**70), 2**70).map(str), st.text("0123456789 +-xe.", max_size=25)))
def test_any_content_length_is_a_clean_refusal_or_read(unlimited: Centre, length: str) -> None:
    request = (
        f"POST {API}/tickets HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer "
        f"{unlimited.tokens['ADMIN']}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
        '{"service": "ZZ"}'
    ).encode()
    data, _ = _raw(unlimited, request, wait=NO_RATE.body_timeout_s + 3)
    status = _status_of(data)
    # 0 (closed without an answer) only when it promised more body than it sent and the deadline ran out.
    assert status in (0, 400, 404, 413, 422), (length, data[:300])


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(
    rate=st.floats(0.5, 100),
    burst=st.integers(1, 50),
    gaps=st.lists(st.floats(0, 0.5), min_size=1, max_size=200),
)
def test_a_token_bucket_never_lets_more_through_than_its_rate_and_burst(
    rate: float, burst: int, gaps: list[float]
) -> None:
    now = [0.0]
    limiter = RateLimiter(Limits(write_rate=rate, write_burst=burst), clock=lambda: now[0])
    allowed = 0
    for gap in gaps:
        now[0] += gap
        try:
            limiter.take("K1", "POST", f"{API}/tickets")
            allowed += 1
        except TooFast as exc:
            wait = int(exc.headers["Retry-After"]) if exc.headers else 0
            assert wait >= 1 and exc.status_code == 429
    assert allowed <= burst + rate * now[0] + 1e-6
    # An unhurried device is never refused.
    calm = RateLimiter(Limits(write_rate=rate, write_burst=burst), clock=lambda: now[0])
    for _ in range(20):
        now[0] += 1.0 / rate
        calm.take("K2", "POST", f"{API}/tickets")


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(size=st.integers(1, 20), keys=st.lists(st.integers(0, 60), max_size=300))
def test_the_token_cache_keeps_the_most_recent_and_never_grows_past_its_size(size: int, keys: list[int]) -> None:
    cache: Lru[int, int] = Lru(size)
    for k in keys:
        cache.put(k, k)
        assert len(cache) <= size
    for k in list(dict.fromkeys(reversed(keys)))[:size]:
        assert cache.get(k) == k


@settings(max_examples=200, derandomize=True, database=None, deadline=None)
@given(path=st.text(max_size=60))
def test_every_path_has_a_body_limit_of_its_family(path: str) -> None:
    limit = DEFAULTS.body_limit(path)
    if path.startswith(f"{API}/sync/uploads/"):
        assert limit == 4 * 2**20
    elif path.startswith(f"{API}/sync/"):
        assert limit == 8 * 2**20
    elif not path.startswith(f"{API}/dvc/"):
        assert limit == DEFAULTS.default_body


# -- TLS ---------------------------------------------------------------------------------------------------------
def test_a_self_signed_certificate_is_made_once_and_pinned_by_devices(tmp_path: Path) -> None:
    cert, key, made = tls_cert.ensure_self_signed(tmp_path, "127.0.0.1")
    assert made and cert.is_file() and (key.stat().st_mode & 0o777) == 0o600
    pin = tls_cert.sha256_of(cert)
    again = tls_cert.ensure_self_signed(tmp_path, "127.0.0.1")
    assert again == (cert, key, False) and tls_cert.sha256_of(cert) == pin

    store = open_queue_store(tmp_path / "centre.sqlite")
    with store.write() as db:
        token = device_tokens.add_token(db, "D1", "display", NOW)
    app = create_app(QueueService(store, make_config()), EmbeddedCentreLeases(store, None))
    server = ServerThread(app, tls=TlsFiles(str(cert), str(key))).start()
    try:
        assert server.url.startswith("https://")
        pinned = HttpPool(server.url, {"Authorization": f"Bearer {token}"}, 5, Tls(pin_sha256=tls_cert.spaced(pin)))
        assert pinned.request("GET", f"{API}/board").status == 200
        pinned.close()
        wrong = HttpPool(server.url, {"Authorization": f"Bearer {token}"}, 5, Tls(pin_sha256="00" * 32))
        with pytest.raises(PinMismatch):
            wrong.request("GET", f"{API}/board")
        wrong.close()
        # The token never crosses in clear: plain http to the TLS port gets no answer a client could read.
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(f"GET {API}/board HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
            with contextlib.suppress(ConnectionResetError, TimeoutError):
                assert not sock.recv(100).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()
        store.close()


def _server_cli(*args: str, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "MOTCUA_LOG": "WARNING"}
    return subprocess.Popen(
        [sys.executable, "-m", "motcua.server", "--data-dir", str(data), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_the_centre_started_with_self_signed_tls_says_its_fingerprint_and_keeps_it(tmp_path: Path) -> None:
    pins = []
    for _ in range(2):
        proc = _server_cli("--tls", "self-signed", data=tmp_path)
        try:
            assert proc.stdout is not None
            ready = proc.stdout.readline()
            assert ready.startswith("READY https://127.0.0.1:"), ready
            line = proc.stdout.readline().split()
            assert line[0] == "TLS-SHA256" and len(line[1]) == 64
            pins.append(line[1])
            pool = HttpPool(ready.split()[1], {}, 5, Tls(pin_sha256=line[1]))
            assert pool.request("GET", f"{API}/health").json()["status"] == "ok"
            pool.close()
        finally:
            proc.terminate()
            proc.communicate(timeout=15)
    assert pins[0] == pins[1] == tls_cert.sha256_of(tls_cert.paths(tmp_path)[0])
    shown = subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua.server",
            "--data-dir",
            str(tmp_path),
            "--tls",
            "self-signed",
            "--show-tls-fingerprint",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0 and shown.stdout.strip() == pins[0]


def test_a_network_address_without_tls_is_refused_unless_insecure_lan(tmp_path: Path) -> None:
    refused = _server_cli("--host", "0.0.0.0", data=tmp_path)
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 2 and "READY" not in out
    assert "không có TLS" in err and "--insecure-lan" in err and "--tls self-signed" in err
    with pytest.raises(MotcuaError):
        check_transport("192.168.1.10", None, False)
    with pytest.raises(MotcuaError):
        check_transport("centre.local", TlsFiles(), False)
    check_transport("127.0.0.1", None, False)
    check_transport("::1", None, False)
    check_transport("localhost", None, False)
    check_transport("0.0.0.0", None, True)  # --insecure-lan / [server] insecure_lan = true
    cert, key, _ = tls_cert.ensure_self_signed(tmp_path)
    check_transport("0.0.0.0", TlsFiles(str(cert), str(key)), False)
    # The same from centre.toml's [server] (the command's options win).
    parser = argparse.ArgumentParser()
    server_main.add_arguments(parser)
    config = tmp_path / "centre.toml"
    config.write_text('[server]\ninsecure_lan = true\ntls = "self-signed"\n', encoding="utf-8")
    settings = load_settings(config)
    tls, insecure = server_main.transport(parser.parse_args(["--host", "0.0.0.0"]), settings, tmp_path / "d")
    assert insecure and tls.cert == str(tls_cert.paths(tmp_path / "d")[0])
    tls, insecure = server_main.transport(parser.parse_args([]), Settings(), tmp_path / "e")
    assert not insecure and not tls.cert
    assert server_main.transport(parser.parse_args(["--insecure-lan"]), Settings(), tmp_path)[1]


def test_every_operation_documents_the_guards_refusals(centre: Centre) -> None:
    for method, template, _ in _operations(centre.schema):
        codes = centre.documented(method, template)
        assert {413, 429} <= codes, (method, template, codes)
        if template != f"{API}/health":
            assert {401, 403} <= codes, (method, template, codes)
    assert ssl.OPENSSL_VERSION  # (the TLS tests above ran against this OpenSSL)
