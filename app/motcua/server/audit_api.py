"""``POST /api/v1/sync/audit``: audit entries pushed from below (docs/sync.md, "The audit chain").

Added to the sync router by :func:`motcua.server.sync_api.create_sync_router`, authenticated like the event push.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from motcua.services import audit_trail
from motcua.services.sync_node import SyncNode
from motcua.store.replica import Peer


class AuditEntryIn(BaseModel):
    """One entry; its fields are checked one entry at a time (a bad one is ``rejected`` alone, not the batch)."""

    model_config = ConfigDict(strict=True)  # no coercion: ``false`` is not a number

    origin: str = Field(description="the chain: '<agency>/<station>' of a workstation, a centre's id")
    seq: int = Field(description="its number in the origin's chain: 1, 2, 3 … without gaps")
    at: str = Field(description="local time, 'YYYY-MM-DD HH:MM:SS'")
    actor: str
    station: str
    action: str
    entity: str
    detail: str = Field(description="the detail's JSON text, as hashed")
    prev: str = Field(description="hex SHA-256 of the origin's entry before it (64 zeros for the first)")
    hash: str = Field(description="hex SHA-256 of the entry's canonical encoding (docs/sync.md)")


class AuditPushBody(BaseModel):
    entries: list[AuditEntryIn] = Field(max_length=audit_trail.MAX_AUDIT_BATCH, description="each origin's in order")


class AuditOutcomeOut(BaseModel):
    origin: str
    seq: int
    result: str = Field(description="stored, duplicate, conflict, gap, broken, forbidden or rejected")
    status: int = Field(description="201, 200, 409, 409, 409, 403 or 422")
    message: str | None = None
    resend_from: int | None = Field(None, description="gap: the origin's first number missing here")


class AuditPushOut(BaseModel):
    results: list[AuditOutcomeOut]


def add_audit_routes(r: APIRouter, node: SyncNode, authenticate: Callable[[Request], Peer]) -> None:
    peer_dep = Depends(authenticate)

    @r.post("/audit", response_model=AuditPushOut)
    def push_audit(body: AuditPushBody, peer: Peer = peer_dep) -> dict[str, Any]:
        """Push audit entries, each origin's in number order. Each gets a result: an entry is stored only if its
        hash matches its fields and it links to the entry before it held here; a break is refused (409 broken)."""
        entries = [e.model_dump() for e in body.entries]
        return {"results": [o.to_json() for o in audit_trail.push(node, entries, peer)]}
