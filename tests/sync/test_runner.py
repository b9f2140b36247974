"""The background runner: back-off with jitter and a cap while the link is down, a try at once when it returns,
and a round at once after a local save."""

from __future__ import annotations

import random
import threading
import time

from motcua.sync.engine import Report
from motcua.sync.runner import Backoff, SyncRunner
from motcua.sync.upstream import LinkDown


def test_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    b = Backoff(base_s=1.0, cap_s=60.0)
    rng = random.Random(1)
    for failures, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (7, 60.0), (40, 60.0)):
        delays = [b.delay(failures, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4  # spread out: communes do not all knock at once
    assert b.delay(0, rng) == 0


class FlakyEngine:
    """An engine whose upstream is down until ``up`` is set; counts rounds."""

    def __init__(self) -> None:
        self.up = threading.Event()
        self.rounds = 0
        self.report = Report()
        self.upstream = self
        self.succeeded = threading.Event()

    def health(self) -> bool:
        return self.up.is_set()

    def run_once(self) -> Report:
        self.rounds += 1
        self.report = Report()
        if not self.up.is_set():
            raise LinkDown("down")
        self.succeeded.set()
        return Report(pushed=0)


def test_when_the_link_returns_the_runner_tries_at_once_not_after_its_backoff() -> None:
    engine = FlakyEngine()
    runner = SyncRunner(engine, interval_s=3600, backoff=Backoff(60.0, 600.0), probe_s=0.05, seed=3)  # type: ignore[arg-type]
    runner.start()
    try:
        deadline = time.monotonic() + 5
        while runner.status().online is not False and time.monotonic() < deadline:
            time.sleep(0.01)  # the first round has failed and the runner has chosen its wait
        status = runner.status()
        assert status.online is False and status.next_try_in >= 30  # backing off for a minute
        engine.up.set()  # the link is back
        assert engine.succeeded.wait(5), "the runner waited out its back-off instead of trying when the link returned"
        assert runner.status().online is True
    finally:
        runner.stop()


def test_a_save_wakes_the_runner() -> None:
    engine = FlakyEngine()
    engine.up.set()
    runner = SyncRunner(engine, interval_s=3600, seed=1)  # type: ignore[arg-type]
    runner.start()
    try:
        assert engine.succeeded.wait(5)
        before = engine.rounds
        time.sleep(0.2)
        assert engine.rounds == before  # idle: waits for its (long) interval
        runner.wake()
        deadline = time.monotonic() + 5
        while engine.rounds == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert engine.rounds == before + 1
    finally:
        runner.stop()
