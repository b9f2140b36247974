"""The queue's writes on one thread, several to a transaction when they queue up (group commit).

Every write of the queue is one ``BEGIN IMMEDIATE`` transaction of the centre database
(:meth:`~motcua.services.queue.service.QueueService._mutate`). Under a full centre's load they queue for the one
writer anyway, and each transaction's ``BEGIN`` and ``COMMIT`` cost as much as a small write's own statements, each
statement a hand-over of the GIL between this thread and the event loop. Here the writes waiting when the thread
gets to them run in one transaction, each inside its own savepoint:

- a write that fails is rolled back to its savepoint alone, and its caller alone gets the error;
- no caller hears of its write before the transaction holding it committed, and if the commit fails every write of
  the batch fails (none of them was kept);
- the change feed hears of the batch's changes once it committed (:meth:`ChangeFeed.held`), so a display is never
  woken for a change that is not yet there to read.

A single write waiting alone runs alone, as before: nothing waits for company.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from motcua.services.queue.feed import ChangeFeed
from motcua.store.db import Store

log = logging.getLogger(__name__)

MAX_BATCH = 32  # writes per transaction at most: bounds what one commit makes the first of them wait for


@dataclass(slots=True)
class _Job:
    fn: Callable[[], Any]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any] = field(repr=False)


class QueueWriter:
    """Runs queue writes on one thread, in batches (see the module's notes).

    Args:
        store: the centre database the writes go to (each write's own ``store.write()`` joins the batch's).
        feed: the change feed the writes publish to: held until the batch committed.
        on_failed_commit: called (on the writer thread) when a batch's transaction did not commit.
        max_batch: the most writes in one transaction.
    """

    def __init__(
        self,
        store: Store,
        feed: ChangeFeed,
        on_failed_commit: Callable[[], None] = lambda: None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._store = store
        self._feed = feed
        self._on_failed_commit = on_failed_commit
        self._max_batch = max(1, max_batch)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # transactions run (tests check that queued writes share them)

    async def run(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` on the writer thread, inside a transaction; its result once that transaction committed."""
        loop = asyncio.get_running_loop()
        job = _Job(fn, loop, loop.create_future())
        self._start()
        self._jobs.put(job)
        return await job.future

    def _start(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._loop, name="queue-writer", daemon=True)
                    self._thread.start()

    def close(self, timeout: float = 10.0) -> None:
        """Run what is queued, then stop the thread."""
        with self._start_lock:
            thread, self._thread = self._thread, None  # a later write (the app served again) starts a new one
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout)

    def _loop(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            jobs = [first]
            stop = False
            while len(jobs) < self._max_batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    stop = True
                    break
                jobs.append(job)
            try:
                self._settle(jobs, self._batch(jobs))
            except Exception:  # never let the one writer thread die: every later write would wait for ever
                log.exception("queue writer: a batch could not be answered")
            if stop:
                return

    def _batch(self, jobs: list[_Job]) -> list[tuple[bool, Any]]:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._feed.held(), self._store.write() as db:
                for job in jobs:
                    if len(jobs) == 1:  # alone: its own transaction, no savepoint needed
                        outcomes.append(_outcome(job.fn))
                        continue
                    db.execute("SAVEPOINT queue_write")
                    ok, value = _outcome(job.fn)
                    if not ok:
                        db.execute("ROLLBACK TO queue_write")
                    db.execute("RELEASE queue_write")
                    outcomes.append((ok, value))
                if len(jobs) == 1 and not outcomes[0][0]:
                    raise _Failed(outcomes[0][1])  # undo it whole, as its own transaction would have been
        except _Failed as failed:
            return [(False, failed.error)]
        except Exception as exc:  # BEGIN or COMMIT failed, or SQLite undid the transaction: nothing was kept
            self._on_failed_commit()
            return [(False, exc)] * len(jobs)
        finally:
            self.batches += 1
        return outcomes

    @staticmethod
    def _settle(jobs: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, tuple[bool, Any]]]] = {}
        for job, outcome in zip(jobs, outcomes, strict=True):
            by_loop.setdefault(job.loop, []).append((job, outcome))
        for loop, settled in by_loop.items():  # one wake-up of the event loop per batch, not one per write
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, settled)


class _Failed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


def _outcome(fn: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, fn()
    except Exception as exc:  # the write's own refusal or failure: its caller's to hear
        return False, exc


def _resolve(settled: list[tuple[_Job, tuple[bool, Any]]]) -> None:
    for job, (ok, value) in settled:
        if job.future.cancelled():  # the client went away: the write stands, nobody is waiting for its answer
            continue
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
