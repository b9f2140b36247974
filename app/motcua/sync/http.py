"""A small, thread-safe HTTP/1.1 keep-alive client on the standard library, for talking to the centre server.

Why not a third-party client: every kiosk, counter and display makes a few requests a second at most, but the
benchmark runs hundreds of them in one process, where a heavier client's per-request cost (3× ours) became the
bottleneck. ``http.client`` does everything needed here: JSON bodies, timeouts, keep-alive, a streamed response.
"""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from motcua.domain.tls_pin import fingerprint

IDLE_MAX_S = 4.0  # below uvicorn's 5 s keep-alive: never reuse a connection the server is about to close

TransportError = (OSError, http.client.HTTPException)  # refused, reset, timed out, cut short


class Response:
    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.body = body
        self.headers = headers or {}  # names in lower case

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object; {} when it is none (empty, not JSON, a list): what a refusal's reader wants."""
        try:
            data = self.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


def error_message(body: bytes) -> str:
    """The message of a server's refusal (``{"message": …}`` or FastAPI's ``{"detail": …}``), for a person."""
    try:
        data = json.loads(body)
    except ValueError:
        return body[:200].decode("utf-8", "replace")
    if isinstance(data, dict):
        return str(data.get("message") or data.get("detail") or "")[:300]
    return str(data)[:300]


class PinMismatch(ssl.SSLError):
    """The server's certificate is not the one this client was told to trust."""


@dataclass(frozen=True, slots=True)
class Tls:
    """How a client trusts an https server.

    Attributes:
        ca_file: a PEM file of the CA (or the self-signed certificate) to verify the server with.
        pin_sha256: the SHA-256 fingerprint (hex, colons allowed) of the server's certificate: trusted when it
            matches exactly, whoever signed it (what a centre does with a province's self-signed certificate).
        check_hostname: with ``ca_file``, also require the certificate to name the host.
    """

    ca_file: str = ""
    pin_sha256: str = ""
    check_hostname: bool = False

    def context(self) -> ssl.SSLContext:
        if self.pin_sha256:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE  # the pin below is the check, stricter than any CA
            return ctx
        ctx = ssl.create_default_context(cafile=self.ca_file or None)
        ctx.check_hostname = self.check_hostname
        return ctx

    def check_pin(self, sock: ssl.SSLSocket) -> None:
        if not self.pin_sha256:
            return
        der = sock.getpeercert(binary_form=True) or b""
        want = self.pin_sha256.replace(":", "").lower()
        got = fingerprint(der)
        if got != want:
            raise PinMismatch(f"server certificate {got[:16]}… is not the pinned {want[:16]}…")


class HttpPool:
    """Keep-alive connections to one server, shared by threads (each request borrows one connection).

    Args:
        base_url: "http://host:port" on the centre's LAN, or "https://host:port" (with ``tls``) across a WAN.
        headers: sent with every request (the bearer token).
        timeout: seconds to connect and for each read.
        tls: how to trust an https server (default: the system's CAs).
    """

    def __init__(self, base_url: str, headers: dict[str, str], timeout: float, tls: Tls | None = None) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"expected http(s)://host:port, got {base_url!r}")
        self.https = parts.scheme == "https"
        self.host = parts.hostname
        self.port = parts.port or (443 if self.https else 80)
        self.prefix = parts.path.rstrip("/")
        self.headers = headers
        self.timeout = timeout
        self.tls = tls or Tls()
        self._ssl = self.tls.context() if self.https else None
        self._idle: list[tuple[float, http.client.HTTPConnection]] = []
        self._lock = threading.Lock()

    def connect(self, timeout: float | None = None) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self._ssl is not None:
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=timeout or self.timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout or self.timeout)
        conn.connect()
        assert conn.sock is not None
        if isinstance(conn.sock, ssl.SSLSocket):
            try:
                self.tls.check_pin(conn.sock)
            except PinMismatch:
                conn.close()
                raise
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
        all_headers = {**self.headers, **(headers or {})}
        data: bytes | None
        if isinstance(body, bytes | bytearray | memoryview):
            data = bytes(body)
            all_headers.setdefault("Content-Type", "application/octet-stream")
        else:
            data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
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
        return Response(r.status, payload, {k.lower(): v for k, v in r.getheaders()})

    def close(self) -> None:
        with self._lock:
            for _, conn in self._idle:
                conn.close()
            self._idle.clear()
