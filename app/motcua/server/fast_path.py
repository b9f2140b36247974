"""The queue's hot requests answered on a short path: taking a number, call-next, start, finish, and the displays'
long-polled ``GET /api/v1/changes``.

Under a centre's full load these are nearly every request, and FastAPI's routing, dependency injection and
validation cost more CPU than the queue's own work. :class:`FastPath` sits between the guard
(:class:`~motcua.server.guard.Guard`, which still sees every request) and FastAPI. It takes a request only when it
recognises it whole: the route, a well-formed token of an allowed role (and counter), plain values in the path,
query and headers, a JSON body of the documented shape. It then applies what FastAPI would (the device's rate,
the same use case, the same answers and refusals) and answers. Anything else (a missing or bad token, a value
FastAPI would refuse or coerce, an unusual header) goes on to FastAPI untouched, so every refusal keeps its one
source, and the OpenAPI document still describes these routes (they stay declared there).

The fast path spends a device's rate only once it is sure to answer: a request handed on to FastAPI is charged
there, once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Sequence
from urllib.parse import parse_qsl

from motcua.domain.errors import MotcuaError
from motcua.domain.queue_codec import error_kind, to_json
from motcua.server.api_limits import CODE, MAX_ID, MAX_KEY, MAX_KINDS, MAX_WAIT_S
from motcua.server.auth import COUNTER, KIOSK, READ, TokenCheck
from motcua.server.guard import Asgi, Message, Receive, Scope, Send, TooFast
from motcua.server.json_body import loads
from motcua.services.queue.service import QueueService
from motcua.store.device_tokens import Device

API = "/api/v1"
STATUS = {
    "validation": 422,
    "not_found": 404,
    "transition": 409,
    "conflict": 409,
    "closed": 409,
    "paused": 409,
    "already_rated": 409,
    "nothing_to_rate": 409,
}
# Numbers as FastAPI would read them without a doubt: digits only, no sign, no leading zero, no spaces. Anything else
# (FastAPI coerces or refuses it) is left to FastAPI.
NUMBER = r"[1-9][0-9]{0,18}"
COUNTER_PATH = re.compile(rf"{API}/counters/({NUMBER})/(?:(call-next)|tickets/({NUMBER})/(start|finish))")
SINCE = re.compile(r"0|[1-9][0-9]{0,18}")
WAIT = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,6})?")
JSON_TYPES = (b"application/json", b"application/json; charset=utf-8", b"application/json;charset=utf-8")
JSON_HEADERS = [(b"content-type", b"application/json")]

# (seconds held, since, kinds, board) → the JSON text of the changes (motcua.server.changes_api).
ChangesText = Callable[[int, float, list[str], bool], Awaitable[str]]
# A queue write run by the writer (motcua.server.writer) → the JSON text of its answer (motcua.server.app).
WriteText = Callable[..., Awaitable[str]]


def refusal(exc: MotcuaError) -> tuple[int, dict[str, str]]:
    """The status and body of a refused use case (the same as FastAPI's exception handler answers)."""
    kind = error_kind(exc)
    return STATUS.get(kind, 400), {"error": kind, "message": str(exc)}


def _number(text: str) -> int | None:
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


class Unusual(Exception):
    """The request is not one the fast path takes as it is: FastAPI answers it.

    Args:
        receive: what FastAPI must read the request from, when the body was read here already.
    """

    def __init__(self, receive: Receive | None = None) -> None:
        super().__init__()
        self.receive = receive


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """The request's headers, each name once (a repeated one is unusual: which one counts is FastAPI's to say)."""
    out: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        if name in out:
            raise Unusual
        out[name] = value
    return out


def _key(headers: dict[bytes, bytes]) -> str | None:
    raw = headers.get(b"idempotency-key")
    if raw is None:
        return None
    key = raw.decode("latin-1")
    if len(key) > MAX_KEY:
        raise Unusual
    return key


class FastPath:
    """ASGI middleware: the hot queue requests (see the module's notes), everything else to ``app``.

    Args:
        app: the FastAPI application (behind this, in front of nothing else).
        tokens: the server's token check (the same cache and rate limiter as FastAPI's dependencies).
        write: runs a queue use case in the writer's next transaction and returns its answer's JSON text.
        nobody_to_call: ``(counter, key)`` → whether call-next there finds nobody (a read, on the event loop).
        service: the queue service (its use cases are what the writes run).
        changes: answers ``GET /changes`` (held until a change or the wait runs out).

    Attributes:
        answered: how many requests the fast path answered (tests check that the hot requests take it).
    """

    def __init__(
        self,
        app: Asgi,
        *,
        tokens: TokenCheck,
        write: WriteText,
        nobody_to_call: Callable[[int, str | None], bool],
        service: QueueService,
        changes: ChangesText,
    ) -> None:
        self.app = app
        self.tokens = tokens
        self.write = write
        self.nobody_to_call = nobody_to_call
        self.service = service
        self.changes = changes
        self.answered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            try:
                answer = await self._route(scope, receive)
            except Unusual as exc:
                answer, receive = None, exc.receive or receive
            if answer is not None:
                self.answered += 1
                await _send(send, *answer)
                return
        await self.app(scope, receive, send)

    def _device(self, headers: dict[bytes, bytes], roles: frozenset[str]) -> Device:
        raw = headers.get(b"authorization")
        if raw is None:
            raise Unusual
        scheme, _, token = raw.decode("latin-1").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unusual
        device = self.tokens.resolve(token)
        if device is None or device.role not in roles:
            raise Unusual
        return device

    def _spend(self, device: Device, scope: Scope) -> None:
        """One request of the device's rate (raises TooFast, answered as FastAPI answers it)."""
        self.tokens.rate.take(device.device, scope["method"], scope["path"])

    async def _route(self, scope: Scope, receive: Receive) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        method, path = scope["method"], scope["path"]
        if method == "GET" and path == f"{API}/changes":
            return await self._changes(scope)
        if method != "POST":
            return None
        if path == f"{API}/tickets":
            return await self._issue(scope, receive)
        match = COUNTER_PATH.fullmatch(path)
        if match is None:
            return None
        counter = _number(match.group(1))
        ticket = _number(match.group(3)) if match.group(3) else None
        if counter is None or (match.group(3) and ticket is None):
            return None
        headers = _headers(scope)
        if headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers:
            return None  # these take no body: one sent all the same is FastAPI's to read or ignore
        device = self._device(headers, COUNTER)
        bound = device.role == "counter" and device.counter is not None
        if bound and device.counter != counter:
            return None  # FastAPI refuses it (403) in its own words
        key = _key(headers)
        try:
            self._spend(device, scope)
            if match.group(2):
                return await self._call_next(counter, key)
            action = self.service.start if match.group(4) == "start" else self.service.finish
            return _ok(await self.write(action, counter, ticket, key=key))
        except TooFast as exc:
            return _too_fast(exc)
        except MotcuaError as exc:
            return _refused(exc)

    async def _call_next(self, counter: int, key: str | None) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
        # The idle clerk's repeated call-next is answered from one read on the event loop: no hop to the writer
        # thread, no write, no event. Only "nobody" is answered so; who is called is always the write's to decide.
        if self.nobody_to_call(counter, key):
            return 200, b'{"ticket": null}', JSON_HEADERS
        text = await self.write(lambda: {"ticket": to_json(self.service.call_next(counter, key=key, checked=True))})
        return _ok(text)

    async def _issue(self, scope: Scope, receive: Receive) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        headers = _headers(scope)
        length = headers.get(b"content-length")
        if length is None or b"transfer-encoding" in headers or not length.isdigit():
            return None
        kind = headers.get(b"content-type")
        if kind is not None and kind.lower() not in JSON_TYPES:
            return None
        device = self._device(headers, KIOSK)
        key = _key(headers)
        body = await _read_body(receive)
        try:
            service, group = _issue_body(body)
        except Unusual:
            raise Unusual(_replayed(body)) from None  # FastAPI reads the body taken here, as it came
        try:
            self._spend(device, scope)
            text = await self.write(self.service.issue_ticket, service, group, kiosk=device.device, key=key)
        except TooFast as exc:
            return _too_fast(exc)
        except MotcuaError as exc:
            return _refused(exc)
        return _ok(text)

    async def _changes(self, scope: Scope) -> tuple[int, bytes, list[tuple[bytes, bytes]]] | None:
        headers = _headers(scope)
        if headers.get(b"content-length", b"0") != b"0" or b"transfer-encoding" in headers:
            return None
        device = self._device(headers, READ)
        since, wait, kinds, board = _changes_query(scope["query_string"])
        try:
            self._spend(device, scope)
        except TooFast as exc:
            return _too_fast(exc)
        text = await self.changes(since, wait, [k for k in kinds.split(",") if k], board)
        return 200, text.encode("utf-8"), JSON_HEADERS


def _changes_query(raw: bytes) -> tuple[int, float, str, bool]:
    """(since, wait, kinds, board) of a plainly written query; anything FastAPI might read otherwise is unusual."""
    values: dict[str, str] = {}
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        if name in values:
            raise Unusual
        values[name] = value
    since_text = values.get("since", "0")
    wait_text = values.get("wait", "0")
    kinds = values.get("kinds", "")
    board_text = values.get("board", "false")
    if not SINCE.fullmatch(since_text) or not WAIT.fullmatch(wait_text) or len(kinds) > MAX_KINDS:
        raise Unusual
    since, wait = int(since_text), float(wait_text)
    if since > MAX_ID or wait > MAX_WAIT_S or board_text not in ("true", "false"):
        raise Unusual
    return since, wait, kinds, board_text == "true"


def _issue_body(body: bytes) -> tuple[str, str | None]:
    """(service, priority group) of a ticket request's body, when it is plainly of the documented shape."""
    try:
        data = loads(body)
    except ValueError:  # not JSON, or not valid Unicode (UnicodeEncodeError is a ValueError)
        raise Unusual from None
    if not isinstance(data, dict):
        raise Unusual
    service, group = data.get("service"), data.get("priority_group")
    if not isinstance(service, str) or len(service) > CODE:
        raise Unusual
    if group is not None and (not isinstance(group, str) or len(group) > CODE):
        raise Unusual
    return service, group


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise Unusual  # the client went away: FastAPI's to notice
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replayed(body: bytes) -> Receive:
    """A ``receive`` that gives ``body`` once, then whatever comes (a disconnect) from nowhere: for FastAPI."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _compact(value: object) -> bytes:
    """JSON as Starlette's JSONResponse writes it (the refusals FastAPI would have answered)."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _ok(text: str) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    return 200, text.encode("utf-8"), JSON_HEADERS


def _refused(exc: MotcuaError) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    status, body = refusal(exc)
    return status, _compact(body), JSON_HEADERS


def _too_fast(exc: TooFast) -> tuple[int, bytes, list[tuple[bytes, bytes]]]:
    body = _compact({"detail": exc.detail})
    extra = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (exc.headers or {}).items()]
    return exc.status_code, body, [*JSON_HEADERS, *extra]


async def _send(send: Send, status: int, body: bytes, headers: Sequence[tuple[bytes, bytes]]) -> None:
    raw = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})
