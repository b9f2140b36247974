"""A single-slot mailbox: the newest item replaces an unread one, so a slow reader never works on stale data."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

T = TypeVar("T")


class Mailbox(Generic[T]):
    """Holds at most one item; ``put`` overwrites, ``take`` waits for one.

    Attributes:
        dropped: items overwritten before anyone took them.
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._item: T | None = None
        self._full = False
        self._closed = False
        self.dropped = 0

    def put(self, item: T) -> None:
        """Leave ``item`` for the reader, dropping an unread one; ignored once closed."""
        with self._changed:
            if self._closed:
                return
            self.dropped += self._full
            self._item, self._full = item, True
            self._changed.notify()

    def take(self, timeout: float | None = None) -> T | None:
        """The item, once there is one; None when closed and empty, or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._full or self._closed, timeout)
            if not self._full:
                return None
            item, self._item, self._full = self._item, None, False
            return item

    def close(self, discard: bool = False) -> None:
        """No more puts; a waiting ``take`` returns the last item (unless ``discard``), then None."""
        with self._changed:
            self._closed = True
            if discard:
                self._item, self._full = None, False
            self._changed.notify_all()
