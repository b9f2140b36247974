"""The centre database's WAL checkpoints, run by a thread of their own rather than inside a write's COMMIT.

SQLite copies the write-ahead log back into the database file (and syncs it) at the commit that takes the log past
1,000 pages. The queue's writes commit on the server's event loop (motcua.server.writer), so that commit stopped
every request of the process for as long as the copy and the sync took. Here the server's own connections leave
checkpoints alone (``wal_autocheckpoint = 0``) and this thread runs a passive one every quarter of a second, which
neither waits for nor blocks readers and writers. Other programs on the database (the CLI, a workstation) keep
SQLite's automatic checkpoints.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL_S = 0.25


class Checkpoints:
    """Passive WAL checkpoints of ``path`` every ``interval_s`` until stopped.

    Attributes:
        runs: checkpoints run (tests watch it).
    """

    def __init__(self, path: Path, interval_s: float = INTERVAL_S) -> None:
        self.path = path
        self.interval_s = interval_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Checkpoints:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoints", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        conn = sqlite3.connect(str(self.path), timeout=1.0, isolation_level=None)
        try:
            while not self._stop.wait(self.interval_s):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    self.runs += 1
                except sqlite3.Error as exc:  # busy for a moment: the next round copies what this one did not
                    log.debug("WAL checkpoint skipped: %s", exc)
        finally:
            conn.close()
