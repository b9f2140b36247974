"""A centre's sync conflicts over HTTP: what a supervisor's PC uses when the centre server is another machine.

:class:`HttpConflictDesk` is the :class:`motcua.services.sync_repair.ConflictDesk` of such a PC (the centre's
sync node is that of a one-PC centre): ``GET /api/v1/sync/conflicts`` and
``POST /api/v1/sync/conflicts/{key}/settle`` (:mod:`motcua.server.conflicts_api`) with the workstation's token.
Every failure is a :class:`MotcuaError` with a sentence for the supervisor: the centre unreachable
(:class:`CentreUnreachableError`), the token refused (:class:`AccessDeniedError`), the centre's own refusal
(no such conflict, already settled by someone else …).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.queue import AccessDeniedError, CentreUnreachableError
from motcua.domain.queue_codec import error_from_kind
from motcua.domain.sync_conflicts import ConflictItem
from motcua.i18n import tr
from motcua.sync.http import HttpPool, PinMismatch, Response, Tls, TransportError

PATH = "/api/v1/sync/conflicts"


class HttpConflictDesk:
    """The centre server's conflicts (thread-safe).

    Settling is safe to repeat (the centre answers the same note with the first settlement), so a request that
    got no answer is tried again, ``retries`` times, before the centre is said to be unreachable.

    Args:
        base_url: "http://192.168.1.10:8765" (the workstation's ``[sync] centre_url``).
        token: the workstation's device token (a counter's).
        timeout: seconds for one request.
    """

    def __init__(
        self, base_url: str, token: str, *, timeout: float = 5.0, retries: int = 1, tls: Tls | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._http = HttpPool(self.base_url, {"Authorization": f"Bearer {token}"}, timeout, tls)

    def close(self) -> None:
        self._http.close()

    def conflicts(self) -> list[ConflictItem]:
        data = self._request("GET", PATH)
        return [_item(c) for c in data["conflicts"]]

    def settle(self, key: str, actor: str, note: str) -> dict[str, Any]:
        """Settle ``key`` as ``actor`` (the signed-in supervisor; the centre adds this PC's device name)."""
        result: dict[str, Any] = self._request(
            "POST", f"{PATH}/{quote(key, safe='')}/settle", {"note": note, "by": actor}
        )
        return result

    def _request(self, method: str, path: str, body: Any = None) -> Any:
        error = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(0.2 * attempt)
            try:
                r = self._http.request(method, path, body=body)
            except PinMismatch:
                raise MotcuaError(
                    tr("Máy chủ trung tâm trả lời bằng chứng thư khác dấu vân tay đã cấu hình (centre_tls_pin_sha256)")
                ) from None
            except TransportError as exc:
                error = str(exc) or type(exc).__name__
                continue
            if r.status >= 500:
                error = f"HTTP {r.status}"
                continue
            if r.status >= 400:
                raise _refusal(r)
            return r.json()
        raise CentreUnreachableError(
            tr(
                "Không kết nối được máy chủ trung tâm {url} để xem và xử lý xung đột; hãy thử lại sau ({error})",
                url=self.base_url,
                error=error,
            )
        )


def _item(data: dict[str, Any]) -> ConflictItem:
    return ConflictItem(
        key=str(data["key"]),
        dossier=str(data["dossier"]),
        kind=str(data["kind"]),
        origin=str(data["origin"]),
        at=str(data["at"]),
        action=str(data["action"]),
        settled_by=None if data.get("settled_by") is None else str(data["settled_by"]),
    )


def _refusal(r: Response) -> MotcuaError:
    data = r.json_object()
    detail = data.get("detail")
    if r.status in (401, 403):
        return AccessDeniedError(
            tr("Máy chủ trung tâm không cho máy này xử lý xung đột: {reason}", reason=str(detail or r.status))
        )
    if "error" in data:
        return error_from_kind(str(data["error"]), str(data.get("message", "")))
    if r.status == 404:  # the route itself: a centre that does not run the dossiers' sync
        return MotcuaError(tr("Máy chủ trung tâm không giữ xung đột đồng bộ (chưa bật đồng bộ hồ sơ ở đó)"))
    if r.status == 429 and isinstance(detail, str):
        return MotcuaError(detail)
    if r.status == 422:
        return ValidationError(tr("Dữ liệu gửi lên máy chủ không hợp lệ: {detail}", detail=str(detail)))
    return MotcuaError(tr("Máy chủ trung tâm từ chối yêu cầu (HTTP {status})", status=r.status))
