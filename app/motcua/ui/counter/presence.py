"""Telling the centre who is signed in at this counter: its supervisors see the counter open or closed, and a
rating made at the counter's pad names the clerk who served.

Calls run off the GUI thread and their failures are only logged: the queue may be offline, and a clerk must never
wait for it to sign in or out. Only the newest state matters, so a call overtaken by a later one is skipped (the
centre ends with what the clerk did last, whatever order the threads ran in).
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtWidgets import QWidget

from motcua.services.queue.api import QueueApi
from motcua.ui.ops import Op

log = logging.getLogger(__name__)

CLOSE_WAIT_S = 2.0  # at most this long for the sign-out to reach the centre when the window closes


class CounterPresence:
    """Who is at ``counter``, sent to the queue.

    Args:
        api: the queue.
        counter: this workstation's counter number.
        owner: the window whose ops these are.
    """

    def __init__(self, api: QueueApi, counter: int, owner: QWidget) -> None:
        self.api = api
        self.counter = counter
        self._owner = owner
        self._lock = threading.Lock()  # one call at a time, so that a skipped one is really older
        self._latest = 0
        self.clerk: str | None = None  # the last one announced
        self._done = threading.Event()
        self._done.set()

    def announce(self, username: str | None) -> threading.Event:
        """Send ``username`` (None: nobody) as the counter's clerk; the event is set once it was tried."""
        self._latest += 1
        self.clerk = username
        mine, api, counter, lock, done = self._latest, self.api, self.counter, self._lock, threading.Event()
        self._done = done

        def work() -> None:
            try:
                with lock:
                    if mine == self._latest:
                        api.set_clerk(counter, username)
            except Exception as exc:  # offline, refused: the counter works on; the next sign-in sends again
                log.warning("could not tell the centre who is at counter %s: %s", counter, exc)
            finally:
                done.set()

        Op(self._owner, work).run()
        return done

    def leave(self, wait_s: float = CLOSE_WAIT_S) -> bool:
        """Nobody at the counter any more (the window closes): waits up to ``wait_s`` for it to be sent, so that
        the app does not close the queue's connection under it. Returns whether it was sent in time (True when
        nobody was announced: there is nothing to take back)."""
        if self.clerk is None:
            return True
        return self.announce(None).wait(wait_s)
