"""The centre server's routes for supervisors: a counter's rating pad, the kiosk's rating by ticket number, who is
signed in at a counter, a counter's services for the day, and the queue's facts for the reports.

Same conventions as :mod:`motcua.server.app` (which includes this router): JSON answers, a refused use case as
``{"error": kind, "message": text}`` with its status, an ``Idempotency-Key`` header on every write.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from motcua.domain.queue_codec import error_kind, snapshot_to_json, to_json
from motcua.domain.queue_rating import MAX_TYPED, NotFinishedError, TooManyTriesError
from motcua.domain.queue_views import CounterView, RatingPadView, TicketRatingView
from motcua.domain.reports.facts import QueueSnapshot, RatingFact, RatingLevel
from motcua.server.api_limits import CODE, MAX_ID, MAX_KEY
from motcua.server.auth import ADMIN, COUNTER, KIOSK, RATE, READ, REPORT, TokenCheck, check_counter, require
from motcua.server.json_body import JsonRoute
from motcua.server.openapi_errors import refusals
from motcua.services.queue.service import QueueService
from motcua.services.queue.supervision import MAX_CLERK
from motcua.store.device_tokens import Device

API = "/api/v1"
CounterNo = Annotated[int, Path(ge=1, le=MAX_ID, description="the counter's number in queue.toml")]
Key = Annotated[str | None, Header(alias="Idempotency-Key", max_length=MAX_KEY)]
Reasons = list[Annotated[str, Field(max_length=CODE)]]
REASONS = "reason codes of queue.toml [rating] (not satisfied only)"
TYPED = "the number printed on the ticket, as typed: A012, a 12, Ａ０１２ are one number"
Typed = Annotated[str, Path(min_length=1, max_length=MAX_TYPED, description=TYPED)]


class RateBody(BaseModel):
    level: RatingLevel
    reasons: Reasons = Field(default_factory=list, max_length=20, description=REASONS)


class TicketRateBody(BaseModel):
    display: str = Field(min_length=1, max_length=MAX_TYPED, description=TYPED)
    level: RatingLevel
    reasons: Reasons = Field(default_factory=list, max_length=20, description=REASONS)


class ClerkBody(BaseModel):
    clerk: str | None = Field(None, max_length=MAX_CLERK, description="the username signed in; null: nobody")


class ServicesBody(BaseModel):
    services: list[Annotated[str, Field(max_length=CODE)]] = Field(
        min_length=1, max_length=50, description="service codes in the counter's order of preference, for today"
    )


def _json(value: Any) -> Response:
    return Response(json.dumps(to_json(value), ensure_ascii=False), 200, media_type="application/json")


def _doc(model: Any, *refused: int) -> dict[int | str, dict[str, Any]]:
    return {200: {"model": model}, **refusals(*refused)}


def _typed(fn: Callable[[], Any]) -> Response:
    """Answer a kiosk's use of a typed ticket number; the two refusals of its own get their statuses here (the
    server's table, in :mod:`motcua.server.app`, answers the others): 409 a ticket not served to the end, 429 too
    many wrong numbers from this kiosk (with ``Retry-After``)."""
    try:
        return _json(fn())
    except NotFinishedError as exc:
        return JSONResponse({"error": error_kind(exc), "message": str(exc)}, 409)
    except TooManyTriesError as exc:
        wait = str(max(1, math.ceil(exc.retry_after_s)))
        return JSONResponse({"error": error_kind(exc), "message": str(exc)}, 429, headers={"Retry-After": wait})


def create_supervision_router(service: QueueService, tokens: TokenCheck) -> APIRouter:
    router = APIRouter(route_class=JsonRoute)
    reader = Depends(require(tokens, READ))
    rater = Depends(require(tokens, RATE))
    kiosk = Depends(require(tokens, KIOSK))
    clerk = Depends(require(tokens, COUNTER))
    admin = Depends(require(tokens, ADMIN))
    supervisor = Depends(require(tokens, REPORT))

    @router.get(f"{API}/counters/{{counter}}/rating", tags=["rating"], responses=_doc(RatingPadView, 404))
    def rating_view(counter: CounterNo, device: Device = reader) -> Response:
        """What the counter's rating pad shows (a pad's token reads its own counter only)."""
        if device.role == "rating":
            check_counter(device, counter)
        return _json(service.rating_view(counter))

    @router.post(f"{API}/counters/{{counter}}/rating", tags=["rating"], responses=_doc(RatingFact, 400, 404, 409, 422))
    def rate(counter: CounterNo, body: RateBody, key: Key = None, device: Device = rater) -> Response:
        """Rate the service at the counter: the ticket served there now, else the one finished there last (409:
        already rated, or nothing to rate)."""
        check_counter(device, counter)
        return _json(service.rate(counter, body.level, body.reasons, key=key))

    @router.get(
        f"{API}/tickets/rating/{{display}}", tags=["rating"], responses=_doc(TicketRatingView, 400, 404, 409, 422)
    )
    def ticket_rating_view(display: Typed, device: Device = kiosk) -> Response:
        """The ticket a citizen typed at the kiosk, if they may rate it: today's, finished, not yet rated (404 no
        such ticket today, 409 not finished or already rated, 422 not a ticket number, 400 no rating at kiosks).
        Every refusal counts as a wrong try of this kiosk: after a few in a row, 429 for a while."""
        return _typed(lambda: service.ticket_rating_view(display, kiosk=device.device))

    @router.post(f"{API}/tickets/rating", tags=["rating"], responses=_doc(RatingFact, 400, 404, 409, 422))
    def rate_ticket(body: TicketRateBody, key: Key = None, device: Device = kiosk) -> Response:
        """Rate the service of the ticket typed at the kiosk (refused as ``GET …/tickets/rating/{display}``, and
        422 for reasons that do not go with the level). The answer names neither the clerk nor the dossiers."""
        return _typed(lambda: service.rate_ticket(body.display, body.level, body.reasons, kiosk=device.device, key=key))

    @router.post(f"{API}/counters/{{counter}}/clerk", tags=["counter"], responses=_doc(CounterView, 400, 404, 409, 422))
    def set_clerk(counter: CounterNo, body: ClerkBody, key: Key = None, device: Device = clerk) -> Response:
        """Who is signed in at the counter (null when the clerk signs out)."""
        check_counter(device, counter)
        return _json(service.set_clerk(counter, body.clerk, key=key))

    @router.post(
        f"{API}/counters/{{counter}}/services", tags=["admin"], responses=_doc(CounterView, 400, 404, 409, 422)
    )
    def assign(counter: CounterNo, body: ServicesBody, key: Key = None, device: Device = admin) -> Response:
        """The counter's services for today only (queue.toml's again tomorrow); call-next, the board and the
        kiosk's waiting estimates follow it."""
        return _json(service.assign_services(counter, body.services, key=key))

    @router.get(f"{API}/report/queue", tags=["report"], responses=_doc(QueueSnapshot, 422))
    def report(
        start: Annotated[date, Query(alias="from", description="first business day, YYYY-MM-DD")],
        end: Annotated[date, Query(alias="to", description="last business day, at most 366 days in all")],
        device: Device = supervisor,
        tickets: Annotated[bool, Query(description="false: ratings and counters only")] = True,
    ) -> Response:
        """Tickets and ratings of the business days, every counter now, the services' names."""
        snapshot = service.snapshot(start, end, tickets)
        return Response(json.dumps(snapshot_to_json(snapshot), ensure_ascii=False), media_type="application/json")

    return router
