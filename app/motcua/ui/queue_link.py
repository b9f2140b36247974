"""The queue as widgets see it: one "something changed" signal on the GUI thread, whatever the transport does.

A window never trusts the push channel alone. :class:`QueueLink` re-emits every push (``subscribe``, called on a
background thread) as a queued signal, and also polls ``latest_seq`` every couple of seconds off the GUI thread:
a lost push, a server restart or a dropped stream then costs at most one poll interval, and a repeated or skipped
number does no harm because every listener re-reads what it shows. :class:`RefreshGate` runs those re-reads one at
a time, so two quick changes can never make a window process the same events twice.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

from motcua.services.queue.api import Closeable, QueueApi
from motcua.ui.ops import Op

log = logging.getLogger(__name__)


class QueueLink(QObject):
    """Push plus polling for one window.

    Args:
        api: the queue.
        parent: the window (the link lives and dies with it; its polls run as its ops).
        poll_ms: how often the latest sequence is re-read, push or no push.

    Signals:
        queue_did_change(int): the queue may have changed (the sequence heard); re-read what you show.
        connection_did_change(bool): the centre answered (True) or stopped answering (False) a poll.
    """

    queue_did_change = Signal(int)
    connection_did_change = Signal(bool)
    _pushed = Signal(int)  # emitted on the push thread, delivered queued on the GUI thread

    def __init__(self, api: QueueApi, parent: QWidget, poll_ms: int = 2000) -> None:
        super().__init__(parent)
        self.api = api
        self._window = parent
        self._seq: int | None = None
        self._online: bool | None = None
        self._polling = False
        self._subscription: Closeable | None = None
        self._pushed.connect(self._heard)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.setInterval(poll_ms)

    @property
    def online(self) -> bool:
        return bool(self._online)

    def start(self) -> QueueLink:
        """Subscribe to the push channel (off the GUI thread: an HTTP client connects there) and start polling."""

        def subscribe() -> Closeable:
            return self.api.subscribe(self._on_push)

        Op(self._window, subscribe).success(self._subscribed).failure(lambda e: log.warning("no push: %s", e)).run()
        self.timer.start()
        self.poll()
        return self

    def close(self) -> None:
        self.timer.stop()
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None

    def _subscribed(self, sub: Closeable) -> None:
        if not self.timer.isActive():  # closed before the subscription came back
            sub.close()
        else:
            self._subscription = sub
            # A window deleted without close() (a child panel of a closed window) must not leave a listener behind.
            self.destroyed.connect(lambda *_: sub.close())

    def _on_push(self, seq: int) -> None:
        # Push thread: never touch Qt objects here beyond emitting; the window may be gone already.
        with contextlib.suppress(RuntimeError):
            self._pushed.emit(seq)

    @Slot(int)
    def _heard(self, seq: int) -> None:
        self._set_online(True)
        if seq != self._seq:
            self._seq = seq
            self.queue_did_change.emit(seq)

    def poll(self) -> None:
        if self._polling:  # a slow centre: do not stack polls
            return
        self._polling = True
        Op(self._window, self.api.latest_seq).success(self._polled).failure(self._poll_failed).run()

    def _polled(self, seq: int) -> None:
        self._polling = False
        self._heard(seq)

    def _poll_failed(self, exc: Exception) -> None:
        self._polling = False
        log.debug("queue poll failed: %s", exc)
        self._set_online(False)

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            self.connection_did_change.emit(online)


class RefreshGate:
    """Runs ``fetch`` off the GUI thread one at a time; a request while one runs makes exactly one more run.

    Args:
        parent: the widget whose op it is.
        fetch: reads what the widget shows (worker thread).
        show: gets the result (GUI thread).
        failed: gets the error (GUI thread).
    """

    def __init__(
        self,
        parent: QWidget,
        fetch: Callable[[], Any],
        show: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ) -> None:
        self._parent = parent
        self._fetch = fetch
        self._show = show
        self._failed = failed
        self._running = False
        self._again = False

    def request(self, *_args: object) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        Op(self._parent, self._fetch).success(self._done_ok).failure(self._done_err).run()

    def _done_ok(self, result: Any) -> None:
        self._running = False
        self._show(result)
        if self._again:
            self.request()

    def _done_err(self, exc: Exception) -> None:
        self._running = False
        self._failed(exc)
        if self._again:
            self.request()
