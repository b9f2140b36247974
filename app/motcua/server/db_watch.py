"""What another process committed to the centre database, heard by this one.

A centre server of several worker processes (:mod:`motcua.server.workers`) shares one SQLite file. A display's
long-poll or a workstation's push stream held by one worker must wake when a clerk's call is written by another,
and each worker's change feeds hear only their own process's writes. Here each worker asks SQLite every few
milliseconds whether anything was committed since it last asked (``PRAGMA data_version``, a look at the WAL's
shared index: no read of a table), and only then reads the heads and publishes them to its feeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL_S = 0.005  # what a change written by another worker may add to its call-to-display


class DatabaseWatch:
    """Runs ``on_change`` callbacks (on the event loop) soon after any other connection committed to ``path``.

    Args:
        path: the database file.
        on_change: each reads what it follows and publishes it (a feed ignores a sequence it already has).
        interval_s: how often SQLite is asked.
    """

    def __init__(self, path: Path, on_change: Sequence[Callable[[], None]], interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.on_change = list(on_change)
        self.interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Call on the event loop (the server's start-up)."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="db-watch")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        conn = sqlite3.connect(str(self.path), timeout=1.0)
        try:
            last = conn.execute("PRAGMA data_version").fetchone()[0]
            while True:
                await asyncio.sleep(self.interval_s)
                try:
                    version = conn.execute("PRAGMA data_version").fetchone()[0]
                except sqlite3.Error:  # busy for a moment (a checkpoint): ask again next time
                    continue
                if version == last:
                    continue
                last = version
                for publish in self.on_change:
                    try:
                        publish()
                    except Exception:  # one failing read must not stop the others, nor the watch
                        log.exception("database watch: publishing a change failed")
        finally:
            conn.close()
