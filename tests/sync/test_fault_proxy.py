"""The fault-injection proxy against a real upstream on loopback: each fault, the link model, down mode, shutdown.

Timing checks are lower bounds only (a loaded machine makes things slower, never faster than the simulated link).
"""

from __future__ import annotations

import errno
import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from motcua.bench.fault_proxy import FAULT_KINDS, FaultPlan, FaultProxy, LinkProfile

MIB = bytes(range(256)) * 4096


class Upstream(ThreadingHTTPServer):
    """A server that counts the complete requests it received, echoes bodies and can stream."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.lock = threading.Lock()
        self.count = 0
        self.short_bodies = 0
        self.received: list[tuple[str, str, bytes]] = []
        self.gate = threading.Event()

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the proxy cuts connections on purpose; tracebacks would only be noise


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: Upstream
    timeout = 10

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return "Upstream/1"

    def date_time_string(self, timestamp: float | None = None) -> str:
        return "Mon, 23 Nov 2026 09:30:00 GMT"  # fixed, so that direct and proxied answers compare byte for byte

    def _body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", ""):
            parts: list[bytes] = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    return None
                size = int(line.split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b""):
                        pass
                    return b"".join(parts)
                data = self.rfile.read(size + 2)
                if len(data) < size + 2:
                    return None
                parts.append(data[:size])
        length = int(self.headers.get("Content-Length", 0))
        data = self.rfile.read(length)
        return data if len(data) == length else None

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.headers.get("X-Reply-Chunked"):
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(body), 65536):
                piece = body[start : start + 65536]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        body = self._body()
        if body is None:
            with self.server.lock:
                self.server.short_bodies += 1
            self.close_connection = True
            return
        with self.server.lock:
            self.server.count += 1
            self.server.received.append((self.command, self.path, body))
        path, _, query = self.path.partition("?")
        if path == "/empty":
            self.send_response(204)
            self.end_headers()
        elif path == "/cached":
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
        elif path == "/blob":
            size = int(query.removeprefix("n="))
            self._reply(200, (MIB * (size // len(MIB) + 1))[:size])
        elif path == "/sse":
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"data: one\n\n")
            self.server.gate.wait(5)
            self.wfile.write(b"data: two\n\n")
            self.close_connection = True
        elif path == "/stream-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"b\r\ndata: one\n\n\r\n")
            self.server.gate.wait(5)
            self.wfile.write(b"b\r\ndata: two\n\n\r\n0\r\n\r\n")
        else:
            self._reply(200, body if self.command != "HEAD" else b"hello world")

    do_GET = do_POST = do_PUT = do_HEAD = _handle


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="test-upstream")
    thread.start()
    yield server
    server.gate.set()
    server.shutdown()
    thread.join()
    server.server_close()


def _proxy_threads(proxy: FaultProxy) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(f"fault-proxy-{proxy.port}-")]


@pytest.fixture
def make_proxy(upstream: Upstream) -> Iterator[Callable[..., FaultProxy]]:
    proxies: list[FaultProxy] = []

    def make(**kwargs: Any) -> FaultProxy:
        proxy = FaultProxy("127.0.0.1", upstream.port, **kwargs).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()
        assert not _proxy_threads(proxy)
        assert proxy.stats["internal_errors"] == 0, proxy.last_internal_error


@contextmanager
def connect(proxy: FaultProxy, timeout: float = 5.0) -> Iterator[http.client.HTTPConnection]:
    conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=timeout)
    try:
        yield conn
    finally:
        conn.close()


def call(
    conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn.request(method, path, body=body, headers={k.replace("_", "-"): v for k, v in headers.items()})
    response = conn.getresponse()
    return response.status, response.headers, response.read()


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send ``data`` (pipelined requests, the last with Connection: close) and read everything until EOF.

    The sender is a separate thread: with megabytes pipelined each way, a single thread would deadlock once both
    directions' buffers are full.
    """
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sender = threading.Thread(target=sock.sendall, args=(data,))
        sender.start()
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        finally:
            sender.join()
    return b"".join(chunks)


def read_until(sock: socket.socket, marker: bytes, already: bytes = b"") -> bytes:
    data = already
    while marker not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _chunked(data: bytes, size: int = 100_000) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(data[i : i + size]), data[i : i + size]) for i in range(0, len(data), size))
    return out + b"0\r\n\r\n"


# -- clean pass-through -------------------------------------------------------------------------------------------


def test_probability_zero_passes_keep_alive_traffic_through_byte_identical(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(seed=3, plan=FaultPlan(drop=0, reset=0, error_5xx=0, duplicate=0, truncate_response=0))
    requests = [
        b"GET /echo HTTP/1.1\r\nHost: upstream\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: upstream\r\nContent-Length: %d\r\n\r\n" % len(MIB) + MIB,
        b"POST /echo HTTP/1.1\r\nHost: upstream\r\nTransfer-Encoding: chunked\r\nX-Reply-Chunked: 1\r\n\r\n"
        + _chunked(MIB[::-1]),
        b"HEAD /echo HTTP/1.1\r\nHost: upstream\r\n\r\n",
        b"GET /empty HTTP/1.1\r\nHost: upstream\r\n\r\n",
        b"GET /cached HTTP/1.1\r\nHost: upstream\r\n\r\n",
        b"GET /blob?n=300000 HTTP/1.1\r\nHost: upstream\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: upstream\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    ]
    data = b"".join(requests)
    direct = raw_exchange(upstream.port, data)
    proxied = raw_exchange(proxy.port, data)
    assert len(direct) > 2 * len(MIB)
    assert proxied == direct
    assert b"HTTP/1.1 204" in direct and b"HTTP/1.1 304" in direct and direct.endswith(b"hello")
    seen = upstream.received
    assert len(seen) == 2 * len(requests)
    assert seen[: len(requests)] == seen[len(requests) :]
    stats = proxy.stats
    assert stats["requests"] == stats["forwarded"] == len(requests)
    assert stats["connections"] == 1
    assert all(stats[kind] == 0 for kind in FAULT_KINDS)


def test_expect_100_continue_gets_exactly_one_interim_response(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy()
    head = b"PUT /echo HTTP/1.1\r\nHost: upstream\r\nContent-Length: 4\r\nExpect: 100-continue\r\nConnection: close\r\n"
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(head + b"\r\n")
        assert read_until(sock, b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"ping")
        answer = read_until(sock, b"\x00never")
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"ping")
    assert b"100 Continue" not in answer


@pytest.mark.parametrize("path", ["/sse", "/stream-chunked"])
def test_streaming_responses_pass_through_as_they_come(
    path: str, upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(link=LinkProfile(rtt_s=0.02))
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as sock:
        sock.sendall(b"GET %s HTTP/1.1\r\nHost: upstream\r\n\r\n" % path.encode())
        # The server holds the second event until the first has come through the proxy.
        first = read_until(sock, b"data: one\n\n")
        assert b"data: one" in first and b"data: two" not in first
        upstream.gate.set()
        rest = read_until(sock, b"data: two\n\n", first)
        if path == "/stream-chunked":
            rest = read_until(sock, b"0\r\n\r\n", rest)
        else:
            rest = read_until(sock, b"\x00never", rest)  # the server closes: the end of an unframed stream
    assert b"data: two\n\n" in rest


def test_upstream_unreachable_is_a_502(make_proxy: Callable[..., FaultProxy]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    with FaultProxy("127.0.0.1", dead_port) as proxy, connect(proxy) as conn:
        status, _, _ = call(conn, "GET", "/echo")
        assert status == 502
        assert proxy.stats["upstream_errors"] == 1
    assert not _proxy_threads(proxy)


# -- faults -------------------------------------------------------------------------------------------------------


def test_drop_closes_before_the_server_sees_anything(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(plan=FaultPlan(drop=1.0))
    with connect(proxy) as conn, pytest.raises(http.client.RemoteDisconnected):
        call(conn, "POST", "/echo", b"x" * 1000)
    assert upstream.count == 0
    assert proxy.stats["drop"] == 1 and proxy.stats["forwarded"] == 0


def test_reset_sends_an_rst(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(plan=FaultPlan(reset=1.0))
    with connect(proxy) as conn, pytest.raises(ConnectionResetError) as caught:
        call(conn, "POST", "/echo", b"x" * 1000)
    assert not isinstance(caught.value, http.client.RemoteDisconnected)
    assert caught.value.errno == errno.ECONNRESET
    assert upstream.count == 0 and proxy.stats["reset"] == 1


def test_error_5xx_answers_without_forwarding_and_keeps_the_connection(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(plan=FaultPlan(error_5xx=1.0))
    statuses = []
    with connect(proxy) as conn:
        for _ in range(12):
            status, headers, body = call(conn, "POST", "/echo", b"payload")
            statuses.append(status)
            assert headers["X-Fault-Proxy"] == "error_5xx" and body.startswith(str(status).encode())
            if status == 503:
                assert headers["Retry-After"] == "1"
        status, headers, body = call(conn, "HEAD", "/echo")
        assert status >= 500 and body == b""
    assert set(statuses) <= {500, 502, 503} and len(set(statuses)) >= 2
    assert upstream.count == 0
    assert proxy.stats["error_5xx"] == 13 and proxy.stats["connections"] == 1


def test_truncate_request_leaves_the_server_a_short_body(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(plan=FaultPlan(truncate_request=1.0))
    with connect(proxy) as conn, pytest.raises(ConnectionError):
        call(conn, "POST", "/echo", b"x" * 100_000)
    assert wait_for(lambda: upstream.short_bodies == 1)
    assert upstream.count == 0 and proxy.stats["truncate_request"] == 1


@pytest.mark.parametrize("chunked", [False, True])
def test_truncate_response_cuts_the_body_after_the_server_acted(
    chunked: bool, upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(plan=FaultPlan(truncate_response=1.0))
    extra = {"X-Reply-Chunked": "1"} if chunked else {}
    with connect(proxy) as conn:
        conn.request("POST", "/echo", body=b"y" * 100_000, headers=extra)
        response = conn.getresponse()
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
    # http.client keeps what it read only for Content-Length bodies; a cut chunk loses the whole chunk.
    assert len(caught.value.partial) < 100_000 and (chunked or len(caught.value.partial) > 0)
    assert upstream.count == 1 and proxy.stats["truncate_response"] == 1


def test_duplicate_reaches_the_server_twice_for_one_client_request(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(plan=FaultPlan(duplicate=1.0, only_paths=("/echo",)))
    with connect(proxy) as conn:
        for payload in (b"batch-17", b"batch-18"):
            status, _, body = call(conn, "POST", "/echo", payload)
            assert (status, body) == (200, payload)
        status, _, body = call(conn, "GET", "/blob?n=10")  # not in only_paths: passes once
        assert status == 200 and len(body) == 10
    assert [entry[2] for entry in upstream.received[:4]] == [b"batch-17"] * 2 + [b"batch-18"] * 2
    assert upstream.count == 5
    assert proxy.stats["duplicate"] == 2 and proxy.stats["forwarded"] == 5 and proxy.stats["requests"] == 3


def test_timeout_after_commit_the_server_counted_it_but_the_client_hears_nothing(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(plan=FaultPlan(timeout_after_commit=1.0))
    with connect(proxy, timeout=0.5) as conn, pytest.raises(TimeoutError):
        call(conn, "POST", "/echo", b"commit-me")
    assert upstream.count == 1 and upstream.received[0][2] == b"commit-me"
    assert proxy.stats["timeout_after_commit"] == 1

    # A client that waits longer than the hold sees the connection close with no answer.
    proxy.set_plan(FaultPlan(timeout_after_commit=1.0, hold_s=0.3))
    started = time.monotonic()
    with connect(proxy) as conn, pytest.raises(http.client.RemoteDisconnected):
        call(conn, "POST", "/echo", b"again")
    assert time.monotonic() - started >= 0.3
    assert upstream.count == 2


def test_delay_holds_each_request(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(plan=FaultPlan(delay_p=1.0, delay_s=0.3))
    started = time.monotonic()
    with connect(proxy) as conn:
        for _ in range(2):
            assert call(conn, "GET", "/echo")[0] == 200
    assert time.monotonic() - started >= 0.6
    assert upstream.count == 2 and proxy.stats["delay"] == 2


def test_only_paths_and_set_plan(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(plan=FaultPlan(error_5xx=1.0, only_paths=("/sync/",)))
    with connect(proxy) as conn:
        assert call(conn, "POST", "/sync/push", b"{}")[0] >= 500
        assert call(conn, "GET", "/echo")[0] == 200
        proxy.set_plan(FaultPlan())
        assert call(conn, "POST", "/sync/push", b"{}")[0] == 200
    assert upstream.count == 2


def test_the_same_seed_injects_the_same_faults(make_proxy: Callable[..., FaultProxy]) -> None:
    def run(seed: int) -> list[int]:
        proxy = make_proxy(seed=seed, plan=FaultPlan(error_5xx=0.5))
        with connect(proxy) as conn:
            return [call(conn, "GET", "/echo")[0] for _ in range(20)]

    first = run(11)
    assert first == run(11)
    assert first != run(12)
    assert 200 in first and any(status >= 500 for status in first)


def test_plan_and_link_values_are_checked() -> None:
    with pytest.raises(ValueError):
        FaultPlan(drop=1.5)
    with pytest.raises(TypeError):
        FaultPlan(only_paths="/sync/")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LinkProfile(bandwidth_bps=0)
    assert FaultPlan(only_paths=["/a"]).only_paths == ("/a",)  # type: ignore[arg-type]


# -- down mode ----------------------------------------------------------------------------------------------------


def test_down_cuts_connections_refuses_new_ones_and_comes_back(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy()
    with connect(proxy) as idle, socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as stream:
        assert call(idle, "GET", "/echo")[0] == 200
        stream.sendall(b"GET /sse HTTP/1.1\r\nHost: upstream\r\n\r\n")
        assert b"data: one" in read_until(stream, b"data: one\n\n")

        proxy.set_down(True)
        started = time.monotonic()
        with pytest.raises(ConnectionResetError):
            read_until(stream, b"\x00never")
        assert time.monotonic() - started < 2
        with pytest.raises(ConnectionError):
            call(idle, "GET", "/echo")
        # The reset can beat the end of connect() itself: either way the new connection is refused.
        with (
            pytest.raises(ConnectionResetError),
            socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as fresh,
        ):
            fresh.sendall(b"GET /echo HTTP/1.1\r\nHost: upstream\r\n\r\n")
            read_until(fresh, b"\x00never")

    proxy.set_down(False)
    with connect(proxy) as conn:
        status, _, body = call(conn, "POST", "/echo", b"back")
        assert (status, body) == (200, b"back")
    stats = proxy.stats
    assert stats["cut"] >= 2 and stats["refused"] >= 1


# -- link model ---------------------------------------------------------------------------------------------------


def test_bandwidth_500_kb_at_2_mbit_takes_at_least_2_s(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(link=LinkProfile(bandwidth_bps=2_000_000, rtt_s=0.05))
    started = time.monotonic()
    with connect(proxy, timeout=30) as conn:
        status, _, body = call(conn, "GET", "/blob?n=500000")
    assert time.monotonic() - started >= 2.0
    assert status == 200 and body == MIB[:500_000]


def test_bandwidth_is_shared_by_all_connections_uploading(
    upstream: Upstream, make_proxy: Callable[..., FaultProxy]
) -> None:
    proxy = make_proxy(link=LinkProfile(bandwidth_bps=2_000_000))
    results: list[int] = []

    def upload() -> None:
        with connect(proxy, timeout=30) as conn:
            results.append(len(call(conn, "PUT", "/echo", b"u" * 125_000)[2]))

    started = time.monotonic()
    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each upload alone needs 0.5 s on the line, and the echoes as much downstream; together at least twice that.
    assert time.monotonic() - started >= 1.0
    assert results == [125_000, 125_000]


def test_rtt_makes_every_exchange_cost_a_round_trip(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(link=LinkProfile(rtt_s=0.2))
    started = time.monotonic()
    with connect(proxy) as conn:
        for _ in range(4):
            assert call(conn, "GET", "/echo")[0] == 200
    assert time.monotonic() - started >= 4 * 0.2


def test_loss_stalls_for_a_retransmission_timeout(upstream: Upstream, make_proxy: Callable[..., FaultProxy]) -> None:
    proxy = make_proxy(link=LinkProfile(loss=1.0))
    started = time.monotonic()
    with connect(proxy) as conn:
        assert call(conn, "GET", "/echo")[0] == 200
    assert time.monotonic() - started >= 2 * 0.2  # the request's segment and the response's, each one RTO
    assert proxy.stats["lost_segments"] >= 2


# -- shutdown -----------------------------------------------------------------------------------------------------


def test_stop_is_quick_and_leaves_no_threads(upstream: Upstream) -> None:
    proxy = FaultProxy("127.0.0.1", upstream.port, plan=FaultPlan(timeout_after_commit=1.0, only_paths=("/echo",)))
    with (
        proxy,
        connect(proxy) as idle,
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as stream,
        socket.create_connection(("127.0.0.1", proxy.port), timeout=5) as held,
    ):
        assert call(idle, "GET", "/blob?n=10")[0] == 200
        stream.sendall(b"GET /sse HTTP/1.1\r\nHost: upstream\r\n\r\n")
        assert b"data: one" in read_until(stream, b"data: one\n\n")
        held.sendall(b"POST /echo HTTP/1.1\r\nHost: upstream\r\nContent-Length: 2\r\n\r\nhi")
        assert wait_for(lambda: proxy.stats["timeout_after_commit"] == 1 and upstream.count == 3)
        assert len(_proxy_threads(proxy)) >= 4

        started = time.monotonic()
        proxy.stop()
        assert time.monotonic() - started < 3
        assert not _proxy_threads(proxy)
        assert read_until(stream, b"\x00never") == b""  # closed, not left hanging
        assert held.recv(100) == b""
    assert proxy.stats["internal_errors"] == 0
