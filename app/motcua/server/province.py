"""The province server (``motcua server --role province``): the reference provincial one-stop system.

It stores the dossiers, events and documents of every centre (PostgreSQL, or SQLite for a demo), routes a dossier
received outside the handling agency's territory to that agency's centre, issues status changes that flow back
down (``motcua province act``), and accepts the national portal's own format too (``/api/v1/dvc``), so that a
centre pointed at a real provincial system instead is a configuration change.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from motcua.domain.errors import ConflictError, MotcuaError, NotFoundError, TransitionError, ValidationError
from motcua.i18n import tr
from motcua.server.app import Background
from motcua.server.dvc_api import dvc_router
from motcua.server.guard import DEFAULT_LIMITS, Guard, Limits, RateLimiter
from motcua.server.node_auth import CentreCredentials
from motcua.server.openapi_errors import document_errors
from motcua.server.push import AsyncNotifier
from motcua.server.sync_api import create_sync_router
from motcua.services.sync_node import SyncNode
from motcua.store.clock import iso
from motcua.sync.dvc_models import DvcIntegrationRequest

API = "/api/v1"


def _status(exc: MotcuaError) -> int:
    if isinstance(exc, ValidationError):
        return 422
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, ConflictError | TransitionError):
        return 409
    return 400


def create_province_app(
    node: SyncNode, province_id: str, background: Sequence[Background] = (), limits: Limits = DEFAULT_LIMITS
) -> FastAPI:
    """The ASGI application of a province server around its node (the caller owns and closes it); ``limits``:
    body sizes and open requests per address (:mod:`motcua.server.guard`)."""
    notifier = AsyncNotifier(node.feed)
    credentials = CentreCredentials(node.db, limits.token_cache, RateLimiter(limits))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        notifier.attach()
        for job in background:
            job.start()
        yield
        for job in background:
            job.stop(5.0)
        notifier.close()

    app = FastAPI(
        title="MotCua Desk province server",
        version="1.0",
        description=__doc__,
        lifespan=lifespan,
    )
    app.state.notifier = notifier
    app.add_middleware(Guard, limits=limits)
    generated = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document_errors(generated(), public=[f"{API}/health", f"{API}/dvc/auth", f"{API}/dvc/integration"])
        return app.openapi_schema or generated()

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(MotcuaError)
    async def refused(_: Request, exc: MotcuaError) -> JSONResponse:
        return JSONResponse({"error": type(exc).__name__, "message": str(exc)}, _status(exc))

    @app.get(f"{API}/health", tags=["server"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "role": "province", "province": province_id, "seq": node.feed.seq}

    app.include_router(create_sync_router(node, credentials, notifier))

    def authenticate(username: str, password: str) -> str | None:
        peer = credentials.peer(password)
        if peer is None or peer.id != username:
            return None
        return secrets.token_urlsafe(24)

    def accept(madonvi: str, request: DvcIntegrationRequest) -> None:
        if "\x00" in madonvi:  # PostgreSQL text cannot hold it: refuse it rather than fail the insert
            raise ValidationError(tr("Mã đơn vị không được chứa ký tự NUL"), "madonvi")
        now = iso(datetime.now())
        with node.db.write() as sql:
            for record in request.data:
                data = record.model_dump(mode="json", exclude_none=True)
                code = str(data.get("MaHoSo", ""))
                sql.execute(
                    "INSERT INTO dvc_records (madonvi, service, ma_ho_so, updating, record, received_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        madonvi,
                        request.service,
                        code,
                        int(request.isUpdating),
                        json.dumps(data, ensure_ascii=False),
                        now,
                    ],
                )

    app.include_router(dvc_router(authenticate=authenticate, accept=accept), tags=["national portal format"])
    return app
