"""Running the sync engine in the background: rounds when something changed or a timer says so, exponential
back-off with jitter while the link is down, and a try at once when it comes back.

The runner owns one thread. ``wake()`` (a clerk saved something, the node above announced a change) starts a round
soon; ``status()`` is what the status bar and ``motcua sync status`` show. A link that is down is not an error to
anyone: the counter keeps working and the count of waiting changes grows until the link returns.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from motcua.domain.errors import MotcuaError
from motcua.sync.engine import Report, SyncEngine
from motcua.sync.upstream import LinkDown

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Backoff:
    """Delays between tries while failing: base × 2^(n-1), capped, then "equal jitter" (half fixed, half random),
    so that a hundred communes whose link came back at once do not all knock in the same second."""

    base_s: float = 1.0
    cap_s: float = 300.0

    def delay(self, failures: int, rng: random.Random) -> float:
        if failures <= 0:
            return 0.0
        ceiling = min(self.cap_s, self.base_s * 2 ** min(failures - 1, 30))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass
class RunnerStatus:
    """What a person (or ``motcua sync status``) is told about the link."""

    online: bool | None = None  # None: not tried yet
    last_success: float | None = None  # time.time() of the last round that finished
    last_error: str = ""
    failures: int = 0
    rounds: int = 0
    next_try_in: float = 0.0
    totals: Report = field(default_factory=Report)


class SyncRunner:
    """A background thread around a :class:`SyncEngine`.

    Args:
        engine: the engine (its upstream is probed with ``health()`` while down).
        interval_s: a round at least this often while all is well.
        backoff: delays while the link is down.
        probe_s: while down, check the link this often; a success starts a round at once.
        on_status: called on the runner's thread after every round (re-emit it as a Qt signal).
        before_round: called before each round (a workstation tops up its dossier-number leases here).
        seed: for the jitter (tests).
    """

    def __init__(
        self,
        engine: SyncEngine,
        *,
        interval_s: float = 15.0,
        backoff: Backoff | None = None,
        probe_s: float = 5.0,
        on_status: Callable[[RunnerStatus], None] | None = None,
        before_round: Callable[[], None] | None = None,
        seed: int | None = None,
        name: str = "sync",
    ) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self.backoff = backoff or Backoff()
        self.probe_s = probe_s
        self.on_status = on_status
        self.before_round = before_round
        self._rng = random.Random(seed)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._status = RunnerStatus()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> SyncRunner:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Start a round soon (something changed here or above)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def status(self) -> RunnerStatus:
        with self._lock:
            s = self._status
            return RunnerStatus(s.online, s.last_success, s.last_error, s.failures, s.rounds, s.next_try_in, s.totals)

    def run_round(self) -> Report:
        """One round now, on the caller's thread (``motcua sync run --once``); raises LinkDown / Refused."""
        if self.before_round is not None:
            try:
                self.before_round()
            except (OSError, ConnectionError, MotcuaError) as exc:
                log.info("before the sync round: %s", exc)
        report = self.engine.run_once()
        with self._lock:
            self._status.online = True
            self._status.failures = 0
            self._status.last_success = time.time()
            self._status.last_error = ""
            self._status.rounds += 1
            self._status.totals.add(report)
        return report

    def _failed(self, exc: Exception) -> float:
        progressed = self.engine.report.moved
        with self._lock:
            self._status.online = False
            # A round that moved something before the link failed is a flaky link, not a dead one: try again
            # soon rather than doubling the wait.
            self._status.failures = 1 if progressed else self._status.failures + 1
            self._status.totals.add(self.engine.report)
            self._status.last_error = str(exc)[:300]
            self._status.rounds += 1
            delay = self.backoff.delay(self._status.failures, self._rng)
            self._status.next_try_in = delay
        return delay

    def _notify(self) -> None:
        if self.on_status is not None:
            try:
                self.on_status(self.status())
            except Exception:  # a listener's bug must not stop the sync
                log.exception("sync status listener failed")

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                started = time.monotonic()
                report = self.run_round()
                log.info(
                    "round %.2fs: pushed %d (stored %d, dup %d, refused %d, parked %d), pulled %d, files %d up %d down",
                    time.monotonic() - started, report.pushed, report.stored, report.duplicates, report.refused,
                    report.parked, report.pulled, report.uploaded, report.downloaded,
                )  # fmt: skip
                wait = 0.0 if report.moved else self.interval_s
                with self._lock:
                    self._status.next_try_in = wait
            except (LinkDown, MotcuaError, OSError) as exc:
                # MotcuaError: refused credential or a bad answer; OSError: a local disk problem. Both wait like
                # a link that is down, and say why in the status.
                log.warning("sync round failed: %s", exc)
                wait = self._failed(exc)
                self._notify()
                self._wait_down(wait)
                continue
            except Exception as exc:  # never let the thread die: say it, wait, try again
                log.exception("sync round crashed")
                wait = self._failed(exc)
            self._notify()
            if wait:
                self._wake.wait(wait)

    def _wait_down(self, delay: float) -> None:
        """Wait out the back-off, but look for the link meanwhile: when it answers, try at once."""
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            if self._wake.wait(min(self.probe_s, left)):
                return
            try:
                if self.engine.upstream.health():
                    return
            except Exception:  # a probe must never kill the thread
                log.debug("link probe failed", exc_info=True)
