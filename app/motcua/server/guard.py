"""What keeps one misbehaving client from hurting the others: body size limits, open requests per address, a rate
per device token, and deadlines for slow senders.

The centre serves a room of kiosks, counters and displays on one LAN, so every limit here is generous for a device
doing its job and small for a loop or a script: a kiosk prints a ticket every few seconds, not hundreds a second.

- :class:`Guard` (ASGI middleware, before routing): a body larger than its route family allows is refused with 413
  before a byte of it is read (``Content-Length``), or as soon as a streamed (chunked) body passes the limit; an
  address with too many requests open at once gets 429.
- :class:`RateLimiter`: a token bucket per device and kind of request (writes of the queue API, everything else),
  applied once the token is known (:mod:`motcua.server.auth`); 429 with ``Retry-After``.
- :func:`guarded_protocol`: uvicorn's httptools protocol with deadlines: the request line and headers must arrive
  within ``header_timeout_s`` (a "slowloris" holding connections with a byte now and then is cut), a body within
  ``body_timeout_s`` plus one second per ``body_min_rate`` bytes, and a connection whose answer went out before its
  body was read is closed rather than drained.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import HTTPException
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from motcua.i18n import tr

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

KIB = 1024
MIB = 1024 * KIB
SYNC_PREFIX = "/api/v1/sync/"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IDLE, HEADERS, BODY = 0, 1, 2  # where a connection is in reading a request


@dataclass(frozen=True, slots=True)
class Limits:
    """Every limit of a server in one place (tests pass smaller ones to reach them quickly).

    Attributes:
        body_limits: (path prefix, most bytes) per route family; the longest matching prefix wins.
        default_body: the most bytes of a body elsewhere (the queue API's JSON bodies are a few hundred bytes).
        per_ip_open: requests one address may have open at once (0: no limit). Push streams count.
        loopback_exempt: addresses of this PC are not counted (a one-PC centre's windows, the benchmark).
        write_rate, write_burst: queue writes (ticket, call, start…) per second per device, and the burst allowed.
        read_rate, read_burst: every other request of a device (reads, the sync of a workstation).
        header_timeout_s: the request line and headers must arrive within this many seconds.
        body_timeout_s, body_min_rate: a body must arrive within this many seconds, plus one per this many bytes.
        keep_alive_s: an idle kept-alive connection is closed after this many seconds.
        max_header_bytes: the most bytes of a request line and headers.
        token_cache: the most made-up or revoked tokens whose lookup is remembered (the devices' own are all kept).
    """

    body_limits: tuple[tuple[str, int], ...] = (
        (f"{SYNC_PREFIX}uploads/", 4 * MIB),  # sync_api.MAX_CHUNK: one chunk of a file
        (SYNC_PREFIX, 8 * MIB),  # a batch of events (the client aims at 2 MB at most)
        ("/api/v1/dvc/", 8 * MIB),
    )
    default_body: int = 64 * KIB
    per_ip_open: int = 32
    loopback_exempt: bool = True
    write_rate: float = 10.0
    write_burst: int = 30
    read_rate: float = 100.0
    read_burst: int = 300
    header_timeout_s: float = 5.0
    body_timeout_s: float = 5.0
    body_min_rate: int = 4 * KIB
    keep_alive_s: float = 5.0
    max_header_bytes: int = 32 * KIB
    token_cache: int = 1024

    def body_limit(self, path: str) -> int:
        best, limit = -1, self.default_body
        for prefix, size in self.body_limits:
            if path.startswith(prefix) and len(prefix) > best:
                best, limit = len(prefix), size
        return limit


DEFAULT_LIMITS = Limits()

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A dict that forgets its least recently used entries beyond ``size`` (thread-safe)."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class TooLarge(HTTPException):
    """A body past its route's limit: 413, and the connection is closed (the rest is not read)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit), headers={"Connection": "close"})


class TooFast(HTTPException):
    def __init__(self, retry_after: float, message: str) -> None:
        super().__init__(429, message, headers={"Retry-After": str(max(1, math.ceil(retry_after)))})


def too_large_message(limit: int) -> str:
    if limit >= MIB:
        return tr("Nội dung yêu cầu quá lớn (tối đa {size} MB)", size=limit // MIB)
    return tr("Nội dung yêu cầu quá lớn (tối đa {size} KB)", size=max(1, limit // KIB))


class RateLimiter:
    """Token buckets per (device, kind of request), the least recently used forgotten beyond ``size``."""

    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic, size: int = 4096) -> None:
        self._limits = limits
        self._clock = clock
        self._buckets: Lru[tuple[str, bool], list[float]] = Lru(size)
        self._lock = threading.Lock()

    def take(self, device: str, method: str, path: str) -> None:
        """Spend one request of ``device``; raises :class:`TooFast` (429) when its bucket is empty."""
        write = method in WRITES and not path.startswith(SYNC_PREFIX)
        rate, burst = (
            (self._limits.write_rate, self._limits.write_burst)
            if write
            else (self._limits.read_rate, self._limits.read_burst)
        )
        if rate <= 0:
            return
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get((device, write))
            if bucket is None:
                bucket = [float(burst), now]
                self._buckets.put((device, write), bucket)
            tokens = min(float(burst), bucket[0] + (now - bucket[1]) * rate)
            bucket[1] = now
            if tokens < 1.0 - 1e-9:  # a device exactly at its rate must not be refused for a rounding error
                bucket[0] = tokens
                raise TooFast(
                    (1.0 - tokens) / rate,
                    tr("Thiết bị {device} gửi quá nhiều yêu cầu; hãy thử lại sau ít giây", device=device),
                )
            bucket[0] = tokens - 1.0


@functools.lru_cache(maxsize=1024)  # asked on every request; parsing the address each time is the guard's dearest step
def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _framing(headers: list[tuple[bytes, bytes]]) -> tuple[int | None, bool]:
    """(Content-Length, whether the body is chunked) of a request."""
    length, chunked = None, False
    for name, value in headers:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None  # (the HTTP parser has refused it already)
        elif name == b"transfer-encoding":
            chunked = True
    return length, chunked


async def refuse(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    """Answer ``{"detail": message}`` with ``status`` (FastAPI's shape for a refused request)."""
    body = json.dumps({"detail": message}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


class Guard:
    """ASGI middleware: body limits per route family and open requests per address (see the module's notes).

    It runs on the event loop's one thread, so its counters need no lock.
    """

    def __init__(self, app: Asgi, limits: Limits = DEFAULT_LIMITS) -> None:
        self.app = app
        self.limits = limits
        self.open: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length, chunked = _framing(scope["headers"])
        limit = self.limits.body_limit(scope["path"]) if length or chunked else 0
        if length is not None and length > limit:
            await refuse(send, 413, too_large_message(limit), {"Connection": "close"})
            return
        client = scope.get("client")
        ip = client[0] if client else ""
        cap = self.limits.per_ip_open
        counted = cap > 0 and not (self.limits.loopback_exempt and _loopback(ip))
        if counted:
            held = self.open.get(ip, 0)
            if held >= cap:
                message = tr("Quá nhiều yêu cầu đồng thời từ địa chỉ {ip}; hãy thử lại sau", ip=ip)
                await refuse(send, 429, message, {"Retry-After": "1"})
                return
            self.open[ip] = held + 1
        try:
            if chunked:
                await self._chunked(scope, receive, send, limit)
            else:
                # A Content-Length body is cut at its length by the HTTP parser, and that length was checked above:
                # nothing to count (most requests take this path, at no cost).
                await self.app(scope, receive, send)
        finally:
            if counted:
                left = self.open[ip] - 1
                if left:
                    self.open[ip] = left
                else:
                    del self.open[ip]

    async def _chunked(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Serve a request whose body is chunked (its size unknown until its end): refuse it once past ``limit``."""
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except TooLarge as exc:
            # Raised outside a route (where FastAPI would have answered it): answer it here if nothing went out.
            if started:
                raise
            await refuse(send, 413, str(exc.detail), {"Connection": "close"})


class HeadersTooLarge(Exception):
    pass


def guarded_protocol(limits: Limits = DEFAULT_LIMITS) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with the deadlines and header limit of ``limits`` (``uvicorn.Config(http=…)``)."""

    class GuardedHttpToolsProtocol(HttpToolsProtocol):
        # A timer is armed only when a request does not arrive whole in one read, so a plain request costs none.
        _deadline: asyncio.TimerHandle | None = None
        _due: float = 0.0
        _phase: int = IDLE
        _header_bytes: int = 0
        _refused: bool = False

        def _arm(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_at(self._due, self._expired)

        def _expired(self) -> None:
            self._deadline = None
            if self._phase == IDLE or self.transport is None or self.transport.is_closing():
                return
            now = self.loop.time()
            if now < self._due or (self._phase == BODY and self.flow is not None and self.flow.read_paused):
                # Extended meanwhile, or we stopped reading (the app is busy, not the client slow): look again later.
                self._deadline = self.loop.call_at(max(self._due, now + 0.5), self._expired)
                return
            self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            # A connection that never sends a request line is a slow sender too.
            self._phase, self._header_bytes = HEADERS, 0
            self._due = self.loop.time() + limits.header_timeout_s
            self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._phase = IDLE
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._phase != IDLE and not self.transport.is_closing():
                self._arm()

        def _count_header(self, size: int) -> None:
            self._header_bytes += size
            if self._header_bytes > limits.max_header_bytes and not self._refused:
                self._refused = True
                self.transport.write(
                    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                self.transport.close()
                raise HeadersTooLarge  # stops the parser; uvicorn's answer to it is skipped below

        def send_400_response(self, msg: str) -> None:
            if not self._refused:
                super().send_400_response(msg)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._phase, self._header_bytes = HEADERS, 0
            self._due = self.loop.time() + limits.header_timeout_s

        def on_url(self, url: bytes) -> None:
            self._count_header(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count_header(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._phase = BODY
            self._due = self.loop.time() + limits.body_timeout_s
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            self._due += len(body) / limits.body_min_rate
            super().on_body(body)

        def on_message_complete(self) -> None:
            self._phase = IDLE
            super().on_message_complete()

        def on_response_complete(self) -> None:
            unread = self.cycle is not None and self.cycle.more_body
            super().on_response_complete()
            if unread and not self.transport.is_closing():
                # Answered before its body was read (413, 401…): draining the rest would let it go on sending.
                self.transport.close()

    return GuardedHttpToolsProtocol
