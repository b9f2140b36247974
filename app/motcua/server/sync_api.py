"""The exchange protocol's HTTP side (``/api/v1/sync``): the same routes on a centre (for its workstations) and
on the province (for its centres). docs/sync.md describes the protocol; this module is its implementation.

Answers are JSON. A refusal of the use case is ``{"error": kind, "message": text}``; a refusal of the caller or
of the request's shape (401, 403, 413, 422 from validation) is FastAPI's ``{"detail": …}``; both translated where
the text is ours. Each pushed event
gets its own result and HTTP-style status inside a 200 answer (a batch is not all or nothing: one bad event must
not hold back the others); ``PUT /events/{key}`` answers one event with that status as the HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from motcua.domain.errors import ValidationError
from motcua.domain.sync_envelope import ORIGIN, SHA256
from motcua.i18n import tr
from motcua.server.accounts_api import add_account_routes
from motcua.server.audit_api import add_audit_routes
from motcua.server.json_body import JsonRoute
from motcua.server.push import AsyncNotifier, sse_stream
from motcua.services.sync_node import MAX_BATCH, MAX_PAGE, SyncNode
from motcua.store.replica import Peer, key_of
from motcua.store.replica_docs import MAX_DOCUMENT_BYTES, OffsetMismatch

PREFIX = "/api/v1/sync"
PUBLISHED_NAMES = "^(calendar|accounts|accounts-signed)$"
MAX_CHUNK = 4 * 1024 * 1024
Sha = Annotated[str, Path(pattern=SHA256.pattern, description="hex SHA-256 of the file")]
EventKey = Annotated[str, Path(min_length=36, max_length=36, description="the event's UUID")]


class PushBody(BaseModel):
    events: list[str] = Field(max_length=MAX_BATCH, description="event envelopes, each its canonical JSON text")


class OneEventBody(BaseModel):
    event: str = Field(description="the event envelope's canonical JSON text")


class OutcomeOut(BaseModel):
    key: str
    result: str = Field(description="stored, duplicate, conflict, gap, missing_documents, forbidden or rejected")
    status: int = Field(description="201, 200, 409, 409, 424, 403 or 422")
    message: str | None = None
    resend_from: int | None = Field(None, description="gap: the origin's first sequence number missing here")
    missing: list[str] | None = Field(None, description="gap: the missing predecessor; documents: files to send")


class PushOut(BaseModel):
    results: list[OutcomeOut]


class KnownBody(BaseModel):
    keys: list[str] = Field(max_length=5000)


class KnownOut(BaseModel):
    known: list[str]


class HighWaterOut(BaseModel):
    origin: str
    high_water: int


class UploadOut(BaseModel):
    received: int
    complete: bool


class StatesBody(BaseModel):
    sha256: list[Annotated[str, Field(pattern=SHA256.pattern)]] = Field(max_length=1000)


class StatesOut(BaseModel):
    states: dict[str, UploadOut] = Field(description="bytes held of each file asked about")


class SnapshotEvent(BaseModel):
    key: str
    verdict: str = Field(description="applied, or conflict (kept, changes nothing, shown to a supervisor)")
    envelope: str = Field(description="the event's canonical JSON text, byte for byte as made at its origin")
    at_root: bool = Field(False, description="the province holds this event")


class Snapshot(BaseModel):
    code: str
    version: int
    status: int | None
    due_at: str | None
    events: list[SnapshotEvent]


class ChangesOut(BaseModel):
    cursor: int = Field(description="pass it back as `after` next time (opaque; only ever grows)")
    more: bool = Field(description="another page is waiting: ask again at once")
    dossiers: list[Snapshot]


Authenticate = Callable[[Request], Peer]


def create_sync_router(node: SyncNode, authenticate: Authenticate, notifier: AsyncNotifier) -> APIRouter:
    """The ``/api/v1/sync`` routes around ``node``; ``authenticate`` turns a request into the calling peer (or
    raises HTTPException 401/403)."""
    r = APIRouter(prefix=PREFIX, tags=["sync"], route_class=JsonRoute)
    peer_dep = Depends(authenticate)

    @r.post("/events", response_model=PushOut)
    def push(body: PushBody, peer: Peer = peer_dep) -> dict[str, Any]:
        """Push events, oldest first. Each gets a result; store nothing twice, overwrite nothing."""
        return {"results": [o.to_json() for o in node.push(body.events, peer)]}

    @r.put("/events/{key}", response_model=OutcomeOut, responses={409: {}, 422: {}, 424: {}})
    def push_one(key: EventKey, body: OneEventBody, peer: Peer = peer_dep) -> JSONResponse:
        """One event, answered with its own status: 201 stored, 200 already held, 409 conflict or gap …"""
        if key_of(body.event) != key:  # checked before anything is stored
            raise HTTPException(422, tr("Khóa trong đường dẫn khác khóa của sự kiện"))
        [outcome] = node.push([body.event], peer)
        return JSONResponse(outcome.to_json(), outcome.status)

    @r.post("/events/known", response_model=KnownOut)
    def known(body: KnownBody, peer: Peer = peer_dep) -> dict[str, Any]:
        """Which of these event keys are held here (a client checks that what it sent arrived)."""
        return {"known": node.known(body.keys)}

    @r.get("/origins", response_model=HighWaterOut)
    def high_water(
        origin: Annotated[str, Query(pattern=ORIGIN.pattern, max_length=80)], peer: Peer = peer_dep
    ) -> dict[str, Any]:
        """The origin's highest sequence number held here with none missing below it."""
        return {"origin": origin, "high_water": node.high_water(origin)}

    @r.get("/changes", response_model=ChangesOut)
    def changes(
        after: Annotated[int, Query(ge=0, le=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        peer: Peer = peer_dep,
    ) -> dict[str, Any]:
        """Dossiers of the caller changed after the cursor, each with this node's whole view of it."""
        page = node.changes(peer.holder, after, limit)
        return {"cursor": page.cursor, "more": page.more, "dossiers": page.dossiers}

    @r.get("/dossiers/{code}", response_model=Snapshot, responses={404: {}})
    def dossier(code: Annotated[str, Path(max_length=40)], peer: Peer = peer_dep) -> dict[str, Any]:
        return node.dossier(code)

    @r.post("/uploads/states", response_model=StatesOut)
    def upload_states(body: StatesBody, peer: Peer = peer_dep) -> dict[str, Any]:
        """Bytes held of many files at once (a client sending a batch of events asks about their files once)."""
        states = {sha: node.upload_state(sha) for sha in dict.fromkeys(body.sha256)}
        return {"states": {sha: {"received": st.received, "complete": st.complete} for sha, st in states.items()}}

    @r.get("/uploads/{sha}", response_model=UploadOut)
    def upload_state(sha: Sha, peer: Peer = peer_dep) -> dict[str, Any]:
        """How many bytes of this file are here (resume an upload from there)."""
        s = node.upload_state(sha)
        return {"received": s.received, "complete": s.complete}

    @r.put(
        "/uploads/{sha}",
        response_model=UploadOut,
        responses={409: {"model": UploadOut}, 413: {}, 422: {}},
        openapi_extra={
            "requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
        },
    )
    async def upload(
        sha: Sha,
        request: Request,
        offset: Annotated[int, Query(ge=0, le=MAX_DOCUMENT_BYTES)],
        total: Annotated[int, Query(ge=0, le=MAX_DOCUMENT_BYTES)],
        peer: Peer = peer_dep,
    ) -> Any:
        """A chunk of a file (the body's raw bytes) at ``offset`` of ``total``; verified by SHA-256 when complete."""
        chunk = bytearray()
        async for part in request.stream():
            chunk += part
            if len(chunk) > MAX_CHUNK:
                raise HTTPException(413, tr("Mỗi đoạn tệp tối đa {mb} MB", mb=MAX_CHUNK // 2**20))
        from starlette.concurrency import run_in_threadpool

        try:
            s = await run_in_threadpool(node.put_chunk, sha, offset, total, bytes(chunk), peer)
        except OffsetMismatch as exc:
            return JSONResponse({"received": exc.received, "complete": False}, 409)
        return {"received": s.received, "complete": s.complete}

    @r.get("/documents/{sha}", response_class=Response, responses={404: {}})
    def document(
        sha: Sha,
        offset: Annotated[int, Query(ge=0, le=MAX_DOCUMENT_BYTES)] = 0,
        length: Annotated[int, Query(ge=1, le=MAX_CHUNK)] = MAX_CHUNK,
        peer: Peer = peer_dep,
    ) -> Response:
        """Bytes of a file from ``offset``; ``X-Document-Size`` gives the whole size (download resumes)."""
        try:
            data, size = node.read_document(sha, offset, length)
        except FileNotFoundError:
            raise HTTPException(404, tr("Không có tệp {sha}", sha=sha[:12])) from None
        return Response(data, media_type="application/octet-stream", headers={"X-Document-Size": str(size)})

    @r.get("/catalog", response_class=Response, responses={304: {}, 404: {}})
    def catalog(
        if_none_match: Annotated[str | None, Header(alias="If-None-Match", max_length=200)] = None,
        peer: Peer = peer_dep,
    ) -> Response:
        """The procedure catalog as published (JSON), with its ETag; 304 when the caller has it already."""
        found = node.catalog()
        if found is None:
            raise HTTPException(404, tr("Chưa có danh mục thủ tục được công bố"))
        etag, body = found
        if if_none_match and if_none_match.strip('"') == etag:
            return Response(status_code=304, headers={"ETag": f'"{etag}"'})
        return Response(body.encode("utf-8"), media_type="application/json", headers={"ETag": f'"{etag}"'})

    @r.get("/published/{name}", response_class=Response, responses={304: {}, 404: {}})
    def published(
        name: Annotated[str, Path(pattern=PUBLISHED_NAMES)],
        if_none_match: Annotated[str | None, Header(alias="If-None-Match", max_length=200)] = None,
        peer: Peer = peer_dep,
    ) -> Response:
        """What the province publishes for everyone besides the catalog (``calendar``: the announced days off and
        working days), with its ETag; 304 when the caller has it already."""
        found = node.published(name)
        if found is None:
            raise HTTPException(404, tr("Chưa có {name} được công bố", name=name))
        etag, body = found
        if if_none_match and if_none_match.strip('"') == etag:
            return Response(status_code=304, headers={"ETag": f'"{etag}"'})
        return Response(body.encode("utf-8"), media_type="application/json", headers={"ETag": f'"{etag}"'})

    @r.get("/status")
    def status(peer: Peer = peer_dep) -> dict[str, Any]:
        """Counts of what this node holds and what waits to go up."""
        return node.summary()

    @r.get("/stream", response_class=StreamingResponse)
    async def stream(
        heartbeat: Annotated[float, Query(ge=0.5, le=60)] = 10, peer: Peer = peer_dep
    ) -> StreamingResponse:
        """Server-Sent Events: ``changed`` with the feed's latest number; pull ``/changes`` when it moves."""
        return StreamingResponse(
            sse_stream(notifier, heartbeat),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )

    add_audit_routes(r, node, authenticate)  # POST /audit: the audit chain's entries (docs/sync.md)
    add_account_routes(r, node, authenticate)  # PUT /accounts/{username}: accounts changed at a counter
    return r


def check_origin_query(origin: str) -> str:
    if not ORIGIN.match(origin):
        raise ValidationError(tr("Nguồn không hợp lệ"), "origin")
    return origin
