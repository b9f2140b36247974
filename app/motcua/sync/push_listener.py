"""Hearing of queue changes from the centre server: Server-Sent Events, with polling while they are down.

The listener keeps one ``GET /stream`` open. When it drops (the server restarted, the network blinked) it polls
``GET /seq`` and tries the stream again after a back-off that doubles up to ``max_backoff``; once the stream is
back it stops polling. The server sends the current sequence on every (re)connection, so nothing is missed:
the callback hears the newest number and the caller re-reads. Numbers may repeat or skip; that is harmless.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable

from motcua.sync.http import HttpPool, Tls, TransportError

log = logging.getLogger(__name__)

HEARTBEAT_S = 2.0  # asked of the server: how soon a stopped or dead stream is noticed


class ChangeListener:
    """A background thread calling ``on_change(seq)`` for every new sequence number the centre announces.

    Args:
        api_url: the server's API root, "http://host:port/api/v1".
        token: the device's bearer token (a display's read-only token is enough).
        on_change: called on the listener's thread; must be quick (re-emit as a Qt signal).
        poll_interval: seconds between polls while the stream is down.
        max_backoff: the longest wait between two attempts to reopen the stream.
        stream: False to poll only (a network that blocks long-lived responses).
        stream_path: the stream's path below ``api_url``.
        poll_path: what to poll while the stream is down (None: nothing; the caller has its own timer).
        tls: how to trust an https server.

    Attributes:
        connected: whether the push stream is open now (False: polling).
        reconnects: how many times the stream was reopened after a drop.
    """

    def __init__(
        self,
        api_url: str,
        token: str,
        on_change: Callable[[int], None],
        *,
        poll_interval: float = 2.0,
        max_backoff: float = 5.0,
        stream: bool = True,
        stream_path: str = "/stream",
        poll_path: str | None = "/seq",
        tls: Tls | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.on_change = on_change
        self.poll_interval = poll_interval
        self.max_backoff = max_backoff
        self.use_stream = stream
        self.stream_path = stream_path
        self.poll_path = poll_path
        self.connected = False
        self.reconnects = 0
        self._last: int | None = None
        self._ever_connected = False
        self._stop = threading.Event()
        self._http = HttpPool(self.api_url, {"Authorization": f"Bearer {token}"}, 3.0, tls)
        self._thread = threading.Thread(target=self._run, name="queue-push", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        """Stop listening; returns once the thread has ended (at most about one heartbeat)."""
        self._stop.set()
        self._thread.join(timeout)
        self._http.close()

    def _deliver(self, seq: int) -> None:
        if seq == self._last:
            return
        self._last = seq
        try:
            self.on_change(seq)
        except Exception:  # the caller's bug must not kill the listener
            log.exception("queue change callback failed")

    def _stream_once(self) -> None:
        # Its own connection, read line by line; the read timeout (three heartbeats) notices a dead server.
        conn = self._http.connect(timeout=HEARTBEAT_S * 3)
        try:
            headers = {**self._http.headers, "Accept": "text/event-stream"}
            conn.request("GET", self._http.url(self.stream_path, {"heartbeat": HEARTBEAT_S}), headers=headers)
            r = conn.getresponse()
            if r.status != 200:
                raise OSError(f"push stream refused: HTTP {r.status}")
            if self._ever_connected:
                self.reconnects += 1
            self._ever_connected = self.connected = True
            while not self._stop.is_set():
                line = r.readline()
                if not line:
                    return  # the server closed the stream (shutting down)
                if line.startswith(b"data:"):
                    self._deliver(int(json.loads(line[5:])["seq"]))
        finally:
            conn.close()

    def _poll_once(self) -> None:
        if self.poll_path is None:
            return  # the caller polls in its own way (the sync runner's rounds)
        try:
            r = self._http.request("GET", self.poll_path)
            if r.status == 200:
                self._deliver(int(r.json()["seq"]))
        except (*TransportError, ValueError, KeyError) as exc:
            log.debug("queue poll failed: %s", exc)

    def _run(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            if self.use_stream:
                try:
                    self._stream_once()
                    backoff = 0.2  # it worked for a while: the next drop starts the back-off afresh
                except (*TransportError, ValueError, KeyError) as exc:
                    log.debug("queue stream dropped: %s", exc)
                finally:
                    self.connected = False
                if self._stop.is_set():
                    return
            # Down (or polling only): poll now, then until it is time to try the stream again.
            waited = 0.0
            target = backoff if self.use_stream else self.poll_interval
            while not self._stop.is_set():
                self._poll_once()
                step = min(self.poll_interval, max(0.05, target - waited))
                if self._stop.wait(step):
                    return
                waited += step
                if waited >= target:
                    break
            backoff = min(self.max_backoff, backoff * 2)
