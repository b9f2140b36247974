"""Who is pushing and pulling: a workstation at a centre (its device token), a centre at the province (its
credential). Each becomes a :class:`~motcua.store.replica.Peer` that says which origins it may speak for, which
dossier codes it may create, and which feed it reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import HTTPException, Request

from motcua.i18n import tr
from motcua.server.auth import CACHE_S, TokenCheck, require
from motcua.server.guard import DEFAULT_LIMITS, Lru, RateLimiter
from motcua.store import replica_peers
from motcua.store.replica import EVERY_WORKSTATION, Peer
from motcua.store.sql import Database

SYNC_ROLES = frozenset({"counter", "admin"})


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(401, tr("Thiếu mã truy cập của thiết bị"), headers={"WWW-Authenticate": "Bearer"})
    return token


def workstation_peers(tokens: TokenCheck, agency_id: str) -> Callable[[Request], Peer]:
    """At a centre: a counter token speaks for its own workstation (device name = station id); an admin token for
    every workstation of the centre (a technician re-sending a broken PC's outbox)."""

    allowed = require(tokens, SYNC_ROLES)

    def authenticate(request: Request) -> Peer:
        device = allowed(request)
        origins = (f"{agency_id}/",) if device.role == "admin" else (f"{agency_id}/{device.device}",)
        return Peer(device.device, origins, frozenset({agency_id}), EVERY_WORKSTATION)

    return authenticate


class CentreCredentials:
    """At the province: a centre's credential (``motcua province centre add``), looked up with a short cache."""

    def __init__(
        self, db: Database, cache_size: int = DEFAULT_LIMITS.token_cache, rate: RateLimiter | None = None
    ) -> None:
        self._db = db
        self._rate = rate  # a centre's requests per second, as each device's at the centre
        self._cache: Lru[str, tuple[float, Peer | None]] = Lru(cache_size)  # bounded: made-up tokens cost no memory

    def peer(self, token: str) -> Peer | None:
        now = time.monotonic()
        hit = self._cache.get(token)
        if hit is not None and hit[0] > now:
            return hit[1]
        with self._db.read() as sql:
            record = replica_peers.peer_for_token(sql, token)
        found = None
        if record is not None:
            found = Peer(record.peer, (record.peer, f"{record.peer}/"), frozenset(record.agencies), record.peer)
        self._cache.put(token, (now + CACHE_S, found))
        return found

    def __call__(self, request: Request) -> Peer:
        found = self.peer(_bearer(request))
        if found is None:
            raise HTTPException(
                401, tr("Mã truy cập không hợp lệ hoặc đã bị thu hồi"), headers={"WWW-Authenticate": "Bearer"}
            )
        if self._rate is not None:
            self._rate.take(found.id, request.method, request.scope["path"])
        return found
