"""A piece of maintenance run on a thread of its own, every so often, until stopped (the daily backup, the centre's
retention run): the shape of the centre server's background jobs (``start``/``stop``).

A failed run is logged and tried again at the next one; it never stops the program it runs in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

R = TypeVar("R")


class PeriodicJob(Generic[R]):
    """Runs ``work`` ``first_after_s`` after ``start``, then every ``every_s``; ``last`` is its last result.

    Args:
        work: one run; None means "nothing done this time" (``last`` keeps the previous result).
        name: the thread's name, and what the log says failed.
        enabled: whether ``start`` starts anything at all.
        stop_timeout_s: how long ``stop`` waits for a run under way to finish.
        on_error: told of each failure (after it is logged).
    """

    def __init__(
        self,
        work: Callable[[], R | None],
        name: str,
        every_s: float,
        first_after_s: float,
        *,
        enabled: Callable[[], bool] = lambda: True,
        stop_timeout_s: float = 5.0,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        self._work = work
        self.name = name
        self.every_s = every_s
        self.first_after_s = first_after_s
        self._enabled = enabled
        self._stop_timeout_s = stop_timeout_s
        self.on_error = on_error
        self.last: R | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> R | None:
        """One run now, on the caller's thread: its result, or None when it did nothing or failed."""
        try:
            result = self._work()
        except Exception as exc:  # logged, and tried again at the next run
            log.warning("%s failed: %s", self.name, exc)
            if self.on_error is not None:
                self.on_error(exc)
            return None
        if result is not None:
            self.last = result
        return result

    def start(self) -> PeriodicJob[R]:
        if self._thread is None and self._enabled():
            self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Stop; a run under way is finished first (up to ``timeout``, else the job's own limit)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self._stop_timeout_s if timeout is None else timeout)
            self._thread = None

    def _loop(self) -> None:
        wait = self.first_after_s  # the program opens its databases (and migrates them) first
        while not self._stop.wait(wait):
            self.check()
            wait = self.every_s
