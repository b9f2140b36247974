"""The queue's writes on the event loop, several to a transaction when they queue up (group commit).

Every write of the queue is one ``BEGIN IMMEDIATE`` transaction of the centre database
(:meth:`~motcua.services.queue.service.QueueService._mutate`). Under a full centre's load they queue for the one
writer anyway, and each transaction's ``BEGIN`` and ``COMMIT`` cost as much as a small write's own statements. Here
the writes waiting when the writer gets to them run in one transaction, each inside its own savepoint:

- a write that fails is rolled back to its savepoint alone, and its caller alone gets the error;
- no caller hears of its write before the transaction holding it committed, and if the commit fails every write of
  the batch fails (none of them was kept);
- the change feed hears of the batch's changes once it committed (:meth:`ChangeFeed.held`), so a display is never
  woken for a change that is not yet there to read.

They run on the event loop itself, not on a thread of their own. A writer thread gave the GIL up around every SQLite
statement and waited up to the switch interval to get it back from the busy event loop, a dozen times a write:
half of a write's time, with the database's write lock held all along, which is what the other processes of a
centre served by several (motcua.server.workers) wait for. The loop never waits for the lock: when another thread
or process holds it, the writer awaits a fraction of a millisecond and tries again (the writes arriving meanwhile
join the batch). A single write waiting alone runs alone: nothing waits for company.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from motcua.services.queue.feed import ChangeFeed
from motcua.store.db import BUSY_TIMEOUT_MS, LOCK_RETRY_FIRST_S, Busy, Store, next_lock_retry

log = logging.getLogger(__name__)

MAX_BATCH = 32  # writes per transaction at most: bounds what one commit makes the first of them wait for


@dataclass(slots=True)
class _Job:
    fn: Callable[[], Any]
    future: asyncio.Future[Any] = field(repr=False)


class QueueWriter:
    """Runs queue writes on the event loop, in batches (see the module's notes).

    Args:
        store: the centre database the writes go to (each write's own ``store.write()`` joins the batch's).
        feed: the change feed the writes publish to: held until the batch committed.
        on_failed_commit: called when a batch's transaction did not commit.
        max_batch: the most writes in one transaction.
        lock_timeout_s: how long a batch may wait for the lock before its writes fail ("database is locked").
    """

    def __init__(
        self,
        store: Store,
        feed: ChangeFeed,
        on_failed_commit: Callable[[], None] = lambda: None,
        max_batch: int = MAX_BATCH,
        lock_timeout_s: float = BUSY_TIMEOUT_MS / 1000,
    ) -> None:
        self._store = store
        self._feed = feed
        self._on_failed_commit = on_failed_commit
        self._max_batch = max(1, max_batch)
        self._lock_timeout_s = lock_timeout_s
        self._jobs: deque[_Job] = deque()
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self.batches = 0  # transactions run (tests check that queued writes share them)
        self.lock_waits = 0  # times the lock was held by another when a batch was ready

    async def run(self, fn: Callable[[], Any]) -> Any:
        """``fn()`` inside a transaction on this event loop; its result once that transaction committed."""
        loop = asyncio.get_running_loop()
        job = _Job(fn, loop.create_future())
        self._jobs.append(job)
        task = self._task
        if task is None or task.done() or task.get_loop() is not loop:
            self._wake = asyncio.Event()
            self._task = loop.create_task(self._drain(), name="queue-writer")
        assert self._wake is not None
        self._wake.set()
        return await job.future

    def close(self) -> None:
        """Run what is queued (waiting for the lock if need be), then stop."""
        jobs = list(self._jobs)
        self._jobs.clear()
        if jobs:
            _resolve(jobs, self._batch(jobs, wait=True))
        task, self._task = self._task, None
        if task is not None and not task.done() and not task.get_loop().is_closed():
            task.cancel()

    async def _drain(self) -> None:
        assert self._wake is not None
        wake = self._wake
        while True:
            await wake.wait()
            wake.clear()
            while self._jobs:
                jobs = self._take([])
                try:
                    outcomes = await self._when_free(jobs)
                except Exception:  # never let the writer die: every later write would wait for ever
                    log.exception("queue writer: a batch could not be answered")
                    outcomes = [(False, RuntimeError("queue writer failed"))] * len(jobs)
                _resolve(jobs, outcomes)

    def _take(self, jobs: list[_Job]) -> list[_Job]:
        while self._jobs and len(jobs) < self._max_batch:
            jobs.append(self._jobs.popleft())
        return jobs

    async def _when_free(self, jobs: list[_Job]) -> list[tuple[bool, Any]]:
        deadline = time.monotonic() + self._lock_timeout_s
        pause = LOCK_RETRY_FIRST_S  # the same short retries as a blocking write's (motcua.store.db)
        while True:
            try:
                return self._batch(jobs)
            except Busy:
                self.lock_waits += 1
                if time.monotonic() >= deadline:
                    return [(False, sqlite3.OperationalError("database is locked"))] * len(jobs)
            await asyncio.sleep(pause)
            pause = next_lock_retry(pause)
            self._take(jobs)  # those that came meanwhile join

    def _batch(self, jobs: list[_Job], wait: bool = False) -> list[tuple[bool, Any]]:
        """Raises :class:`Busy` (before anything ran) when the lock is held by another and ``wait`` is False."""
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self._feed.held(), self._store.write() if wait else self._store.write_now() as db:
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
        except Busy:
            raise
        except _Failed as failed:
            self.batches += 1
            return [(False, failed.error)]
        except Exception as exc:  # BEGIN or COMMIT failed, or SQLite undid the transaction: nothing was kept
            self.batches += 1
            self._on_failed_commit()
            return [(False, exc)] * len(jobs)
        self.batches += 1
        return outcomes


class _Failed(Exception):
    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


def _outcome(fn: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, fn()
    except Exception as exc:  # the write's own refusal or failure: its caller's to hear
        return False, exc


def _resolve(jobs: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
    for job, (ok, value) in zip(jobs, outcomes, strict=True):
        if job.future.done():  # the client went away: the write stands, nobody is waiting for its answer
            continue
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
