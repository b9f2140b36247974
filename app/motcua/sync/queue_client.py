"""The queue over HTTP: what a kiosk, a counter or a display uses when the centre server is another machine.

:class:`HttpQueueClient` implements the same ``QueueApi`` as the in-process ``QueueService`` (same methods, same
records, same error classes), so the UI does not know which one it holds.

Every write carries an idempotency key (made here when the caller gives none) and is retried with that same key
on a timeout, a dropped connection or a 5xx: the server answers a repeated key with the first result, so a retry
never makes a second ticket or calls a second citizen. After the retries a :class:`CentreUnreachableError` is
raised; nothing is shown as saved unless the server said so.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from motcua.domain.device_health import SILENT_AFTER_S, DeviceHealth, DeviceRole, PaperState
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.queue import AccessDeniedError, CentreUnreachableError, Ticket
from motcua.domain.queue_codec import error_from_kind, from_json, rating_from_json, snapshot_from_json
from motcua.domain.queue_views import (
    Board,
    CounterView,
    IssuedTicket,
    KioskView,
    QueueChanges,
    QueueEvent,
    RatingPadView,
    TicketRatingView,
)
from motcua.domain.reports.facts import QueueSnapshot, RatingFact, RatingLevel
from motcua.i18n import tr
from motcua.sync.http import HttpPool, Response, Tls, TransportError
from motcua.sync.push_listener import ChangeListener

API = "/api/v1"


class HttpQueueClient:
    """A centre server's queue, over HTTP (thread-safe: one instance may serve a whole window).

    Args:
        base_url: "http://192.168.1.10:8765".
        token: this device's bearer token.
        timeout: seconds for one request (connecting: at most 2 s).
        retries: further attempts after a failed one, with the same idempotency key.
        backoff: seconds before the first retry; doubles each time.
        poll_interval: how often :meth:`subscribe` polls while the push channel is down.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.1,
        poll_interval: float = 2.0,
        tls: Tls | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.poll_interval = poll_interval
        self._http = HttpPool(self.base_url, {"Authorization": f"Bearer {token}"}, timeout, tls)

    def close(self) -> None:
        self._http.close()

    # -- plumbing ---------------------------------------------------------------------------------------
    def device_admin(self, method: str, path: str, body: Any, sign: Callable[[str, str, bytes], dict[str, str]]) -> Any:
        """One request of the centre's device-token routes (``/devices``), with the headers ``sign(method, path,
        body bytes)`` gives (an administrator's signature over exactly what is sent). Sent once: a lost answer to
        an enrolment is not repeated blindly (the device would then have a token nobody saw)."""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else b""
        headers = sign(method, API + path, data)
        if data:
            headers = {**headers, "Content-Type": "application/json"}
        try:
            r = self._http.request(method, API + path, body=data or None, headers=headers)
        except TransportError as exc:
            raise CentreUnreachableError(
                tr("Không kết nối được máy chủ trung tâm {url}: {error}", url=self.base_url, error=str(exc))
            ) from None
        if r.status >= 400:
            detail = r.json_object().get("detail")
            if r.status in (404, 422) and isinstance(detail, str):
                raise ValidationError(detail)
            raise self._refusal(r)
        return r.json()

    def _request(self, method: str, path: str, *, body: Any = None, params: Any = None, key: str | None = None) -> Any:
        headers = {"Idempotency-Key": key} if key else None
        error: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                r = self._http.request(method, API + path, body=body, params=params, headers=headers)
            except TransportError as exc:  # refused, reset, timed out: the request may or may not have landed
                error = exc
                continue
            if r.status >= 500:
                error = OSError(f"HTTP {r.status}")
                continue
            if r.status >= 400:
                raise self._refusal(r)
            return r.json()
        raise CentreUnreachableError(
            tr("Không kết nối được máy chủ trung tâm {url}: {error}", url=self.base_url, error=str(error))
        )

    @staticmethod
    def _refusal(r: Response) -> MotcuaError:
        data = r.json_object()
        if r.status in (401, 403):
            return AccessDeniedError(str(data.get("detail") or tr("Thiết bị không được phép")))
        if "error" in data:
            return error_from_kind(str(data["error"]), str(data.get("message", "")))
        detail = data.get("detail")
        if r.status == 429 and isinstance(detail, str):  # the guard's: already a sentence for a person
            return MotcuaError(detail)
        if r.status == 422:
            return ValidationError(tr("Dữ liệu gửi lên máy chủ không hợp lệ: {detail}", detail=str(detail)))
        return MotcuaError(tr("Máy chủ trung tâm từ chối yêu cầu (HTTP {status})", status=r.status))

    def _write(self, path: str, body: Any = None, key: str | None = None) -> Any:
        return self._request("POST", path, body=body, key=key or uuid.uuid4().hex)

    # -- kiosk ------------------------------------------------------------------------------------------
    def kiosk_view(self) -> KioskView:
        return from_json(KioskView, self._request("GET", "/kiosk"))

    def issue_ticket(
        self, service: str, priority_group: str | None = None, *, kiosk: str = "", key: str | None = None
    ) -> IssuedTicket:
        # ``kiosk`` is taken from the token on the server side: a device cannot pose as another.
        data = self._write("/tickets", {"service": service, "priority_group": priority_group}, key)
        return from_json(IssuedTicket, data)

    def cancel_ticket(self, ticket_id: int, *, key: str | None = None) -> Ticket:
        return from_json(Ticket, self._write(f"/tickets/{ticket_id}/cancel", key=key))

    # -- counter ----------------------------------------------------------------------------------------
    def call_next(self, counter: int, *, key: str | None = None) -> Ticket | None:
        data = self._write(f"/counters/{counter}/call-next", key=key)
        return None if data["ticket"] is None else from_json(Ticket, data["ticket"])

    def _ticket_action(
        self, counter: int, ticket_id: int, action: str, body: Any = None, key: str | None = None
    ) -> Ticket:
        return from_json(Ticket, self._write(f"/counters/{counter}/tickets/{ticket_id}/{action}", body, key))

    def recall(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_action(counter, ticket_id, "recall", key=key)

    def start(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_action(counter, ticket_id, "start", key=key)

    def finish(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_action(counter, ticket_id, "finish", key=key)

    def no_show(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket:
        return self._ticket_action(counter, ticket_id, "no-show", key=key)

    def transfer(
        self,
        counter: int,
        ticket_id: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket:
        body = {"to_service": to_service, "to_counter": to_counter}
        return self._ticket_action(counter, ticket_id, "transfer", body, key)

    def link_dossier(self, counter: int, ticket_id: int, dossier_code: str, *, key: str | None = None) -> Ticket:
        return self._ticket_action(counter, ticket_id, "dossiers", {"dossier_code": dossier_code}, key)

    def pause(self, counter: int, *, key: str | None = None) -> CounterView:
        return from_json(CounterView, self._write(f"/counters/{counter}/pause", key=key))

    def resume(self, counter: int, *, key: str | None = None) -> CounterView:
        return from_json(CounterView, self._write(f"/counters/{counter}/resume", key=key))

    # -- ratings, presence, the day's services ----------------------------------------------------------
    def rate(
        self, counter: int, level: RatingLevel, reasons: Sequence[str] = (), *, key: str | None = None
    ) -> RatingFact:
        body = {"level": RatingLevel(level).value, "reasons": list(reasons)}
        return rating_from_json(self._write(f"/counters/{counter}/rating", body, key))

    def rating_view(self, counter: int) -> RatingPadView:
        return from_json(RatingPadView, self._request("GET", f"/counters/{counter}/rating"))

    def ticket_rating_view(self, display: str, *, kiosk: str = "") -> TicketRatingView:
        # ``kiosk`` is the token's device on the server side (its wrong tries are counted there).
        return from_json(TicketRatingView, self._request("GET", f"/tickets/rating/{quote(display, safe='')}"))

    def rate_ticket(
        self,
        display: str,
        level: RatingLevel,
        reasons: Sequence[str] = (),
        *,
        kiosk: str = "",
        key: str | None = None,
    ) -> RatingFact:
        body = {"display": display, "level": RatingLevel(level).value, "reasons": list(reasons)}
        return rating_from_json(self._write("/tickets/rating", body, key))

    def set_clerk(self, counter: int, clerk: str | None, *, key: str | None = None) -> CounterView:
        return from_json(CounterView, self._write(f"/counters/{counter}/clerk", {"clerk": clerk}, key))

    def assign_services(self, counter: int, services: Sequence[str], *, key: str | None = None) -> CounterView:
        data = self._write(f"/counters/{counter}/services", {"services": list(services)}, key)
        return from_json(CounterView, data)

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        params = {"from": start.isoformat(), "to": end.isoformat(), "tickets": "true" if tickets else "false"}
        return snapshot_from_json(self._request("GET", "/report/queue", params=params))

    # -- devices' health --------------------------------------------------------------------------------
    def report_health(
        self,
        role: DeviceRole,
        printer: PaperState,
        version: str,
        *,
        device: str = "",
        counter: int | None = None,
    ) -> DeviceHealth:
        # ``device`` and ``counter`` are the token's on the server side. No idempotency key: the report is an
        # upsert of "heard now", so a retry after a lost answer writes the same state again, nothing more.
        body = {"role": DeviceRole(role).value, "printer": PaperState(printer).value, "version": version}
        return from_json(DeviceHealth, self._request("POST", "/devices/health", body=body))

    def device_health(self, silent_after_s: float = SILENT_AFTER_S) -> list[DeviceHealth]:
        data = self._request("GET", "/devices/health", params={"silent_after_s": silent_after_s})
        return [from_json(DeviceHealth, d) for d in data]

    # -- reads ------------------------------------------------------------------------------------------
    def board(self, last_calls: int = 10) -> Board:
        return from_json(Board, self._request("GET", "/board", params={"last_calls": last_calls}))

    def ticket(self, ticket_id: int) -> Ticket:
        return from_json(Ticket, self._request("GET", f"/tickets/{ticket_id}"))

    def events(self, after: int, limit: int = 200, kinds: Sequence[str] = ()) -> list[QueueEvent]:
        params = {"after": after, "limit": limit, "kinds": ",".join(kinds)}
        return [from_json(QueueEvent, e) for e in self._request("GET", "/events", params=params)]

    def latest_seq(self) -> int:
        return int(self._request("GET", "/seq")["seq"])

    def changes(self, since: int, kinds: Sequence[str] = (), *, board: bool = False, wait: float = 0.0) -> QueueChanges:
        """What changed since ``since`` (see :class:`QueueChanges`); ``wait`` > 0 holds the answer until a change
        or that many seconds (kept under this client's timeout, so a quiet centre is no error)."""
        held = max(0.0, min(wait, self._http.timeout - 1.0))
        params = {"since": since, "kinds": ",".join(kinds), "board": str(board).lower(), "wait": held}
        return from_json(QueueChanges, self._request("GET", "/changes", params=params))

    # -- push -------------------------------------------------------------------------------------------
    def subscribe(self, on_change: Callable[[int], None]) -> ChangeListener:
        """Listen on the push channel (reconnecting with back-off, polling meanwhile); ``close()`` to stop."""
        return ChangeListener(self.base_url + API, self.token, on_change, poll_interval=self.poll_interval).start()
