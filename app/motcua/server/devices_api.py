"""``/api/v1/devices``: the centre's device tokens, managed from an administrator's counter PC on the LAN.

The centre server's own PC manages them in its database (the app's devices screen, ``motcua queue token``). A
counter PC reaches them here, with its counter token and, on every request, the signature of the administrator
signed in there (:mod:`motcua.services.admin_proof`): the token alone, stolen with the PC, enrols nothing. Every
token made or revoked is written in the centre's own audit chain under that administrator's name, never with the
token, which is answered once and kept only as its SHA-256.

Answers: 200; 403 without a valid administrator's signature (or for a kiosk, display or rating pad's token);
404 revoking a device without a live token; 422 a bad name, role or counter, or a device with a live token.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, NamedTuple

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticValidationError

from motcua.domain.device_health import MAX_DEVICE
from motcua.domain.errors import ValidationError
from motcua.i18n import tr
from motcua.server.auth import REPORT, TokenCheck, require
from motcua.services.account_relay import held_accounts
from motcua.services.admin_proof import AdminProofs, NotAnAdministrator
from motcua.services.device_accounts import ROLES, centre_fingerprint, enrol
from motcua.services.sync_node import SyncNode
from motcua.store import admin_signatures, audit_chain, device_tokens
from motcua.store.db import Store
from motcua.store.device_tokens import Device

PREFIX = "/api/v1/devices"
DeviceName = Annotated[str, Path(min_length=1, max_length=MAX_DEVICE, description="the device's name")]


class DeviceIn(BaseModel):
    name: str = Field(min_length=1, max_length=MAX_DEVICE, description="e.g. KIOSK-1, Q02")
    role: str = Field(description=f"one of {', '.join(ROLES)}")
    counter: int | None = Field(None, ge=1, le=999, description="the counter a counter PC or rating pad serves")


class DeviceOut(BaseModel):
    name: str
    role: str
    counter: int | None
    created: str = Field(description="local time 'YYYY-MM-DD HH:MM:SS'")
    revoked: str | None


class DevicesOut(BaseModel):
    devices: list[DeviceOut]


class EnrolledOut(BaseModel):
    name: str
    role: str
    counter: int | None
    token: str = Field(description="the device's token, shown this once")
    fingerprint: str = Field(description="the SHA-256 of the centre's TLS certificate (hex), '' without one")


class RevokedOut(BaseModel):
    revoked: str


class _Signed(NamedTuple):
    """What an administrator's signature covers, as the request came."""

    headers: Mapping[str, str]
    method: str
    path: str
    body: bytes


_SIGNED = {
    "parameters": [
        {"name": h, "in": "header", "required": True, "schema": {"type": "string", "maxLength": 200}}
        for h in ("X-Motcua-Admin", "X-Motcua-Signed-At", "X-Motcua-Nonce", "X-Motcua-Signature")
    ]
}


def create_devices_router(queue: Store, node: SyncNode, tokens: TokenCheck) -> APIRouter:
    r = APIRouter(prefix=PREFIX, tags=["devices"])
    counter_pc = Depends(require(tokens, REPORT))

    def first_use(signature: str, valid_until: datetime, now: datetime) -> bool:
        with queue.write() as db:
            return admin_signatures.first_use(db, signature, valid_until, now)

    proofs = AdminProofs(lambda: held_accounts(node), lambda: datetime.now().astimezone(), first_use)

    # The body is read on the event loop; the rest (the accounts read, the writes, which may wait for the queue's
    # writer to let go of the database) runs in FastAPI's thread pool: the routes are plain functions.
    async def read_request(request: Request) -> _Signed:
        return _Signed(request.headers, request.method, request.url.path, await request.body())

    signed = Depends(read_request)

    def administrator(r: _Signed) -> tuple[str, bytes]:
        try:
            admin = proofs.check(r.headers, r.method, r.path, r.body)
        except NotAnAdministrator as exc:
            raise HTTPException(403, str(exc)) from None
        return admin.full_name or admin.username, r.body

    def audit(action: str, name: str, by: str, device: Device, **detail: object) -> None:
        with node.db.write() as sql:
            audit_chain.record_node(
                sql, node.replica.origin, actor=by, action=action, entity=f"device:{name}",
                at=datetime.now(), detail=json.dumps({"from": device.device, **detail}, ensure_ascii=False),
            )  # fmt: skip

    @r.get("", response_model=DevicesOut, openapi_extra=_SIGNED)
    def devices(request: _Signed = signed, device: Device = counter_pc) -> dict[str, Any]:
        """Every device token the centre made, live or revoked (never the tokens themselves)."""
        administrator(request)
        rows = device_tokens.list_devices(queue.read())
        return {"devices": [{"name": d.device, "role": d.role, "counter": d.counter, "created": c, "revoked": v}
                            for d, c, v in rows]}  # fmt: skip

    @r.post(
        "",
        response_model=EnrolledOut,
        responses={422: {"description": "a bad name, role or counter, or a device with a live token"}},
        openapi_extra={
            **_SIGNED,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": DeviceIn.model_json_schema()}},
            },
        },
    )
    def add(request: _Signed = signed, device: Device = counter_pc) -> dict[str, Any]:
        """Make a token for a new device (or one whose token was revoked); the token is answered this once."""
        by, body = administrator(request)
        try:
            wanted = DeviceIn.model_validate_json(body)
            with queue.write() as db:
                name, token = enrol(db, wanted.name, wanted.role, wanted.counter, datetime.now())
        except PydanticValidationError as exc:
            raise HTTPException(422, tr("Dữ liệu thiết bị không hợp lệ: {error}", error=str(exc)[:300])) from None
        except ValidationError as exc:
            raise HTTPException(422, str(exc)) from None
        audit("device_token_add", name, by, device, role=wanted.role, counter=wanted.counter)
        fingerprint = centre_fingerprint(queue)
        return {
            "name": name,
            "role": wanted.role,
            "counter": wanted.counter,
            "token": token,
            "fingerprint": fingerprint,
        }

    @r.delete(
        "/{name}",
        response_model=RevokedOut,
        responses={404: {"description": "no live token for this device"}},
        openapi_extra=_SIGNED,
    )
    def revoke(name: DeviceName, request: _Signed = signed, device: Device = counter_pc) -> dict[str, Any]:
        """Revoke a device's token: the centre refuses it within seconds."""
        by, _body = administrator(request)
        with queue.write() as db:
            if not device_tokens.revoke(db, name, datetime.now()):
                raise HTTPException(404, tr("Không có thiết bị {device} đang dùng mã", device=name))
        audit("device_token_revoke", name, by, device)
        return {"revoked": name}

    return r
