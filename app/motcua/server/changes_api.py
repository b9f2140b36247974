"""``GET /api/v1/changes``: "what changed since N", answered at once or held until something did (long-polling).

A display asks with the last sequence it has; the answer carries the calls to announce since then, the board when
asked for, and the sequence to ask from next. Held requests wait on the event loop (no thread each), and those woken
together answer together (:func:`~motcua.services.queue.changes.tick_delay`): one read serves every display.
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from motcua.domain.queue_views import QueueChanges
from motcua.server.api_limits import MAX_ID, MAX_KINDS, MAX_WAIT_S
from motcua.server.openapi_errors import refusals
from motcua.server.push import AsyncNotifier
from motcua.services.queue.changes import tick_delay
from motcua.services.queue.service import QueueService
from motcua.store.device_tokens import Device

API = "/api/v1"
JSON = "application/json"
TICK_S = 0.1  # what a held answer may add to call-to-display; a burst of calls reaches a display as few answers


def create_changes_router(
    service: QueueService, notifier: AsyncNotifier, reader: Any, tick_s: float = TICK_S
) -> APIRouter:
    router = APIRouter()

    @router.get(f"{API}/changes", tags=["push"], responses={200: {"model": QueueChanges}, **refusals(422)})
    async def changes(
        since: Annotated[int, Query(ge=0, le=MAX_ID, description="the last sequence this client has")] = 0,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description="seconds to hold the answer until a change")] = 0,
        kinds: Annotated[str, Query(max_length=MAX_KINDS, description="comma-separated, e.g. called,recalled")] = "",
        board: Annotated[bool, Query(description="include the board as of the answer's sequence")] = False,
        device: Device = reader,
    ) -> Response:
        """Changes after ``since``: ``{"seq", "snapshot", "events", "board"}``. ``snapshot`` is true when ``since``
        can no longer be answered with changes (a closed day's events were archived, or the sequence is from another
        database): ``board`` then holds the whole state; show it and announce nothing of the past."""
        wanted = [k for k in kinds.split(",") if k]
        return Response(await changes_text(service, notifier, since, wait, wanted, board, tick_s), media_type=JSON)

    return router


async def changes_text(
    service: QueueService,
    notifier: AsyncNotifier,
    since: int,
    wait: float,
    kinds: list[str],
    board: bool,
    tick_s: float = TICK_S,
) -> str:
    """The answer of ``GET /changes`` (this route's and :mod:`motcua.server.fast_path`'s) as JSON text."""
    tick: int | None = None
    if wait > 0:
        if notifier.seq <= since:
            await notifier.wait(since, wait)
        if tick_s > 0 and notifier.seq > since:
            await asyncio.sleep(tick_delay(tick_s))
            tick = round(time.monotonic() / tick_s)  # the instant every request woken with this one shares
    # On the event loop, not a worker thread: the head, the board and the recent events are shared by the requests
    # of a tick and kept in memory (motcua.services.queue.changes), so an answer is a few lookups and a join; a
    # thread hop (and the GIL handed back and forth) cost more than that.
    return service.changes_json(since, kinds, board, tick)
