"""The node above, as the sync engine sees it: push events and files, pull changes, fetch the catalog.

:class:`HttpUpstream` speaks the exchange protocol over HTTP(S) (docs/sync.md). A one-PC centre's workstation
talks to the centre in its own process through ``motcua.server.local_upstream.LocalUpstream`` instead; both raise
:class:`LinkDown` when the node above cannot be reached or answers with a server error (retry later, nothing is
lost) and :class:`Refused` when it refuses the credential (a person must act).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from motcua.domain.accounts import AccountRefused
from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.sync.http import HttpPool, Tls, TransportError, error_message

API = "/api/v1/sync"

log = logging.getLogger(__name__)


class LinkDown(ConnectionError):
    """Unreachable, timed out, cut short or a 5xx: the link or the server is down for now."""


class Refused(MotcuaError):
    """The node above refused us (401/403: a revoked or wrong credential): retrying will not help."""


class OffsetConflict(Exception):
    """The node above holds a different number of bytes of this file than we thought: resume from ``received``."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


@dataclass(frozen=True, slots=True)
class ChangesPage:
    cursor: int
    more: bool
    dossiers: list[dict[str, Any]]


class Closeable(Protocol):
    def close(self) -> None: ...


class Upstream(Protocol):
    label: str

    def listen(self, on_change: Callable[[], None]) -> Closeable:
        """Call ``on_change`` (on another thread) whenever the node above announces that its changes moved."""
        ...

    def push(self, texts: Sequence[str]) -> list[dict[str, Any]]: ...

    def known(self, keys: Sequence[str]) -> set[str]: ...

    def upload_state(self, sha: str) -> tuple[int, bool]: ...

    def upload_states(self, shas: Sequence[str]) -> dict[str, tuple[int, bool]]: ...

    def upload_chunk(self, sha: str, offset: int, total: int, chunk: bytes) -> tuple[int, bool]: ...

    def download(self, sha: str, offset: int, length: int) -> tuple[bytes, int]: ...

    def changes(self, after: int, limit: int) -> ChangesPage: ...

    def catalog(self, etag: str | None) -> tuple[str, str] | None: ...

    def published(self, name: str, etag: str | None) -> tuple[str, str] | None: ...

    def health(self) -> bool: ...

    def close(self) -> None: ...


class HttpUpstream:
    """The exchange protocol over HTTP(S).

    Args:
        base_url: the server, "https://tinh.example.vn:8443" or "http://192.168.1.10:8765".
        token: this node's credential (a workstation's device token; a centre's province credential).
        timeout: seconds per request (reads of a large page or chunk included).
        tls: how to trust an https server (CA file or pinned certificate fingerprint).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 20.0,
        tls: Tls | None = None,
        retries: int = 2,
        retry_delay_s: float = 0.3,
    ) -> None:
        self.label = base_url
        self._http = HttpPool(base_url, {"Authorization": f"Bearer {token}"}, timeout, tls)
        self._token = token
        self._tls = tls
        self.retries = retries
        self.retry_delay_s = retry_delay_s

    def _call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> Any:
        # Every call of the protocol may be repeated harmlessly (events by key, chunks by offset, pages by
        # cursor), so a blip is retried here at once: on a link that drops one request in five, a round would
        # otherwise rarely finish.
        for attempt in range(self.retries + 1):
            try:
                r = self._http.request(method, API + path, body=body, params=params, headers=headers)
            except TransportError as exc:
                failure = f"{self.label}: {type(exc).__name__}: {exc}"
            else:
                if r.status < 500 and r.status not in (408, 429):
                    break
                failure = f"{self.label}: HTTP {r.status}"
            if attempt == self.retries:
                raise LinkDown(failure)
            log.debug("%s %s: %s; trying again", method, path, failure)
            time.sleep(self.retry_delay_s * (attempt + 1))
        if r.status in ok:
            return r
        message = error_message(r.body)
        if r.status in (401, 403):
            raise Refused(tr("Máy chủ {url} từ chối: {message}", url=self.label, message=message))
        raise Refused(tr("Máy chủ {url} trả lời {status}: {message}", url=self.label, status=r.status, message=message))

    def listen(self, on_change: Callable[[], None]) -> Closeable:
        """The server's push stream (``/sync/stream``); the runner's own rounds cover the times it is down."""
        from motcua.sync.push_listener import ChangeListener

        return ChangeListener(
            self.label.rstrip("/") + "/api/v1",
            self._token,
            lambda _seq: on_change(),
            stream_path="/sync/stream",
            poll_path=None,
            tls=self._tls,
        ).start()

    def push(self, texts: Sequence[str]) -> list[dict[str, Any]]:
        r = self._call("POST", "/events", body={"events": list(texts)})
        results: list[dict[str, Any]] = r.json()["results"]
        if len(results) != len(texts):
            raise LinkDown(f"{self.label}: {len(results)} results for {len(texts)} events")
        return results

    def push_audit(self, entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]] | None:
        """Audit entries (``POST /audit``), each with its own answer; None from a server without the route (an older
        version: the entries wait for its update)."""
        r = self._call("POST", "/audit", body={"entries": list(entries)}, ok=(200, 404))
        if r.status == 404:
            return None
        results: list[dict[str, Any]] = r.json()["results"]
        return results

    def put_account(self, username: str, body: str) -> None:
        """An account changed here, to the centre's accounts document (``PUT /accounts/{username}``).

        Raises:
            AccountRefused: the centre will not take this change, now or later (403, 409, 422, or answered but not
                applied by a centre that takes signed changes only).
        """
        r = self._call("PUT", f"/accounts/{username}", body=json.loads(body), ok=(200, 403, 409, 422))
        if r.status != 200:
            raise AccountRefused(error_message(r.body) or f"HTTP {r.status}", unknown_signer=r.status == 403)
        answer = r.json()
        if answer.get("applied") is False:
            raise AccountRefused(str(answer.get("reason") or ""))

    def known(self, keys: Sequence[str]) -> set[str]:
        return set(self._call("POST", "/events/known", body={"keys": list(keys)}).json()["known"])

    def upload_state(self, sha: str) -> tuple[int, bool]:
        data = self._call("GET", f"/uploads/{sha}").json()
        return int(data["received"]), bool(data["complete"])

    def upload_states(self, shas: Sequence[str]) -> dict[str, tuple[int, bool]]:
        out: dict[str, tuple[int, bool]] = {}
        for i in range(0, len(shas), 1000):
            data = self._call("POST", "/uploads/states", body={"sha256": list(shas[i : i + 1000])}).json()
            out.update({k: (int(v["received"]), bool(v["complete"])) for k, v in data["states"].items()})
        return out

    def upload_chunk(self, sha: str, offset: int, total: int, chunk: bytes) -> tuple[int, bool]:
        r = self._call("PUT", f"/uploads/{sha}", body=chunk, params={"offset": offset, "total": total}, ok=(200, 409))
        data = r.json()
        if r.status == 409:
            raise OffsetConflict(int(data["received"]))
        return int(data["received"]), bool(data["complete"])

    def download(self, sha: str, offset: int, length: int) -> tuple[bytes, int]:
        r = self._call("GET", f"/documents/{sha}", params={"offset": offset, "length": length}, ok=(200, 404))
        if r.status == 404:
            raise FileNotFoundError(sha)
        return r.body, int(r.headers.get("x-document-size") or 0)

    def changes(self, after: int, limit: int) -> ChangesPage:
        data = self._call("GET", "/changes", params={"after": after, "limit": limit}).json()
        return ChangesPage(int(data["cursor"]), bool(data["more"]), list(data["dossiers"]))

    def catalog(self, etag: str | None) -> tuple[str, str] | None:
        headers = {"If-None-Match": f'"{etag}"'} if etag else {}
        r = self._call("GET", "/catalog", headers=headers, ok=(200, 304, 404))
        if r.status != 200:
            return None
        new = r.headers.get("etag", "").strip('"')
        return new, r.body.decode("utf-8")

    def published(self, name: str, etag: str | None) -> tuple[str, str] | None:
        headers = {"If-None-Match": f'"{etag}"'} if etag else {}
        r = self._call("GET", f"/published/{name}", headers=headers, ok=(200, 304, 404))
        if r.status != 200:
            return None
        return r.headers.get("etag", "").strip('"'), r.body.decode("utf-8")

    def health(self) -> bool:
        try:
            r = self._http.request("GET", "/api/v1/health")
        except TransportError:
            return False
        return r.status == 200

    def close(self) -> None:
        self._http.close()
