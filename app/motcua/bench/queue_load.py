"""The queue benchmark's simulated devices: kiosks, clerks and displays as coroutines over raw keep-alive sockets.

A thread and an ``http.client`` per device cost the client side more CPU than the server at a thousand clerks; on a
two-core machine the load generator would then be what is measured. Here each client process runs its share of the
devices on one event loop, each device with one kept-alive connection and a few lines of HTTP/1.1, and reports its
own CPU time, so that the figures say whether the client side kept up.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

SERVICES = ("HT", "DD", "KH", "TP")
CALL_KINDS = "called,recalled"


BOARD_KEY = b', "board": '


def changes_head(payload: bytes) -> dict[str, Any]:
    """A ``GET /changes`` answer with its board left undecoded (``"board"``: True when one came, else None).

    The board comes last (motcua.services.queue.changes), and a simulated display shows nothing: decoding a thousand
    counters' board twice a second for each of fifty displays was half the load generator's CPU, taken from the
    server on the same machine, and it was counted in the displays' latency. The whole answer is still read.
    """
    head, sep, rest = payload.partition(BOARD_KEY)
    if not sep:
        return dict(json.loads(payload))
    answer = dict(json.loads(head + b"}"))
    answer["board"] = None if rest.startswith(b"null") else True
    return answer


class HttpError(Exception):
    """A refused answer (4xx/5xx) or a broken connection."""


class Conn:
    """One kept-alive HTTP/1.1 connection (reopened after an error)."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.auth = f"Authorization: Bearer {token}\r\n" if token else ""
        self._r: asyncio.StreamReader | None = None
        self._w: asyncio.StreamWriter | None = None

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        timeout: float = 30.0,
        key: str = "",
        decode: Callable[[bytes], Any] = json.loads,
    ) -> Any:
        try:
            return await asyncio.wait_for(self._request(method, path, body, key, decode), timeout)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            self.close()
            raise HttpError(str(exc) or type(exc).__name__) from exc

    async def _request(self, method: str, path: str, body: Any, key: str, decode: Callable[[bytes], Any]) -> Any:
        if self._w is None:
            self._r, self._w = await asyncio.open_connection(self.host, self.port)
        assert self._r is not None
        data = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.auth}Content-Length: {len(data)}\r\n"
        if data:
            head += "Content-Type: application/json\r\n"
        if key:
            head += f"Idempotency-Key: {key}\r\n"
        self._w.write(head.encode() + b"\r\n" + data)
        status_line = await self._r.readuntil(b"\r\n")
        headers = await self._r.readuntil(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        payload = await self._r.readexactly(length)
        status = int(status_line.split()[1])
        if b"connection: close" in headers.lower():
            self.close()
        if status >= 400:
            raise HttpError(f"HTTP {status}: {payload[:200]!r}")
        return decode(payload) if payload else None

    def close(self) -> None:
        if self._w is not None:
            self._w.close()
        self._r = self._w = None


@dataclass
class Results:
    """What one client process saw (sent back to the parent as plain data)."""

    lat: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    issued: list[tuple[int, str, int]] = field(default_factory=list)
    called: list[int] = field(default_factory=list)
    call_sent: dict[int, float] = field(default_factory=dict)
    seen: list[tuple[int, float]] = field(default_factory=list)
    cpu_s: float = 0.0

    def plain(self) -> dict[str, Any]:
        return {k: dict(v) if isinstance(v, defaultdict) else v for k, v in self.__dict__.items()}


class Devices:
    def __init__(self, url: str, tokens: dict[str, str], stop_at: float) -> None:
        self.url, self.tokens, self.stop_at = url, tokens, stop_at
        self.out = Results()

    def _running(self) -> bool:
        return time.monotonic() < self.stop_at

    async def _timed(
        self,
        op: str,
        conn: Conn,
        method: str,
        path: str,
        body: Any = None,
        key: str = "",
        decode: Callable[[bytes], Any] = json.loads,
    ) -> tuple[Any, float] | None:
        t0 = time.monotonic()
        try:
            result = await conn.request(method, path, body, key=key, decode=decode)
        except HttpError:
            self.out.errors[op] += 1
            return None
        self.out.lat[op].append(time.monotonic() - t0)
        return result, t0

    async def _sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, min(seconds, self.stop_at - time.monotonic())))

    async def kiosk(self, i: int) -> None:
        conn, rnd = Conn(self.url, self.tokens[f"K{i}"]), random.Random(i)
        await self._sleep(rnd.uniform(0, 0.3))
        while self._running():
            body = {"service": rnd.choice(SERVICES), "priority_group": "elderly" if rnd.random() < 0.2 else None}
            out = await self._timed("issue", conn, "POST", "/api/v1/tickets", body)
            if out:
                t = out[0]["ticket"]
                self.out.issued.append((t["id"], t["service"], t["number"]))
            await self._sleep(rnd.uniform(0.1, 0.3))
        conn.close()

    async def clerk(self, n: int) -> None:
        conn, rnd = Conn(self.url, self.tokens[f"C{n}"]), random.Random(1000 + n)
        await self._sleep(rnd.uniform(0, 2))
        calls = 0
        while self._running():
            calls += 1
            path = f"/api/v1/counters/{n}/call-next"
            out = await self._timed("call_next", conn, "POST", path, key=f"C{n}-{calls}")
            if out is None:  # timed out or dropped: the same key again answers what the centre did, never twice
                out = await self._timed("call_next_retry", conn, "POST", path, key=f"C{n}-{calls}")
            if not out or out[0]["ticket"] is None:
                await self._sleep(0.5)
                continue
            ticket_id = out[0]["ticket"]["id"]
            self.out.called.append(ticket_id)
            self.out.call_sent[ticket_id] = out[1]
            await self._timed("start", conn, "POST", f"/api/v1/counters/{n}/tickets/{ticket_id}/start")
            await self._sleep(rnd.uniform(1, 3))
            await self._timed("finish", conn, "POST", f"/api/v1/counters/{n}/tickets/{ticket_id}/finish")
        conn.close()

    async def display(self, i: int) -> None:
        """Long-polls "what changed since N" for the calls, with the board at most twice a second."""
        conn, board_at = Conn(self.url, self.tokens[f"D{i}"]), 0.0
        first = await self._timed("display_changes", conn, "GET", "/api/v1/changes?since=0")
        since = first[0]["seq"] if first else 0  # switched on: from now on, nothing of the past
        while self._running():
            board = time.monotonic() - board_at > 0.5
            wait = max(0.0, min(10.0, self.stop_at - time.monotonic()))
            path = f"/api/v1/changes?since={since}&wait={wait:.2f}&kinds={CALL_KINDS}&board={str(board).lower()}"
            out = await self._timed("display_changes", conn, "GET", path, decode=changes_head)
            if out is None:
                await self._sleep(0.2)
                continue
            now = time.monotonic()
            answer = out[0]
            self.out.seen += [(e["ticket_id"], now) for e in answer["events"] if e["ticket_id"] is not None]
            since = answer["seq"]
            if answer["board"] is not None:
                board_at = now
        conn.close()


def client_process(
    url: str, tokens: dict[str, str], devices: dict[str, list[int]], start_at: float, stop_at: float, pipe: Any
) -> None:
    """One client process: run ``devices`` (role → numbers) from ``start_at`` to ``stop_at`` (monotonic, the same
    clock in every process of the machine), then send back the results."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # plain asyncio works, at some more client CPU
        pass
    load = Devices(url, tokens, stop_at)

    async def main() -> None:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        jobs = [load.display(i) for i in devices.get("display", [])]
        jobs += [load.kiosk(i) for i in devices.get("kiosk", [])]
        jobs += [load.clerk(n) for n in devices.get("clerk", [])]
        await asyncio.gather(*jobs)

    asyncio.run(main())
    load.out.cpu_s = time.process_time()
    pipe.send(load.out.plain())
    pipe.close()


async def saturate(url: str, path: str, bodies: Any, tokens: list[str], seconds: float) -> tuple[int, int]:
    """Closed loop: one connection per token sends requests back to back for ``seconds``; (answered, errors)."""
    stop_at = time.monotonic() + seconds
    counts = [0, 0]

    async def one(token: str) -> None:
        conn = Conn(url, token)
        while time.monotonic() < stop_at:
            try:
                await conn.request("POST", path, next(bodies))
                counts[0] += 1
            except HttpError:
                counts[1] += 1
        conn.close()

    await asyncio.gather(*(one(t) for t in tokens))
    return counts[0], counts[1]
