"""A fault-injection HTTP proxy for testing and benchmarking the offline-first sync protocol.

It sits between a sync client (a workstation, or a centre pushing to its province) and the server it talks to, and
makes the loopback link behave like the ones the counters really have: a commune's ADSL or 4G line that is slow,
far away and lossy and that drops out for minutes at a time; LAN gear that resets connections; a provincial reverse
proxy that answers 502 when its backend restarts; and, worst of all, a server that committed a change whose answer
never made it back to the client, so that the client retries something that has already happened.

Usage::

    plan = FaultPlan(drop=0.05, timeout_after_commit=0.02, hold_s=5, only_paths=("/sync/",))
    link = LinkProfile(bandwidth_bps=2_000_000, rtt_s=0.2, loss=0.02)
    with FaultProxy("127.0.0.1", server_port, seed=7, plan=plan, link=link) as proxy:
        ...  # point the sync client at proxy.url instead of the server's address, run the scenario
        proxy.set_down(True)  # the commune loses its link
        ...
        proxy.set_down(False)
        print(proxy.stats)

Each client connection is forwarded over its own upstream connection. The proxy parses HTTP/1.1 framing (request
line and headers, bodies by Content-Length or chunked encoding, bodiless responses to HEAD and 204/304, 1xx interim
responses) so that it can act on every request of a keep-alive connection, and passes the bytes themselves through
unchanged. A response framed by the end of the connection (Server-Sent Events, other streams) or a protocol switch
is passed through as it comes, in both directions, until either side closes.

Only the standard library is used so that the proxy runs wherever the tests and benchmarks do.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import selectors
import socket
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

__all__ = ["FAULT_KINDS", "FaultPlan", "FaultProxy", "LinkProfile"]

FAULT_KINDS: tuple[str, ...] = (
    "drop",
    "reset",
    "delay",
    "truncate_request",
    "truncate_response",
    "duplicate",
    "error_5xx",
    "timeout_after_commit",
)
"""The names of the faults, as counted in :attr:`FaultProxy.stats`."""

# Every blocking call wakes up this often to notice set_down() and stop(); it bounds how long those take.
_POLL_S = 0.1
_READ_SIZE = 64 * 1024
_MSS = 1460
# Bytes a connection may have in flight on the simulated link before its sender blocks: a TCP window.
_WINDOW = 256 * 1024
_MAX_HEAD = 64 * 1024
_MAX_LINE = 8 * 1024
_MAX_REQUEST_BODY = 256 * 1024 * 1024
# Loopback and LAN upstreams connect at once; the bound only keeps stop() quick when the upstream is unreachable.
_CONNECT_TIMEOUT_S = 2.0
_COUNTERS = (
    "connections",
    "requests",
    "forwarded",
    "refused",
    "cut",
    "upstream_errors",
    "lost_segments",
    "internal_errors",
    *FAULT_KINDS,
)
_REASONS = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}


@dataclass(frozen=True)
class FaultPlan:
    """How often each fault happens: probabilities from 0 to 1, drawn per request from the proxy's seeded RNG.

    At most one of the terminal faults (all but ``delay``) hits a request; when several draws succeed, the first in
    the order drop, reset, error_5xx, truncate_request, truncate_response, timeout_after_commit, duplicate wins.
    A delay can come on top of any of them. Every request the plan applies to consumes the same number of draws,
    so a run with the same seed and the same requests on one connection injects the same faults.

    Attributes:
        drop: the connection is closed before anything is forwarded; the request never reaches the server.
            Simulates a commune link that drops while the client is waiting.
        reset: the client gets a TCP RST before anything is forwarded. Simulates a LAN switch, NAT box or firewall
            that forgets the connection.
        delay_p: probability of holding the request ``delay_s`` seconds before forwarding it: a congested link or a
            busy upstream that makes the client's timeout fire.
        delay_s: see ``delay_p``.
        truncate_request: only half of the request body reaches the server, then both sides are closed. Simulates
            an upload cut mid-way: the server must reject the short body and not apply half a batch.
        truncate_response: the request is forwarded, then only the response headers and half of its body reach the
            client, and the connection closes. Simulates a download cut mid-way after the server has acted.
        duplicate: the request is sent to the server twice, on two upstream connections one after the other, and
            one of the two responses is returned. Simulates a retrying middlebox or a client library that resent
            a request it thought was lost.
        error_5xx: the proxy answers 500, 502 or 503 (the last with ``Retry-After: 1``) without forwarding.
            Simulates a provincial reverse proxy whose backend is restarting or overloaded.
        timeout_after_commit: the request is forwarded and the whole response read (the server has committed),
            but the client never hears back: the connection stays open and silent for ``hold_s`` seconds or until
            the client gives up. The nastiest case for idempotency: the client cannot know the change happened.
        hold_s: see ``timeout_after_commit``.
        only_paths: path prefixes the faults apply to; other requests pass clean and consume no draws.
            None (the default) applies the plan to every request.
    """

    drop: float = 0.0
    reset: float = 0.0
    delay_p: float = 0.0
    delay_s: float = 0.0
    truncate_request: float = 0.0
    truncate_response: float = 0.0
    duplicate: float = 0.0
    error_5xx: float = 0.0
    timeout_after_commit: float = 0.0
    hold_s: float = 30.0
    only_paths: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for name in _PROBABILITIES:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"FaultPlan.{name} is a probability, from 0 to 1; got {value!r}")
        if self.delay_s < 0 or self.hold_s < 0:
            raise ValueError("FaultPlan.delay_s and hold_s are durations in seconds and cannot be negative")
        if self.only_paths is not None:
            # A lone string would be taken as a sequence of one-character prefixes and match almost everything.
            paths: object = self.only_paths
            if isinstance(paths, str):
                raise TypeError("FaultPlan.only_paths is a tuple of path prefixes, not a single string")
            object.__setattr__(self, "only_paths", tuple(self.only_paths))

    def applies_to(self, path: str) -> bool:
        """Whether requests for ``path`` are subject to this plan."""
        return self.only_paths is None or any(path.startswith(prefix) for prefix in self.only_paths)


_PROBABILITIES = (
    "drop",
    "reset",
    "delay_p",
    "truncate_request",
    "truncate_response",
    "duplicate",
    "error_5xx",
    "timeout_after_commit",
)
_TERMINAL_ORDER = (
    "drop",
    "reset",
    "error_5xx",
    "truncate_request",
    "truncate_response",
    "timeout_after_commit",
    "duplicate",
)


@dataclass(frozen=True)
class LinkProfile:
    """The simulated link between the client side and the upstream side, applied to each direction's data.

    Attributes:
        bandwidth_bps: bits per second in each direction, shared by every connection through the proxy (one
            serialisation queue per direction: a token bucket with no burst, since a real line cannot deliver a
            byte before the ones ahead of it have gone through). None for no limit.
        rtt_s: round-trip time: each direction's data arrives ``rtt_s / 2`` after it was sent, so an exchange costs
            at least one RTT, and a new upstream connection one more (the TCP handshake). Streamed and pipelined
            bytes are delayed the same way, not only whole requests.
        loss: probability that a ~1460-byte segment is lost. TCP hides loss as a retransmission stall, so a lost
            segment holds that direction of its connection (the data and the sender) for one RTO,
            ``max(0.2 s, 2 × rtt_s)``; other connections keep the line meanwhile.

    For example ``LinkProfile(2_000_000, 0.2, 0.02)`` is a poor commune ADSL line: 1 MB takes over 4 s.
    """

    bandwidth_bps: float | None = None
    rtt_s: float = 0.0
    loss: float = 0.0

    def __post_init__(self) -> None:
        if self.bandwidth_bps is not None and self.bandwidth_bps <= 0:
            raise ValueError("LinkProfile.bandwidth_bps must be positive, or None for no limit")
        if self.rtt_s < 0:
            raise ValueError("LinkProfile.rtt_s cannot be negative")
        if not 0.0 <= self.loss <= 1.0:
            raise ValueError("LinkProfile.loss is a probability per segment, from 0 to 1")

    @property
    def rto_s(self) -> float:
        """The retransmission timeout a lost segment costs (Linux never goes below 200 ms)."""
        return max(0.2, 2 * self.rtt_s)

    def piece_size(self) -> int:
        """How many bytes to schedule at once: ~20 ms of line time, so that connections interleave finely."""
        if self.bandwidth_bps is None:
            return _READ_SIZE
        return max(_MSS, min(_READ_SIZE, int(self.bandwidth_bps / 8 * 0.02)))


@dataclass(frozen=True)
class _Decision:
    delay_s: float = 0.0
    fault: str | None = None
    status: int = 503
    pick_second: bool = False
    hold_s: float = 0.0


class _Cut(Exception):
    """The connection was cut by set_down() or stop()."""


class _Closed(Exception):
    """A peer closed or broke its side in the middle of a message; the exchange cannot go on."""


class _BadMessage(Exception):
    """Bytes that are not HTTP/1.x the proxy can frame."""


# SO_LINGER takes two ints on POSIX and two u_shorts on Windows.
_LINGER_ZERO = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)


def _close_with_reset(sock: socket.socket) -> None:
    # Linger 0 makes close() abort the connection with an RST instead of the orderly FIN.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_ZERO)
    sock.close()


def _send_all(sock: socket.socket, data: bytes, cut: threading.Event) -> None:
    # sendall() with a timeout cannot say how much went out before it gave up, so send() piece by piece and keep
    # polling for a cut while the peer is not reading.
    view = memoryview(data)
    while view:
        if cut.is_set():
            raise _Cut
        try:
            sent = sock.send(view)
        except TimeoutError:
            continue
        view = view[sent:]


class _Serializer:
    """One direction of the shared line: bytes leave one after another at the line's rate, whoever sends them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free_at = 0.0

    def reserve(self, nbytes: int, bandwidth_bps: float) -> float:
        """Book ``nbytes`` on the line; returns the moment its last byte has left."""
        with self._lock:
            start = max(self._free_at, time.monotonic())
            self._free_at = start + nbytes * 8 / bandwidth_bps
            return self._free_at


class _Pipe:
    """One direction of one connection across the simulated link: data is delivered by a writer thread when due."""

    def __init__(self, conn: _Connection, sock: socket.socket, serializer: _Serializer, name: str, handshake: bool):
        self._conn = conn
        self._sock = sock
        self._serializer = serializer
        self._cond = threading.Condition()
        self._queue: deque[tuple[float, bytes]] = deque()
        self._queued = 0
        self._closing = False
        self._error: OSError | None = None
        link = conn.proxy.link
        # A new TCP connection cannot carry data before its handshake has crossed the link and come back.
        self._last_due = time.monotonic() + (link.rtt_s if handshake and link is not None else 0.0)
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def send(self, data: bytes) -> None:
        """Queue ``data`` for delivery; blocks like a sender on the link does (line rate, window full)."""
        offset = 0
        while offset < len(data):
            link = self._conn.proxy.link
            size = _READ_SIZE if link is None else link.piece_size()
            piece = data[offset : offset + size]
            offset += len(piece)
            now = time.monotonic()
            depart = due = now
            stall = 0.0
            if link is not None:
                if link.bandwidth_bps is not None:
                    depart = self._serializer.reserve(len(piece), link.bandwidth_bps)
                stall = self._conn.proxy._loss_stall(len(piece), link)
                due = depart + link.rtt_s / 2 + stall
            self._enqueue(due, piece)
            # The sender is busy while its bytes go onto the line, which is what makes other connections' data
            # interleave with ours instead of queueing behind all of it; and after a loss it sends nothing more
            # until the retransmission timeout, so the stall costs time even when the window is not full.
            self._conn.sleep_until(depart + stall)

    def _enqueue(self, due: float, piece: bytes) -> None:
        with self._cond:
            while self._queued >= _WINDOW and self._error is None and not self._conn.cut.is_set():
                self._cond.wait(_POLL_S)
            if self._conn.cut.is_set():
                raise _Cut
            if self._error is not None:
                raise _Closed("the peer stopped reading") from self._error
            # TCP delivers in order: data cannot overtake a segment that is stalled waiting for retransmission.
            due = max(due, self._last_due)
            self._last_due = due
            self._queue.append((due, piece))
            self._queued += len(piece)
            self._cond.notify_all()

    def finish(self) -> None:
        """Deliver what is queued (unless the connection was cut), then stop the writer thread."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join()

    def _run(self) -> None:
        cut = self._conn.cut
        try:
            while True:
                with self._cond:
                    while not self._queue and not self._closing and not cut.is_set():
                        self._cond.wait(_POLL_S)
                    if cut.is_set() or not self._queue:
                        return
                    due, piece = self._queue[0]
                self._conn.sleep_until(due)
                _send_all(self._sock, piece, cut)
                with self._cond:
                    self._queue.popleft()
                    self._queued -= len(piece)
                    self._cond.notify_all()
        except _Cut:
            pass
        except OSError as exc:
            with self._cond:
                self._error = exc
                self._queue.clear()
                self._cond.notify_all()


class _Reader:
    """Buffered reads from one socket that give up when the connection is cut."""

    def __init__(self, conn: _Connection, sock: socket.socket) -> None:
        self._conn = conn
        self.sock = sock
        self.buf = bytearray()

    def recv(self, deadline: float | None = None) -> bytes | None:
        """Whatever arrives next: b"" when the peer closed, None when ``deadline`` passed first."""
        while True:
            if self._conn.cut.is_set():
                raise _Cut
            try:
                return self.sock.recv(_READ_SIZE)
            except TimeoutError:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
            except OSError as exc:
                raise _Closed("the peer reset the connection") from exc

    def _fill(self) -> bool:
        data = self.recv()
        if not data:
            return False
        self.buf += data
        return True

    def read_until(self, delimiter: bytes, limit: int) -> bytes | None:
        """Bytes up to and including ``delimiter``; None if the peer closed before sending anything."""
        start = 0
        while True:
            found = self.buf.find(delimiter, start)
            if found >= 0:
                end = found + len(delimiter)
                out = bytes(self.buf[:end])
                del self.buf[:end]
                return out
            if len(self.buf) > limit:
                raise _BadMessage("header or chunk line too long")
            start = max(0, len(self.buf) - len(delimiter) + 1)
            if not self._fill():
                if not self.buf:
                    return None
                raise _Closed("the peer closed in the middle of a message")

    def read_some(self, limit: int) -> bytes:
        """Up to ``limit`` bytes, as soon as some are there; b"" when the peer has closed."""
        if not self.buf and not self._fill():
            return b""
        out = bytes(self.buf[:limit])
        del self.buf[:limit]
        return out

    def take_buffer(self) -> bytes:
        out = bytes(self.buf)
        self.buf.clear()
        return out


def _parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise _BadMessage(f"malformed header line {line!r}")
        headers.append((name.strip().lower(), value.strip()))
    return lines[0], headers


def _tokens(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [token.strip().lower() for key, value in headers if key == name for token in value.split(",") if token]


def _content_length(headers: list[tuple[str, str]]) -> int | None:
    values = {value.strip() for key, value in headers if key == "content-length"}
    if not values:
        return None
    if len(values) > 1 or not next(iter(values)).isdigit():
        raise _BadMessage("invalid Content-Length")
    return int(next(iter(values)))


def _keep_alive(version: str, headers: list[tuple[str, str]]) -> bool:
    connection = _tokens(headers, "connection")
    if version == "HTTP/1.0":
        return "keep-alive" in connection
    return "close" not in connection


def _iter_chunked(reader: _Reader) -> Iterator[bytes]:
    """The raw bytes of a chunked body, framing included, as they arrive."""
    while True:
        line = reader.read_until(b"\r\n", _MAX_LINE)
        if line is None:
            raise _Closed("the peer closed in the middle of a chunked body")
        yield line
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise _BadMessage(f"bad chunk size line {line!r}") from None
        if size == 0:
            while True:
                trailer = reader.read_until(b"\r\n", _MAX_LINE)
                if trailer is None:
                    raise _Closed("the peer closed in the trailers of a chunked body")
                yield trailer
                if trailer == b"\r\n":
                    return
        remaining = size + 2
        while remaining:
            piece = reader.read_some(min(remaining, _READ_SIZE))
            if not piece:
                raise _Closed("the peer closed in the middle of a chunk")
            remaining -= len(piece)
            yield piece


def _iter_length(reader: _Reader, length: int) -> Iterator[bytes]:
    remaining = length
    while remaining:
        piece = reader.read_some(min(remaining, _READ_SIZE))
        if not piece:
            raise _Closed("the peer closed before the end of the body")
        remaining -= len(piece)
        yield piece


@dataclass
class _Request:
    head: bytes
    body: bytes
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    continue_sent: bool

    @property
    def raw(self) -> bytes:
        return self.head + self.body

    @property
    def path(self) -> str:
        return self.target if self.target.startswith("/") else (urlsplit(self.target).path or "/")

    @property
    def keep_alive(self) -> bool:
        return _keep_alive(self.version, self.headers)


@dataclass
class _Response:
    head: bytes
    status: int
    framing: str  # "none", "length", "chunked", "close" (body ends when the server closes) or "tunnel"
    length: int
    keep_alive: bool

    @property
    def interim(self) -> bool:
        return 100 <= self.status < 200 and self.framing != "tunnel"


def _read_response_head(reader: _Reader, method: str) -> _Response:
    head = reader.read_until(b"\r\n\r\n", _MAX_HEAD)
    if head is None:
        raise _Closed("the server closed without answering")
    start, headers = _parse_head(head)
    parts = start.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        raise _BadMessage(f"bad status line {start!r}")
    version, status = parts[0], int(parts[1])
    transfer = _tokens(headers, "transfer-encoding")
    length = 0
    if status == 101 or (method == "CONNECT" and 200 <= status < 300):
        framing = "tunnel"
    elif 100 <= status < 200 or method == "HEAD" or status in (204, 304):
        framing = "none"
    elif transfer:
        framing = "chunked" if transfer[-1] == "chunked" else "close"
    else:
        content_length = _content_length(headers)
        framing = "close" if content_length is None else "length"
        length = content_length or 0
    keep_alive = framing in ("none", "length", "chunked") and _keep_alive(version, headers)
    return _Response(head, status, framing, length, keep_alive)


def _error_response(status: int, *, head_only: bool, keep_alive: bool, note: str) -> bytes:
    reason = _REASONS[status]
    body = f"{status} {reason} (fault proxy: {note})\n".encode()
    lines = [
        f"HTTP/1.1 {status} {reason}",
        "Content-Type: text/plain; charset=utf-8",
        f"Content-Length: {len(body)}",
        f"X-Fault-Proxy: {note}",
    ]
    if status == 503:
        lines.append("Retry-After: 1")
    if not keep_alive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + (b"" if head_only else body)


class _Connection:
    """One client connection, its upstream connection, and the thread that relays requests between them."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, number: int) -> None:
        self.proxy = proxy
        self.client = client
        self.cut = threading.Event()
        self.reset_on_cut = False
        self._rst_client = False
        self.name = f"fault-proxy-{proxy.port}-c{number}"
        client.settimeout(_POLL_S)
        self.client_reader = _Reader(self, client)
        self.to_client = _Pipe(self, client, proxy._downstream, f"{self.name}-to-client", handshake=False)
        self.upstream: socket.socket | None = None
        self.up_reader: _Reader | None = None
        self.to_upstream: _Pipe | None = None
        self.thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def sleep_until(self, moment: float) -> None:
        delay = moment - time.monotonic()
        if delay > 0 and self.cut.wait(delay):
            raise _Cut

    def _run(self) -> None:
        try:
            self._serve()
        except (_Cut, _Closed, _BadMessage, OSError):
            pass
        except Exception as exc:  # a bug here must not surface as an unhandled exception in a test's thread
            self.proxy._note_internal_error(exc)
        finally:
            self._shutdown()
            self.proxy._forget(self)

    def _shutdown(self) -> None:
        self.to_client.finish()
        self._drop_upstream()
        if self._rst_client or (self.cut.is_set() and self.reset_on_cut):
            _close_with_reset(self.client)
        else:
            self.client.close()

    def _drop_upstream(self) -> None:
        if self.to_upstream is not None:
            self.to_upstream.finish()
            self.to_upstream = None
        if self.upstream is not None:
            self.upstream.close()
            self.upstream = None
            self.up_reader = None

    def _open_upstream(self, suffix: str) -> tuple[socket.socket, _Reader, _Pipe]:
        sock = socket.create_connection(self.proxy.upstream, timeout=_CONNECT_TIMEOUT_S)
        sock.settimeout(_POLL_S)
        pipe = _Pipe(self, sock, self.proxy._upstream_line, f"{self.name}-{suffix}", handshake=True)
        return sock, _Reader(self, sock), pipe

    def _ensure_upstream(self) -> bool:
        if self.upstream is not None and _is_stale(self.upstream):
            self._drop_upstream()
        if self.upstream is None:
            try:
                self.upstream, self.up_reader, self.to_upstream = self._open_upstream("to-upstream")
            except OSError:
                return False
        return True

    def _read_request(self) -> _Request | None:
        while True:
            head = self.client_reader.read_until(b"\r\n\r\n", _MAX_HEAD)
            if head is None:
                return None
            # RFC 9112 lets a client send stray CRLFs between requests; they are not part of either.
            head = head.lstrip(b"\r\n")
            if head:
                break
        start, headers = _parse_head(head)
        parts = start.split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _BadMessage(f"bad request line {start!r}")
        method, target, version = parts
        transfer = _tokens(headers, "transfer-encoding")
        length = 0 if transfer else (_content_length(headers) or 0)
        if transfer and transfer[-1] != "chunked":
            raise _BadMessage("a request body must be chunked or have a Content-Length")
        continue_sent = False
        if (transfer or length) and "100-continue" in _tokens(headers, "expect"):
            # The client waits for this before sending the body, and the body is needed before any fault is
            # decided; the server's own 100 Continue is swallowed later.
            self.to_client.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            continue_sent = True
        if transfer:
            pieces: list[bytes] = []
            size = 0
            for piece in _iter_chunked(self.client_reader):
                size += len(piece)
                if size > _MAX_REQUEST_BODY:
                    raise _BadMessage("request body too large for the fault proxy")
                pieces.append(piece)
            body = b"".join(pieces)
        elif length > _MAX_REQUEST_BODY:
            raise _BadMessage("request body too large for the fault proxy")
        else:
            body = b"".join(_iter_length(self.client_reader, length))
        return _Request(head, body, method, target, version, headers, continue_sent)

    def _serve(self) -> None:
        while True:
            request = self._read_request()
            if request is None:
                return
            self.proxy._count("requests")
            decision = self.proxy._decide(request.path)
            if decision.delay_s:
                self.proxy._count("delay")
                self.sleep_until(time.monotonic() + decision.delay_s)
            if decision.fault is not None:
                self.proxy._count(decision.fault)
            if decision.fault == "drop":
                return
            if decision.fault == "reset":
                self._rst_client = True
                return
            if decision.fault == "error_5xx":
                self.to_client.send(
                    _error_response(
                        decision.status,
                        head_only=request.method == "HEAD",
                        keep_alive=request.keep_alive,
                        note="error_5xx",
                    )
                )
                if not request.keep_alive:
                    return
                continue
            if not self._ensure_upstream():
                self.proxy._count("upstream_errors")
                note = "upstream unreachable"
                self.to_client.send(
                    _error_response(502, head_only=request.method == "HEAD", keep_alive=False, note=note)
                )
                return
            if not self._forward(request, decision):
                return

    def _forward(self, request: _Request, decision: _Decision) -> bool:
        """Relay one request and its response; returns whether the connection carries on."""
        assert self.to_upstream is not None and self.up_reader is not None
        if decision.fault == "truncate_request":
            if request.body:
                self.to_upstream.send(request.head + request.body[: len(request.body) // 2])
            else:
                self.to_upstream.send(request.head[: len(request.head) // 2])
            return False
        self.to_upstream.send(request.raw)
        self.proxy._count("forwarded")
        if decision.fault == "truncate_response":
            self._truncated_response(request)
            return False
        if decision.fault == "timeout_after_commit":
            self._buffered_response(self.up_reader, request)
            self._hold(decision.hold_s)
            return False
        if decision.fault == "duplicate":
            return self._duplicate(request, decision.pick_second)
        response = self._relay_response(request)
        if response.framing in ("close", "tunnel"):
            self._tunnel()
            return False
        return request.keep_alive and response.keep_alive

    def _final_head(self, reader: _Reader, request: _Request, forward_interim: bool) -> _Response:
        while True:
            response = _read_response_head(reader, request.method)
            if not response.interim:
                return response
            swallow = response.status == 100 and request.continue_sent
            if forward_interim and not swallow:
                self.to_client.send(response.head)

    def _relay_response(self, request: _Request) -> _Response:
        assert self.up_reader is not None
        response = self._final_head(self.up_reader, request, forward_interim=True)
        self.to_client.send(response.head)
        if response.framing == "length":
            for piece in _iter_length(self.up_reader, response.length):
                self.to_client.send(piece)
        elif response.framing == "chunked":
            for piece in _iter_chunked(self.up_reader):
                self.to_client.send(piece)
        return response

    def _buffered_response(self, reader: _Reader, request: _Request) -> tuple[_Response, bytes]:
        response = self._final_head(reader, request, forward_interim=False)
        if response.framing == "length":
            body = b"".join(_iter_length(reader, response.length))
        elif response.framing == "chunked":
            body = b"".join(_iter_chunked(reader))
        elif response.framing == "none":
            body = b""
        else:
            pieces = []
            while piece := reader.read_some(_READ_SIZE):
                pieces.append(piece)
            body = b"".join(pieces)
            if reader is self.up_reader:
                # The server has closed its side, so this upstream connection cannot carry another request.
                self._drop_upstream()
        return response, body

    def _truncated_response(self, request: _Request) -> None:
        assert self.up_reader is not None
        response = self._final_head(self.up_reader, request, forward_interim=True)
        if response.framing in ("close", "tunnel"):
            # A stream has no end to take half of: pass half of what comes first.
            body = self.up_reader.read_some(_READ_SIZE)
        elif response.framing == "none":
            body = b""
        elif response.framing == "length":
            body = b"".join(_iter_length(self.up_reader, response.length))
        else:
            body = b"".join(_iter_chunked(self.up_reader))
        if body:
            self.to_client.send(response.head + body[: len(body) // 2])
        else:
            self.to_client.send(response.head[: len(response.head) // 2])

    def _duplicate(self, request: _Request, pick_second: bool) -> bool:
        assert self.up_reader is not None
        first, first_body = self._buffered_response(self.up_reader, request)
        chosen, chosen_body = first, first_body
        try:
            sock, reader, pipe = self._open_upstream("to-upstream-dup")
        except OSError:
            self.proxy._count("upstream_errors")
        else:
            try:
                pipe.send(request.raw)
                self.proxy._count("forwarded")
                second, second_body = self._buffered_response(reader, request)
                if pick_second:
                    chosen, chosen_body = second, second_body
            finally:
                pipe.finish()
                sock.close()
        self.to_client.send(chosen.head + chosen_body)
        return request.keep_alive and chosen.keep_alive and self.upstream is not None

    def _hold(self, hold_s: float) -> None:
        deadline = time.monotonic() + hold_s
        while True:
            data = self.client_reader.recv(deadline)
            # None: the hold is over; b"": the client gave up. Anything else it sends goes unanswered, as it would
            # on a link that has silently died.
            if not data:
                return

    def _tunnel(self) -> None:
        assert self.upstream is not None and self.up_reader is not None and self.to_upstream is not None
        pending = self.up_reader.take_buffer()
        if pending:
            self.to_client.send(pending)
        pending = self.client_reader.take_buffer()
        if pending:
            self.to_upstream.send(pending)
        routes = {
            self.client.fileno(): (self.client, self.to_upstream),
            self.upstream.fileno(): (self.upstream, self.to_client),
        }
        with selectors.DefaultSelector() as selector:
            for sock, _ in routes.values():
                selector.register(sock, selectors.EVENT_READ)
            while True:
                if self.cut.is_set():
                    raise _Cut
                for key, _ in selector.select(_POLL_S):
                    sock, pipe = routes[key.fd]
                    try:
                        data = sock.recv(_READ_SIZE)
                    except TimeoutError:
                        continue
                    except OSError:
                        return
                    if not data:
                        return
                    pipe.send(data)


def _is_stale(sock: socket.socket) -> bool:
    """Whether an idle upstream connection has been closed (or sent something unasked) since its last response."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.settimeout(timeout)
    return True


class FaultProxy:
    """An HTTP/1.1 proxy on loopback that injects faults and link conditions between a client and its upstream.

    Args:
        upstream_host: the server's host.
        upstream_port: the server's port.
        seed: seeds the RNG the faults (and, separately, the link's losses) are drawn from.
        plan: the faults to inject; none by default. Change it with :meth:`set_plan`.
        link: the link to simulate; a perfect one (None) by default. Change it with :meth:`set_link`.
        listen_host: where to listen.
        listen_port: the port to listen on; 0 picks a free one (see :attr:`port`).

    Use it as a context manager, or call :meth:`start` and :meth:`stop`. All methods are thread-safe.
    """

    def __init__(
        self,
        upstream_host: str,
        upstream_port: int,
        *,
        seed: int = 0,
        plan: FaultPlan | None = None,
        link: LinkProfile | None = None,
        listen_host: str = "127.0.0.1",
        listen_port: int = 0,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self._listen_at = (listen_host, listen_port)
        self._plan = plan if plan is not None else FaultPlan()
        self._link = link
        self._rng = random.Random(seed)
        self._link_rng = random.Random(f"link-{seed}")
        self._lock = threading.Lock()
        self._stats: dict[str, int] = dict.fromkeys(_COUNTERS, 0)
        self.last_internal_error: BaseException | None = None
        self._connections: set[_Connection] = set()
        self._numbers = itertools.count(1)
        self._down = False
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._port = 0
        self._upstream_line = _Serializer()
        self._downstream = _Serializer()

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Bind and start serving on background threads; returns self."""
        if self._thread is not None:
            raise RuntimeError("the fault proxy is already started")
        listener = socket.create_server(self._listen_at, backlog=128)
        try:
            listener.settimeout(_POLL_S)
            self._port = listener.getsockname()[1]
            self._listener = listener
            self._thread = threading.Thread(
                target=self._accept_loop, name=f"fault-proxy-{self._port}-listen", daemon=True
            )
            self._thread.start()
        except BaseException:
            listener.close()
            raise
        return self

    def stop(self) -> None:
        """Close the listener and every connection, and wait for all the proxy's threads to end."""
        if self._thread is None:
            return
        self._stopping.set()
        self._thread.join()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            conn.cut.set()
        for conn in connections:
            conn.thread.join()

    def __enter__(self) -> FaultProxy:
        return self if self._thread is not None else self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port the proxy listens on (0 before :meth:`start`)."""
        return self._port

    @property
    def url(self) -> str:
        """The proxy's base URL, e.g. ``http://127.0.0.1:41234``, to give to the client instead of the server's."""
        if not self._port:
            raise RuntimeError("the fault proxy is not started")
        host = self._listen_at[0]
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self._port}"

    # -- control --------------------------------------------------------------------------------------------------

    @property
    def plan(self) -> FaultPlan:
        """The faults being injected."""
        return self._plan

    @property
    def link(self) -> LinkProfile | None:
        """The link being simulated; None for a perfect one."""
        return self._link

    def set_plan(self, plan: FaultPlan) -> None:
        """Use ``plan`` for the requests read from now on, on every connection."""
        with self._lock:
            self._plan = plan

    def set_link(self, link: LinkProfile | None) -> None:
        """Simulate ``link`` (None: a perfect one) for the data sent from now on."""
        with self._lock:
            self._link = link

    def set_down(self, down: bool) -> None:
        """Cut the link (True) or restore it (False).

        While the link is down, every connection is cut at once with an RST and new ones are accepted and reset
        straight away: what a client sees when its commune loses its internet link. Restoring it lets new
        connections through; the cut ones stay cut, as they would.
        """
        with self._lock:
            self._down = down
            victims = list(self._connections) if down else []
            self._stats["cut"] += len(victims)
            for conn in victims:
                conn.reset_on_cut = True
                conn.cut.set()

    @property
    def stats(self) -> dict[str, int]:
        """A snapshot of the counters: connections accepted, requests read, requests forwarded (a duplicate counts
        twice; a truncated request not at all), connections refused or cut by :meth:`set_down`, upstream
        connection failures, segments lost on the link, and how many times each fault in :data:`FAULT_KINDS` was
        injected."""
        with self._lock:
            return dict(self._stats)

    # -- internals ------------------------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        listener = self._listener
        assert listener is not None
        try:
            while not self._stopping.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stopping.is_set():
                        break
                    # The peer gave up before accept() (ECONNABORTED); there is nothing to serve.
                    continue
                self._admit(client)
        finally:
            listener.close()

    def _admit(self, client: socket.socket) -> None:
        with self._lock:
            if self._down or self._stopping.is_set():
                self._stats["refused"] += 1
                refuse = True
            else:
                self._stats["connections"] += 1
                refuse = False
        if refuse:
            _close_with_reset(client)
            return
        try:
            conn = _Connection(self, client, next(self._numbers))
        except BaseException:
            client.close()
            raise
        with self._lock:
            self._connections.add(conn)
            # set_down() may have run since the check above; a connection it did not see must not slip through.
            if self._down:
                conn.reset_on_cut = True
                conn.cut.set()
        conn.thread.start()

    def _forget(self, conn: _Connection) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _count(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._stats[key] += n

    def _note_internal_error(self, exc: BaseException) -> None:
        with self._lock:
            self.last_internal_error = exc
            self._stats["internal_errors"] += 1

    def _decide(self, path: str) -> _Decision:
        with self._lock:
            plan = self._plan
            if not plan.applies_to(path):
                return _Decision()
            draws = {name: self._rng.random() for name in _PROBABILITIES}
            status = self._rng.choice((500, 502, 503))
            pick_second = self._rng.random() < 0.5
        delay = plan.delay_s if draws["delay_p"] < plan.delay_p else 0.0
        fault = next((name for name in _TERMINAL_ORDER if draws[name] < getattr(plan, name)), None)
        return _Decision(delay, fault, status, pick_second, plan.hold_s)

    def _loss_stall(self, nbytes: int, link: LinkProfile) -> float:
        if link.loss <= 0:
            return 0.0
        segments = math.ceil(nbytes / _MSS)
        with self._lock:
            lost = sum(1 for _ in range(segments) if self._link_rng.random() < link.loss)
            self._stats["lost_segments"] += lost
        return lost * link.rto_s
