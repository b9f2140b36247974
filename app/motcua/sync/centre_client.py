"""Dossier-number leases from a centre server over HTTP (a workstation of a multi-machine centre)."""

from __future__ import annotations

from datetime import date, datetime

from motcua.sync.http import HttpPool, TransportError

API = "/api/v1"


class HttpCentreLeases:
    """A :class:`motcua.services.leases.LeaseSource` that asks the centre server (``POST /api/v1/code-leases``).

    A lease is not idempotent on purpose: a retried request at worst leases a second disjoint block, and unused
    numbers are simply never printed. Unreachable or refusing servers raise ``ConnectionError``, which the
    reception service treats as "offline: draw from the blocks already leased".

    Args:
        base_url: "http://192.168.1.10:8765".
        token: a counter or admin token.
        timeout: seconds for the request.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 5.0) -> None:
        self._http = HttpPool(base_url, {"Authorization": f"Bearer {token}"}, timeout)

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        body = {"agency_id": agency_id, "day": day.isoformat(), "station_id": station_id, "size": size}
        try:
            r = self._http.request("POST", f"{API}/code-leases", body=body)
        except TransportError as exc:
            raise ConnectionError(f"centre unreachable: {exc}") from exc
        if r.status != 200:
            raise ConnectionError(f"centre refused the lease: HTTP {r.status} {r.body[:200]!r}")
        data = r.json()
        return int(data["first"]), int(data["last"])

    def close(self) -> None:
        self._http.close()
