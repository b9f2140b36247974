"""A small, thread-safe HTTP/1.1 keep-alive client on the standard library, for talking to the centre server.

Why not a third-party client: every kiosk, counter and display makes a few requests a second at most, but the
benchmark runs hundreds of them in one process, where a heavier client's per-request cost (3× ours) became the
bottleneck. ``http.client`` does everything needed here: JSON bodies, timeouts, keep-alive, a streamed response.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

IDLE_MAX_S = 4.0  # below uvicorn's 5 s keep-alive: never reuse a connection the server is about to close

TransportError = (OSError, http.client.HTTPException)  # refused, reset, timed out, cut short


class Response:
    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class HttpPool:
    """Keep-alive connections to one server, shared by threads (each request borrows one connection).

    Args:
        base_url: "http://host:port" (plain HTTP: the centre's LAN; put TLS in front for anything wider).
        headers: sent with every request (the bearer token).
        timeout: seconds to connect and for each read.
    """

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"expected http://host:port, got {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.headers = headers
        self.timeout = timeout
        self._idle: list[tuple[float, http.client.HTTPConnection]] = []
        self._lock = threading.Lock()

    def connect(self, timeout: float | None = None) -> http.client.HTTPConnection:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)
        conn.connect()
        assert conn.sock is not None
        # Small requests must leave at once: Nagle's algorithm would hold them for the peer's delayed ACK.
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def _borrow(self) -> http.client.HTTPConnection:
        now = time.monotonic()
        with self._lock:
            while self._idle:
                since, conn = self._idle.pop()
                if now - since < IDLE_MAX_S:
                    return conn
                conn.close()
        return self.connect()

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        return self.prefix + path + ("?" + urlencode(params) if params else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """One request; raises one of :data:`TransportError` when no complete answer arrived."""
        data = None if body is None else json.dumps(body).encode()
        all_headers = {**self.headers, **(headers or {})}
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        conn = self._borrow()
        try:
            conn.request(method, self.url(path, params), body=data, headers=all_headers)
            r = conn.getresponse()
            payload = r.read()
        except BaseException:
            conn.close()
            raise
        if r.will_close:
            conn.close()
        else:
            with self._lock:
                self._idle.append((time.monotonic(), conn))
        return Response(r.status, payload)

    def close(self) -> None:
        with self._lock:
            for _, conn in self._idle:
                conn.close()
            self._idle.clear()
