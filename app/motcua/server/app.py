"""The centre server's HTTP API (FastAPI): kiosks, counters, displays, rating pads, dossier-number leases, push.

All answers are JSON; a refused use case is ``{"error": kind, "message": text}`` with the message already
translated, a refused caller or malformed request FastAPI's ``{"detail": …}``; the status says the class: 401 no
or bad token, 403 role not allowed, 404 not found, 409 conflict / closed / paused / state / a lease limit, 422
invalid input, 400 any other refusal, 413 a body too large, 429 too many requests of one device or address
(``Retry-After``; docs/server-hardening.md). Writes accept an ``Idempotency-Key`` header: the same key answers
with the first result (stored in the same transaction as the change). The sync of the centre's workstations is
under ``/api/v1/sync`` (docs/sync.md), its conflicts under ``/api/v1/sync/conflicts`` for a supervisor's PC
(:mod:`motcua.server.conflicts_api`); ratings, presence and the reports' queue facts in
:mod:`motcua.server.supervision_api`.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Annotated, Any, Protocol

from fastapi import Depends, FastAPI, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from motcua.domain.errors import MotcuaError
from motcua.domain.queue import Ticket
from motcua.domain.queue_codec import to_json
from motcua.domain.queue_views import Board, CounterView, IssuedTicket, KioskView, QueueEvent
from motcua.i18n import tr
from motcua.server.api_limits import CODE, MAX_ID, MAX_KEY
from motcua.server.auth import COUNTER, KIOSK, LEASES, READ, TokenCheck, check_counter, require, require_async
from motcua.server.changes_api import changes_text, create_changes_router
from motcua.server.checkpoints import Checkpoints
from motcua.server.conflicts_api import create_conflicts_router
from motcua.server.db_watch import DatabaseWatch
from motcua.server.devices_api import create_devices_router
from motcua.server.fast_path import FastPath, refusal
from motcua.server.guard import DEFAULT_LIMITS, Guard, Limits
from motcua.server.health_api import create_health_router
from motcua.server.json_body import JsonRoute
from motcua.server.node_auth import workstation_peers
from motcua.server.openapi_errors import document_errors, refusals
from motcua.server.push import AsyncNotifier, sse_stream
from motcua.server.supervision_api import create_supervision_router
from motcua.server.sync_api import create_sync_router
from motcua.server.writer import QueueWriter
from motcua.services.leases import EmbeddedCentreLeases, LeaseLimitError
from motcua.services.queue.service import QueueService
from motcua.services.sync_node import SyncNode
from motcua.store.device_tokens import Device

API = "/api/v1"
Key = Annotated[str | None, Header(alias="Idempotency-Key", max_length=MAX_KEY)]
TicketId = Annotated[int, Path(ge=1, le=MAX_ID)]
CounterNo = Annotated[int, Path(ge=1, le=MAX_ID, description="the counter's number in queue.toml")]


class IssueBody(BaseModel):
    service: str = Field(max_length=CODE, description="service code from queue.toml, e.g. HT")
    priority_group: str | None = Field(
        None, max_length=CODE, description="priority group code, or null for a regular ticket"
    )


class TransferBody(BaseModel):
    to_service: str | None = Field(None, max_length=CODE)
    to_counter: int | None = Field(None, ge=1, le=MAX_ID)


class LinkBody(BaseModel):
    dossier_code: str = Field(max_length=CODE)


class LeaseBody(BaseModel):
    agency_id: str = Field(max_length=35, description="the agency whose dossier codes are numbered")
    day: date
    station_id: str = Field(min_length=1, max_length=64)
    size: int = Field(gt=0, le=10000, description="numbers wanted; the centre may lease fewer")


class LeaseOut(BaseModel):
    first: int
    last: int


class SeqOut(BaseModel):
    seq: int


class CallOut(BaseModel):
    ticket: Ticket | None


# Newer FastAPI releases trace every request through OpenTelemetry when a provider is configured, and look for one in
# the environment on every request to find out. The centre server exports no traces: saying so once spares the
# lookups (a twentieth of the event loop's time under a full centre's load). Older releases have no such option.
NO_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters
    else {}
)


def _json(value: Any, status: int = 200) -> Response:
    # Built by hand rather than through response_model: the shapes are documented below all the same, and
    # skipping a second validation of our own dataclasses keeps the hot paths (issue, call) cheap.
    return Response(json.dumps(to_json(value), ensure_ascii=False), status, media_type="application/json")


def _doc(model: Any, *refused: int) -> dict[int | str, dict[str, Any]]:
    """The answer's model, and the statuses its use case refuses with (the guard's and the token's are added to
    every operation by :func:`~motcua.server.openapi_errors.document_errors`)."""
    return {200: {"model": model}, **refusals(*refused)}


LOCAL_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$"


def _local_times(node: Any) -> None:
    """Document the queue's times as what they are: the centre's wall-clock time without an offset
    (``2026-12-01T09:30:00``), which is not the RFC 3339 ``date-time`` the models would otherwise claim."""
    if isinstance(node, dict):
        if node.get("format") == "date-time":
            del node["format"]
            node["pattern"] = LOCAL_TIME
            node.setdefault("description", "local time at the centre, ISO 8601 without an offset")
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


class Background(Protocol):
    """Something the server runs beside its requests (the centre's sync with the province)."""

    def start(self) -> object: ...

    def stop(self, timeout: float = ...) -> None: ...


def create_app(
    service: QueueService,
    leases: EmbeddedCentreLeases,
    role: str = "center",
    *,
    sync: SyncNode | None = None,
    agency_id: str = "",
    background: Sequence[Background] = (),
    limits: Limits = DEFAULT_LIMITS,
    shared: bool = False,
    checkpoint: bool = False,
) -> FastAPI:
    """The ASGI application around a :class:`QueueService` (the caller owns and closes the stores).

    Args:
        sync: the centre's sync node: serves ``/api/v1/sync`` to its workstations.
        agency_id: the centre's agency (the origins and dossier codes its workstations may use).
        background: started with the server and stopped with it (the sync runner towards the province).
        limits: body sizes, open requests per address, requests per device (:mod:`motcua.server.guard`).
        shared: other processes serve the same database too (:mod:`motcua.server.workers`): what they commit
            wakes this one's long-polls and push streams (:mod:`motcua.server.db_watch`).
        checkpoint: this process checkpoints the database's WAL on a thread of its own, never inside a write's
            commit (:mod:`motcua.server.checkpoints`); ``shared`` processes without it leave checkpoints to the one
            with it.
    """
    notifier = AsyncNotifier(service.feed)
    tokens = TokenCheck(service.store, limits)
    # The queue's writes run on the event loop, those waiting together in one transaction: they serialise on the
    # database's write lock anyway, and threads handing the GIL back and forth around every statement held that lock
    # twice as long (motcua.server.writer).
    writer = QueueWriter(service.store, service.feed, service.commit_failed)

    async def write_text(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
        # The answer is serialised inside the batch too.
        return str(await writer.run(lambda: json.dumps(to_json(fn(*args, **kwargs)), ensure_ascii=False)))

    async def write(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Response:
        return Response(await write_text(fn, *args, **kwargs), media_type="application/json")

    sync_notifier = AsyncNotifier(sync.feed) if sync is not None else None
    watch = None
    if shared:
        heads: list[Callable[[], None]] = [service.publish_head, *([sync.announce] if sync is not None else [])]
        watch = DatabaseWatch(service.store.path, heads)

    checkpoints = Checkpoints(service.store.path) if checkpoint else None
    if checkpoints is not None or shared:
        service.store.leave_checkpoints()  # a shared database is checkpointed by the process that runs the jobs

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if checkpoints is not None:
            checkpoints.start()
        notifier.attach()
        if sync_notifier is not None:
            sync_notifier.attach()
        if watch is not None:
            watch.start()
        for job in background:
            job.start()
        yield
        for job in background:
            job.stop(5.0)
        if watch is not None:
            await watch.stop()
        if checkpoints is not None:
            checkpoints.stop()
        notifier.close()
        writer.close()
        if sync_notifier is not None:
            sync_notifier.close()

    app = FastAPI(
        title="MotCua Desk centre server",
        version="1.0",
        description=__doc__,
        lifespan=lifespan,
        **NO_TELEMETRY,
    )
    app.router.route_class = JsonRoute
    # Added first, so it runs inside the guard: the guard's limits apply to the fast path's requests too.
    app.add_middleware(
        FastPath,
        tokens=tokens,
        write=write_text,
        nobody_to_call=service.nobody_to_call,
        service=service,
        changes=lambda since, wait, kinds, board: changes_text(service, notifier, since, wait, kinds, board),
    )
    app.add_middleware(Guard, limits=limits)
    app.state.notifier = notifier
    app.state.background = list(background)
    app.state.checkpoints = checkpoints
    app.state.tokens = tokens
    generated = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _local_times(document_errors(generated(), public=[f"{API}/health"]))
        return app.openapi_schema or generated()

    app.openapi = openapi  # type: ignore[method-assign]
    reader = Depends(require_async(tokens, READ))
    kiosk = Depends(require_async(tokens, KIOSK))
    clerk = Depends(require_async(tokens, COUNTER))
    leaser = Depends(require(tokens, LEASES))

    @app.exception_handler(MotcuaError)
    async def refused(_: Request, exc: MotcuaError) -> JSONResponse:
        if isinstance(exc, LeaseLimitError):
            return JSONResponse({"error": "lease_limit", "message": str(exc)}, 409)
        status, body = refusal(exc)
        return JSONResponse(body, status)

    @app.get(f"{API}/health", tags=["server"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "role": role, "centre": service.centre, "seq": service.feed.seq}

    @app.get(f"{API}/kiosk", tags=["kiosk"], responses=_doc(KioskView))
    def kiosk_view(device: Device = reader) -> Response:
        return _json(service.kiosk_view())

    @app.post(f"{API}/tickets", tags=["kiosk"], responses=_doc(IssuedTicket, 400, 404, 409, 422))
    async def issue(body: IssueBody, key: Key = None, device: Device = kiosk) -> Response:
        return await write(service.issue_ticket, body.service, body.priority_group, kiosk=device.device, key=key)

    @app.post(f"{API}/tickets/{{ticket_id}}/cancel", tags=["kiosk"], responses=_doc(Ticket, 400, 404, 409, 422))
    async def cancel(ticket_id: TicketId, key: Key = None, device: Device = kiosk) -> Response:
        return await write(service.cancel_ticket, ticket_id, key=key)

    @app.get(f"{API}/tickets/{{ticket_id}}", tags=["read"], responses=_doc(Ticket, 404))
    def ticket(ticket_id: TicketId, device: Device = reader) -> Response:
        return _json(service.ticket(ticket_id))

    @app.post(f"{API}/counters/{{counter}}/call-next", tags=["counter"], responses=_doc(CallOut, 400, 404, 409, 422))
    async def call_next(counter: CounterNo, key: Key = None, device: Device = clerk) -> Response:
        check_counter(device, counter)
        if service.nobody_to_call(counter, key):  # on the event loop: see motcua.server.fast_path
            return _json({"ticket": None})
        return await write(lambda: {"ticket": to_json(service.call_next(counter, key=key, checked=True))})

    def ticket_action(name: str, fn: Callable[..., Ticket]) -> None:
        async def action(counter: CounterNo, ticket_id: TicketId, key: Key = None, device: Device = clerk) -> Response:
            check_counter(device, counter)
            return await write(fn, counter, ticket_id, key=key)

        app.post(
            f"{API}/counters/{{counter}}/tickets/{{ticket_id}}/{name}",
            tags=["counter"],
            responses=_doc(Ticket, 400, 404, 409, 422),
            name=name,
        )(action)

    ticket_action("recall", service.recall)
    ticket_action("start", service.start)
    ticket_action("finish", service.finish)
    ticket_action("no-show", service.no_show)

    @app.post(
        f"{API}/counters/{{counter}}/tickets/{{ticket_id}}/transfer",
        tags=["counter"],
        responses=_doc(Ticket, 400, 404, 409, 422),
    )
    async def transfer(
        counter: CounterNo, ticket_id: TicketId, body: TransferBody, key: Key = None, device: Device = clerk
    ) -> Response:
        check_counter(device, counter)
        return await write(
            service.transfer, counter, ticket_id, to_service=body.to_service, to_counter=body.to_counter, key=key
        )

    @app.post(
        f"{API}/counters/{{counter}}/tickets/{{ticket_id}}/dossiers",
        tags=["counter"],
        responses=_doc(Ticket, 400, 404, 409, 422),
    )
    async def link(
        counter: CounterNo, ticket_id: TicketId, body: LinkBody, key: Key = None, device: Device = clerk
    ) -> Response:
        check_counter(device, counter)
        return await write(service.link_dossier, counter, ticket_id, body.dossier_code, key=key)

    @app.post(f"{API}/counters/{{counter}}/pause", tags=["counter"], responses=_doc(CounterView, 400, 404, 409, 422))
    async def pause(counter: CounterNo, key: Key = None, device: Device = clerk) -> Response:
        check_counter(device, counter)
        return await write(service.pause, counter, key=key)

    @app.post(f"{API}/counters/{{counter}}/resume", tags=["counter"], responses=_doc(CounterView, 400, 404, 409, 422))
    async def resume(counter: CounterNo, key: Key = None, device: Device = clerk) -> Response:
        check_counter(device, counter)
        return await write(service.resume, counter, key=key)

    @app.get(f"{API}/board", tags=["read"], responses=_doc(Board))
    def board(last_calls: Annotated[int, Query(ge=0, le=100)] = 10, device: Device = reader) -> Response:
        # Built once per change and shared by every reader (motcua.services.queue.changes).
        return Response(service.board_json(last_calls), media_type="application/json")

    @app.get(f"{API}/events", tags=["read"], responses=_doc(list[QueueEvent]))
    def events(
        after: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        kinds: Annotated[str, Query(max_length=500, description="comma-separated, e.g. called,recalled")] = "",
        device: Device = reader,
    ) -> Response:
        wanted = [k for k in kinds.split(",") if k]
        return _json(service.events(after, limit, wanted))

    @app.get(f"{API}/seq", tags=["push"], response_model=SeqOut)
    def seq(device: Device = reader) -> SeqOut:
        """The latest sequence: the polling fallback when the push channel is down."""
        return SeqOut(seq=service.feed.seq)

    @app.get(f"{API}/stream", tags=["push"], response_class=StreamingResponse)
    async def stream(
        heartbeat: Annotated[float, Query(ge=0.5, le=60, description="seconds between keep-alive comments")] = 10,
        device: Device = reader,
    ) -> StreamingResponse:
        """Server-Sent Events: ``event: changed`` with ``{"seq": N}`` on connecting and after every change."""
        return StreamingResponse(
            sse_stream(notifier, heartbeat),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    @app.post(f"{API}/code-leases", tags=["leases"], response_model=LeaseOut, responses=refusals(400, 409, 422))
    def lease(body: LeaseBody, device: Device = leaser) -> LeaseOut:
        """A disjoint block of dossier sequence numbers for (agency, day), for a workstation to use offline.

        The block may be smaller than asked (the centre's per-request and per-workstation limits); a counter
        token leases only for its own workstation (device name = station id).
        """
        if device.role == "counter" and body.station_id != device.device:
            raise HTTPException(
                403,
                tr("Thiết bị {device} chỉ được xin số cho chính máy trạm đó", device=device.device),
            )
        first, last = leases.lease(body.agency_id, body.day, body.station_id, body.size, datetime.now())
        return LeaseOut(first=first, last=last)

    app.include_router(create_changes_router(service, notifier, reader))  # long-polled "what changed since N"
    app.include_router(create_supervision_router(service, tokens))  # ratings, presence, the day's services, reports
    app.include_router(create_health_router(service, tokens))  # devices' heartbeats, the supervisor's list
    if sync is not None and sync_notifier is not None:
        app.include_router(create_sync_router(sync, workstation_peers(tokens, agency_id), sync_notifier))
        app.include_router(create_conflicts_router(sync, tokens))  # a supervisor's PC settles conflicts
        # an administrator's counter PC manages the device tokens (signed by the administrator)
        app.include_router(create_devices_router(service.store, sync, tokens))
        app.state.sync_notifier = sync_notifier
    return app
