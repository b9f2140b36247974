"""The province side of the national sync: ``POST /api/v1/dvc/auth`` and ``POST /api/v1/dvc/integration``.

A province server mounts :func:`dvc_router` so that centres (and any OpenCPS-style sender) can push dossiers
(``DongBoHoSoMC``) and their progress (``CapNhatTienDoHoSoMC``) the way they push to the national portal.

Answers follow the portal's own convention rather than this server's ``{"error", "message"}`` one: always
HTTP 200 with ``{"error_code", "message"}`` (``error_code`` 0 = accepted), because the senders in the field
(OpenCPS, the Thanh Hóa system) read ``error_code`` from the body and treat any other HTTP status as a transport
failure to retry. Codes (:mod:`motcua.sync.dvc_models`): 1 invalid request or record, with a message listing
every bad field (``data[0].NgayTiepNhan: …``); 2 refused by the province (``accept`` raised a
:class:`~motcua.domain.errors.MotcuaError`); 3 wrong user name or password; 401 session unknown or expired.
An unexpected exception in ``accept`` is a 500, which senders retry.

Sessions are the opaque tokens ``authenticate`` returns; this router remembers them (in memory) for
``session_ttl`` seconds, so a restart of the province server just makes the senders log in again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.server.json_body import loads
from motcua.sync.dvc_models import (
    ERROR_INVALID,
    ERROR_LOGIN,
    ERROR_OK,
    ERROR_REFUSED,
    ERROR_SESSION,
    DvcFormatError,
    DvcIntegrationRequest,
    parse_auth_request,
    parse_integration_request,
)

PREFIX = "/api/v1/dvc"
SESSION_TTL_S = 1800.0  # half an hour, as portal sessions usually last; senders log in again when told to


class _Sessions:
    """Issued session tokens and when each stops being valid."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl
        self._clock = clock
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def add(self, token: str) -> None:
        now = self._clock()
        with self._lock:
            # Drop the expired ones here: no timer thread, and the table stays as small as the live sessions.
            self._until = {t: u for t, u in self._until.items() if u > now}
            self._until[token] = now + self._ttl

    def valid(self, token: Any) -> bool:
        if not isinstance(token, str) or not token:
            return False
        with self._lock:
            until = self._until.get(token)
        return until is not None and self._clock() < until


def _answer(error_code: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error_code": error_code, "message": message, **extra}, status_code=200)


async def _body(request: Request) -> Any:
    """The JSON body, or None when it is not JSON (reported as invalid like any other bad input)."""
    try:
        return loads(await request.body())
    except (ValueError, RecursionError):  # not UTF-8, not JSON, a lone surrogate in a string, nested too deeply
        return None


def dvc_router(
    *,
    authenticate: Callable[[str, str], str | None],
    accept: Callable[[str, DvcIntegrationRequest], None],
    session_ttl: float = SESSION_TTL_S,
    clock: Callable[[], float] = time.monotonic,
) -> APIRouter:
    """The two portal endpoints for a province server.

    Args:
        authenticate: (user name, password) → a new opaque session token, or None to refuse. Called on a worker
            thread (it may look the account up in a database).
        accept: (madonvi, validated request) → None once the province has stored it; raise a MotcuaError to
            refuse with its message (error_code 2). Called on a worker thread. The request is a
            :class:`~motcua.sync.dvc_models.DvcDossierPush` or a :class:`~motcua.sync.dvc_models.DvcProgressPush`.
        session_ttl: seconds a session stays valid after login.
        clock: monotonic seconds (tests move it by hand).

    Returns:
        A router with ``POST /api/v1/dvc/auth`` and ``POST /api/v1/dvc/integration``.
    """
    sessions = _Sessions(session_ttl, clock)
    router = APIRouter()

    @router.post(f"{PREFIX}/auth")
    async def auth(request: Request) -> JSONResponse:
        try:
            body = parse_auth_request(await _body(request))
        except DvcFormatError as exc:
            return _answer(ERROR_INVALID, str(exc))
        token = await run_in_threadpool(authenticate, body.username, body.password)
        if not token:
            return _answer(ERROR_LOGIN, tr("Sai tên đăng nhập hoặc mật khẩu"))
        sessions.add(token)
        return _answer(ERROR_OK, tr("Đăng nhập thành công"), session=token)

    @router.post(f"{PREFIX}/integration")
    async def integration(request: Request) -> JSONResponse:
        raw = await _body(request)
        # The session is checked before the content, so that nothing about the data leaks to a stranger.
        if not sessions.valid(raw.get("session") if isinstance(raw, dict) else None):
            return _answer(ERROR_SESSION, tr("Phiên làm việc không hợp lệ hoặc đã hết hạn, hãy đăng nhập lại"))
        try:
            parsed = parse_integration_request(raw)
        except DvcFormatError as exc:
            return _answer(ERROR_INVALID, str(exc))
        try:
            await run_in_threadpool(accept, parsed.madonvi, parsed)
        except MotcuaError as exc:
            return _answer(ERROR_REFUSED, str(exc))
        return _answer(ERROR_OK, tr("Đã tiếp nhận {count} bản ghi thành công", count=len(parsed.data)))

    return router
