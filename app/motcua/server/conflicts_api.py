"""``/api/v1/sync/conflicts``: a centre's sync conflicts, listed and settled from a supervisor's PC on the LAN.

On a one-PC centre the supervisor window uses the centre's sync node in its own process; when the supervisor's PC
is another machine it asks these routes with its workstation's token. That token is a counter's (as for the
reports, :data:`~motcua.server.auth.REPORT`), or an administrator's; kiosks, displays and rating pads are refused
(403). Whether the person signed in at that PC may settle conflicts is checked there, by their account
(``Permission.RESOLVE_SYNC``), as every use case of a workstation is.

Settling records the settler as "<the name the PC sends> (<the token's device>)": "Nguyễn Văn A (Q02)". It is done
once per conflict: the same note again (a retry after a lost answer) answers the first settlement, 200, and records
nothing; another note on a settled conflict is refused, 409, naming who settled it. No ``Idempotency-Key`` is
needed: the conflict's key is the write's key. Unknown conflict: 404.

Answers and refusals follow :mod:`motcua.server.app` (which includes this router where a centre runs its sync
node): JSON, a refused use case as ``{"error": kind, "message": text}``.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from motcua.domain.sync_conflicts import MAX_BY, MAX_NOTE, settler
from motcua.server.auth import REPORT, TokenCheck, require
from motcua.server.json_body import JsonRoute
from motcua.server.openapi_errors import refusals
from motcua.services.sync_node import SyncNode
from motcua.store.device_tokens import Device

PREFIX = "/api/v1/sync/conflicts"
ConflictKey = Annotated[str, Path(min_length=36, max_length=36, description="the conflicting event's key (a UUID)")]


class ConflictOut(BaseModel):
    key: str = Field(description="the conflicting event's key")
    dossier: str
    kind: str = Field(description="the event's kind, e.g. dossier.action")
    origin: str = Field(description="where the event was made: '<agency>/<station>', a centre, the province")
    at: str = Field(description="when it was made there, local time 'YYYY-MM-DD HH:MM:SS'")
    action: str = Field(description="the step it records (withdraw, resolve …), else its kind")
    settled_by: str | None = Field(description="who settled it; null while it waits for a supervisor")


class ConflictsOut(BaseModel):
    conflicts: list[ConflictOut]


class SettleBody(BaseModel):
    note: str = Field(min_length=1, max_length=MAX_NOTE, description="how the supervisor settled it")
    by: str | None = Field(
        None,
        max_length=MAX_BY,
        description="the full name of the person signed in at the calling PC; the token's device is added to it",
    )


class SettledOut(BaseModel):
    key: str = Field(description="the conflict settled")
    dossier: str
    settled_by: str
    note: str
    at: str = Field(description="when it was settled, local time 'YYYY-MM-DD HH:MM:SS'")
    event: str = Field(description="the key of the event recording the settlement (it travels to the province)")


def create_conflicts_router(node: SyncNode, tokens: TokenCheck) -> APIRouter:
    r = APIRouter(prefix=PREFIX, tags=["sync"], route_class=JsonRoute)
    supervisor = Depends(require(tokens, REPORT))

    @r.get("", response_model=ConflictsOut)
    def conflicts(
        settled: Annotated[bool, Query(description="true: the settled ones too")] = False,
        device: Device = supervisor,
    ) -> dict[str, Any]:
        """The centre's conflicts, oldest first: those waiting for a supervisor (and the settled ones if asked)."""
        return {"conflicts": [asdict(c) for c in node.conflicts(include_settled=settled)]}

    @r.post("/{key}/settle", response_model=SettledOut, responses=refusals(404, 409, 422))
    def settle(key: ConflictKey, body: SettleBody, device: Device = supervisor) -> dict[str, Any]:
        """Record that the conflict was looked at and how (an event that travels up like any change). The same
        note again answers the first settlement; another note on a settled conflict is 409; no such conflict 404."""
        env = node.settle(key, settler(body.by, device.device), body.note)
        data = env.data
        return {
            "key": key,
            "dossier": env.dossier,
            "settled_by": str(data.get("by") or env.origin),
            "note": str(data.get("note", "")),
            "at": env.at,
            "event": env.key,
        }

    return r
