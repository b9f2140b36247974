""" "Something changed" inside one process: the latest queue sequence number, and who wants to hear of it.

The centre's writes publish the sequence of their last event here; the embedded UI, the server's push channel and
long-polling requests listen. Only the newest number matters (a listener re-reads whatever it shows), so a
listener that is slow simply sees fewer, later numbers: nothing is queued, nothing can pile up.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

Listener = Callable[[int], None]


class Subscription:
    """Returned by ``subscribe``: ``close()`` stops the notifications (safe to call twice)."""

    def __init__(self, close: Callable[[], None]) -> None:
        self._close = close
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()


class ChangeFeed:
    """The latest sequence number, with blocking waits and callbacks.

    Callbacks run on the thread that published (a write), so they must be quick and must not touch widgets:
    the UI re-emits them as a Qt signal.
    """

    def __init__(self, seq: int = 0) -> None:
        self._seq = seq
        self._cond = threading.Condition()
        self._listeners: list[Listener] = []
        self._held = threading.local()  # .seq: the highest number published by this thread while held, or None

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Publish what this thread publishes inside only at the end, and only if it ends without an error.

        For writes that share one transaction (motcua.server.writer): each publishes its sequence once its part is
        done, but the change exists for readers only once the whole transaction committed.
        """
        if getattr(self._held, "seq", None) is not None:  # already held further out: that one publishes
            yield
            return
        self._held.seq = 0
        try:
            yield
        except BaseException:
            self._held.seq = None  # rolled back: there is nothing new to read
            raise
        seq, self._held.seq = self._held.seq, None
        if seq:
            self.publish(seq)

    @property
    def seq(self) -> int:
        return self._seq

    def publish(self, seq: int) -> None:
        held = getattr(self._held, "seq", None)
        if held is not None:
            self._held.seq = max(held, seq)
            return
        with self._cond:
            if seq <= self._seq:
                return
            self._seq = seq
            self._cond.notify_all()
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(seq)
            except Exception:  # one broken listener must not undo a saved ticket or silence the others
                log.exception("queue change listener failed")

    def wait(self, after: int, timeout: float) -> int:
        """Block until the sequence passes ``after`` or ``timeout`` seconds pass; returns the sequence."""
        with self._cond:
            self._cond.wait_for(lambda: self._seq > after, timeout)
            return self._seq

    def subscribe(self, listener: Listener) -> Subscription:
        with self._cond:
            self._listeners.append(listener)

        def remove() -> None:
            with self._cond:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return Subscription(remove)
