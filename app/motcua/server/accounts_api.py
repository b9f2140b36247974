"""``PUT /api/v1/sync/accounts/{username}``: an account changed at a counter, taken into the centre's accounts
document (``GET /published/accounts``), which every counter of the centre adopts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from motcua.domain.errors import ValidationError
from motcua.services.account_relay import take_account
from motcua.services.sync_node import SyncNode
from motcua.store.replica import Peer

USERNAME = r"^[a-z][a-z0-9._-]{2,31}$"


def add_account_routes(r: APIRouter, node: SyncNode, authenticate: Callable[[Request], Peer]) -> None:
    peer_dep = Depends(authenticate)

    @r.put("/accounts/{username}", responses={422: {"description": "not a valid account"}})
    async def put_account(
        username: Annotated[str, Path(pattern=USERNAME)], request: Request, peer: Peer = peer_dep
    ) -> dict[str, Any]:
        """One account as a counter holds it (verifiers only, never a secret); the last change wins."""
        body = (await request.body()).decode("utf-8", errors="replace")
        try:
            etag = take_account(node, username, body)
        except ValidationError as exc:
            raise HTTPException(422, str(exc)) from None
        return {"etag": etag}
