"""Bearer tokens per device, with roles: kiosk, counter, display (read only), rating (a counter's rating pad) and
admin.

Tokens live in the centre database (``device_tokens``, SHA-256 only); ``motcua queue token add`` makes them. A
counter token may be bound to one counter number: it then acts for that counter only. A rating pad's token is
always bound to its counter: it rates there and reads, nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable

from fastapi import HTTPException, Request

from motcua.i18n import tr
from motcua.server.guard import DEFAULT_LIMITS, Limits, Lru, RateLimiter
from motcua.store import device_tokens
from motcua.store.db import Store
from motcua.store.device_tokens import Device

CACHE_S = 5.0  # a revoked token stops working within this many seconds
KNOWN_TOKENS = 65536  # devices' tokens remembered: only issued tokens get in, so this bounds nothing a client sends

READ = frozenset({"kiosk", "counter", "display", "admin", "rating"})
KIOSK = frozenset({"kiosk", "admin"})
COUNTER = frozenset({"counter", "admin"})
LEASES = frozenset({"counter", "admin"})
RATE = frozenset({"rating", "counter", "admin"})
ADMIN = frozenset({"admin"})
REPORT = frozenset({"counter", "admin"})  # a supervisor's workstation runs with its counter token


class TokenCheck:
    """Resolve ``Authorization: Bearer …`` to a :class:`Device`, with a short cache (one lookup per token), and
    spend one request of that device's rate (:class:`~motcua.server.guard.RateLimiter`).

    Made-up tokens are remembered ``limits.token_cache`` at most (the least recently used forgotten): a client
    sending a new one with every request costs one lookup each, never memory, and never evicts a real device.
    """

    def __init__(self, store: Store, limits: Limits = DEFAULT_LIMITS) -> None:
        self._store = store
        # Two caches: the made-up tokens a flood sends are remembered only so far (``limits.token_cache``) and can
        # never push the centre's own devices out, whose cache must hold the whole fleet (a centre of a thousand
        # counters taking turns would otherwise miss on every request: a database read on the event loop each).
        self._known: Lru[str, tuple[float, Device]] = Lru(KNOWN_TOKENS)
        self._unknown: Lru[str, float] = Lru(limits.token_cache)
        self.rate = RateLimiter(limits)

    @property
    def cached(self) -> int:
        """How many made-up (or revoked) tokens' lookups are remembered."""
        return len(self._unknown)

    @property
    def known(self) -> int:
        """How many devices' tokens are remembered (bounded by the tokens the centre issued)."""
        return len(self._known)

    def resolve(self, token: str) -> Device | None:
        """The device of ``token`` (None: no such token, or revoked), from the cache when it is fresh."""
        now = time.monotonic()
        hit = self._known.get(token)
        if hit is not None and hit[0] >= now:
            return hit[1]
        miss = self._unknown.get(token)
        if miss is not None and miss >= now:
            return None
        found = device_tokens.lookup(self._store.read(), token)
        if found is None:
            self._unknown.put(token, now + CACHE_S)
        else:
            self._known.put(token, (now + CACHE_S, found))
        return found

    def device(self, request: Request) -> Device:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(401, tr("Thiếu mã truy cập của thiết bị"), headers={"WWW-Authenticate": "Bearer"})
        found = self.resolve(token)
        if found is None:
            raise HTTPException(
                401, tr("Mã truy cập không hợp lệ hoặc đã bị thu hồi"), headers={"WWW-Authenticate": "Bearer"}
            )
        self.rate.take(found.device, request.method, request.scope["path"])  # (request.url would build a URL)
        return found


def require(check: TokenCheck, roles: Iterable[str]) -> Callable[[Request], Device]:
    """A FastAPI dependency: the calling device, which must have one of ``roles`` (403 otherwise)."""
    allowed = frozenset(roles)

    def dependency(request: Request) -> Device:
        device = check.device(request)
        if device.role not in allowed:
            raise HTTPException(
                403,
                tr("Thiết bị {device} ({role}) không được phép làm việc này", device=device.device, role=device.role),
            )
        return device

    return dependency


def require_async(check: TokenCheck, roles: Iterable[str]) -> Callable[[Request], Awaitable[Device]]:
    """:func:`require` run on the event loop: the check is a cache lookup (a database read once per token and
    ``CACHE_S``), not worth a hop to a worker thread and back on every request of the queue's hot paths."""
    sync = require(check, roles)

    async def dependency(request: Request) -> Device:
        return sync(request)

    return dependency


def check_counter(device: Device, counter: int) -> None:
    """A counter-bound token may act only for its own counter; a rating pad's, only for its own (always bound)."""
    bound = device.role == "rating" or (device.role == "counter" and device.counter is not None)
    if bound and device.counter != counter:
        raise HTTPException(
            403,
            tr("Thiết bị {device} chỉ được làm việc cho quầy {counter}", device=device.device, counter=device.counter),
        )
