"""Dossier-number leases from a centre server over HTTP (a workstation of a multi-machine centre)."""

from __future__ import annotations

from datetime import date, datetime

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.sync.http import HttpPool, PinMismatch, Tls, TransportError, error_message

API = "/api/v1"


class HttpCentreLeases:
    """A :class:`motcua.services.leases.LeaseSource` that asks the centre server (``POST /api/v1/code-leases``).

    A lease is not idempotent on purpose: a retried request at worst leases a second disjoint block, and unused
    numbers are simply never printed. An unreachable or failing server raises ``ConnectionError``, which the
    reception service treats as "offline: draw from the blocks already leased"; a refusal (bad token, a limit,
    another centre's agency) raises :class:`MotcuaError` with the centre's reason.

    Args:
        base_url: "http://192.168.1.10:8765".
        token: a counter or admin token.
        timeout: seconds for the request.
    """

    def __init__(self, base_url: str, token: str, timeout: float = 5.0, tls: Tls | None = None) -> None:
        self._http = HttpPool(base_url, {"Authorization": f"Bearer {token}"}, timeout, tls)

    def lease(self, agency_id: str, day: date, station_id: str, size: int, now: datetime) -> tuple[int, int]:
        body = {"agency_id": agency_id, "day": day.isoformat(), "station_id": station_id, "size": size}
        try:
            r = self._http.request("POST", f"{API}/code-leases", body=body)
        except PinMismatch:
            # Not an outage: someone else answers at the centre's address (or its certificate was replaced).
            raise MotcuaError(
                tr("Máy chủ trung tâm trả lời bằng chứng thư khác dấu vân tay đã cấu hình (centre_tls_pin_sha256)")
            ) from None
        except TransportError as exc:
            raise ConnectionError(f"centre unreachable: {exc}") from exc
        if r.status >= 500:
            raise ConnectionError(f"centre failed: HTTP {r.status}")
        if r.status != 200:
            # A refusal, not an outage: say why (a revoked token, a limit reached, a wrong agency id).
            raise MotcuaError(
                tr(
                    "Máy chủ trung tâm không cấp số hồ sơ: {message}",
                    message=error_message(r.body) or f"HTTP {r.status}",
                )
            )
        data = r.json()
        return int(data["first"]), int(data["last"])

    def close(self) -> None:
        self._http.close()
