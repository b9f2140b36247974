"""The centre server's routes for devices' health: every device reports, a supervisor reads the list.

Same conventions as :mod:`motcua.server.app` (which includes this router). The reporting device is the token's,
never a name in the body: a kiosk cannot report for another kiosk, nor hide a silent one. No ``Idempotency-Key``:
a report is an upsert of "heard now" (see :mod:`motcua.services.queue.health`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from motcua.domain.device_health import MAX_VERSION, SILENT_AFTER_S, DeviceHealth, DeviceRole, PaperState
from motcua.domain.queue_codec import to_json
from motcua.server.auth import READ, REPORT, TokenCheck, require
from motcua.server.json_body import JsonRoute
from motcua.server.openapi_errors import refusals
from motcua.services.queue.service import QueueService
from motcua.store.device_tokens import Device

API = "/api/v1"


class HealthBody(BaseModel):
    role: DeviceRole = Field(description="what the reporting window runs as (one PC may run several)")
    printer: PaperState = Field(PaperState.NONE, description="its receipt printer's paper; none: no printer")
    version: str = Field("", max_length=MAX_VERSION, description="the app's build line (motcua --version)")


def _json(value: Any) -> Response:
    return Response(json.dumps(to_json(value), ensure_ascii=False), 200, media_type="application/json")


def create_health_router(service: QueueService, tokens: TokenCheck) -> APIRouter:
    router = APIRouter(route_class=JsonRoute)
    device_dep = Depends(require(tokens, READ))  # every device role reports
    supervisor = Depends(require(tokens, REPORT))

    @router.post(
        f"{API}/devices/health",
        tags=["devices"],
        responses={200: {"model": DeviceHealth}, **refusals(400, 422)},
    )
    def report(body: HealthBody, device: Device = device_dep) -> Response:
        """This device is alive (its name and counter are the token's), with its printer's paper and version."""
        return _json(
            service.report_health(body.role, body.printer, body.version, device=device.device, counter=device.counter)
        )

    @router.get(f"{API}/devices/health", tags=["devices"], responses={200: {"model": list[DeviceHealth]}})
    def devices(
        device: Device = supervisor,
        silent_after_s: Annotated[
            float, Query(ge=1, le=86_400, description="a device not heard for longer than this is silent")
        ] = SILENT_AFTER_S,
    ) -> Response:
        """Every device heard from: last seen (the centre's clock), printer, version, and whether it is silent."""
        return _json(service.device_health(silent_after_s))

    return router
