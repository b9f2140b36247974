"""``PUT /api/v1/sync/accounts/{username}``: an account changed at a counter, taken into the centre's accounts
documents (``GET /published/accounts-signed``, and ``/published/accounts`` in the first format), which every
counter of the centre adopts, when whoever signed the change may make it (services/account_relay.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from motcua.domain.errors import ValidationError
from motcua.services.account_relay import NotAuthorised, Outdated, take_account
from motcua.services.sync_node import SyncNode
from motcua.store.replica import Peer

USERNAME = r"^[a-z][a-z0-9._-]{2,31}$"


def add_account_routes(r: APIRouter, node: SyncNode, authenticate: Callable[[Request], Peer]) -> None:
    peer_dep = Depends(authenticate)

    @r.put(
        "/accounts/{username}",
        responses={
            403: {"description": "not signed by someone who may make this change"},
            409: {"description": "the centre holds a later revision of this account"},
            422: {"description": "not a valid account"},
        },
    )
    async def put_account(
        username: Annotated[str, Path(pattern=USERNAME)], request: Request, peer: Peer = peer_dep
    ) -> dict[str, Any]:
        """One account as a counter holds it (verifiers and keys only, never a secret), signed by whoever changed
        it. An unsigned account (from a counter of an older version) is answered with ``applied: false``."""
        body = (await request.body()).decode("utf-8", errors="replace")
        try:
            taken = take_account(node, username, body)
        except ValidationError as exc:
            raise HTTPException(422, str(exc)) from None
        except NotAuthorised as exc:
            raise HTTPException(403, str(exc)) from None
        except Outdated as exc:
            raise HTTPException(409, str(exc)) from None
        return {"etag": taken.etag, "applied": taken.applied, "reason": taken.reason}
