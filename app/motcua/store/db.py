"""Opening a SQLite file the one way the app does: WAL, one writer, readers on their own connections.

Writers serialise on a process-wide lock per file *and* on ``BEGIN IMMEDIATE``, so two processes (the
app and a CLI command, say) never interleave a read-modify-write. Readers get a connection per thread.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from motcua.domain.errors import MotcuaError
from motcua.i18n import tr
from motcua.store.permissions import private_dir, private_file

BUSY_TIMEOUT_MS = 15_000
SLOW_LOCK_S = 1.0  # another process held the file this long: worth a line in the log

log = logging.getLogger(__name__)

_file_locks: dict[str, threading.RLock] = {}
_file_locks_guard = threading.Lock()


def _lock_for(path: str) -> threading.RLock:
    with _file_locks_guard:
        return _file_locks.setdefault(path, threading.RLock())


def connect(path: Path | str) -> Database:
    """A sqlite-utils Database on its own connection, tuned for the app."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable in WAL mode against application crashes; a power cut may lose the last
        # transaction but never corrupts the file.
        db.execute("PRAGMA synchronous = NORMAL")
    return db


class Busy(Exception):
    """The write lock is held right now (by another thread of this process, or by another process)."""


# SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 50 and then 100 ms between its tries: with another process
# writing all the time (the centre server's workers, motcua.server.workers) a waiting write slept on for tens of
# milliseconds after the lock was free, and the queue's writes took hundreds. Those waiting for the lock here try
# again every fraction of a millisecond (at most 2 ms), and get it soon after it is released.
LOCK_RETRY_FIRST_S = 0.0002


def next_lock_retry(pause: float) -> float:
    """The pause after ``pause`` between two tries for the write lock."""
    return min(pause * 1.5, 0.002)


def _try_begin(db: Database) -> None:
    """``BEGIN IMMEDIATE`` at once; :class:`Busy` when another process holds the write lock."""
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", sqlite3.SQLITE_BUSY) & 0xFF == sqlite3.SQLITE_BUSY:  # BUSY_*: extended
            raise Busy from None
        raise


def _begin(db: Database, timeout_s: float = BUSY_TIMEOUT_MS / 1000) -> None:
    """``BEGIN IMMEDIATE``, waiting up to ``timeout_s`` while another process holds the write lock."""
    deadline = time.monotonic() + timeout_s
    pause = LOCK_RETRY_FIRST_S
    while True:
        try:
            _try_begin(db)
            return
        except Busy:
            if time.monotonic() >= deadline:
                raise sqlite3.OperationalError("database is locked") from None
        time.sleep(pause)
        pause = next_lock_retry(pause)


@contextmanager
def _committed(db: Database) -> Iterator[Database]:
    """The block of a transaction just begun: committed when it ends, rolled back when it raises."""
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


class Store:
    """One SQLite file: a single guarded writer connection and per-thread reader connections.

    Args:
        path: the database file (created when missing).
        migrate: a callable applied to the writer before anything else (schema migrations).
    """

    def __init__(self, path: Path | str, migrate: Callable[[Database], None] | None = None) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            # Created 0600 before SQLite opens it: its -wal and -shm files take the database file's mode.
            private_file(private_dir(self.path.parent, tighten=False) / self.path.name)
        self._lock = _lock_for(str(self.path.resolve()))
        self._writer = connect(self.path)
        self._local = threading.local()
        self._readers: list[Database] = []
        self._readers_guard = threading.Lock()
        self._closed = False
        if migrate is not None:
            with self._lock:
                migrate(self._writer)
        self._writer.execute("PRAGMA busy_timeout = 0")  # its transactions wait for the lock in _begin (see there)

    @contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction (``BEGIN IMMEDIATE``): everything inside commits together or not at all."""
        if self._closed:
            raise MotcuaError(tr("Cơ sở dữ liệu đã đóng"))
        with self._lock:
            db = self._writer
            if db.conn.in_transaction:  # nested use on the same thread: join the outer transaction
                yield db
                return
            waited = time.monotonic()
            _begin(db)
            waited = time.monotonic() - waited
            if waited > SLOW_LOCK_S:
                log.info("waited %.1f s for the write lock of %s", waited, self.path.name)
            with _committed(db):
                yield db

    @contextmanager
    def write_now(self) -> Iterator[Database]:
        """:meth:`write`, begun only if the lock is free at once; :class:`Busy` otherwise, before anything ran.

        For an event loop, which must not stop to wait for the lock: it awaits a moment and tries again.
        """
        if self._closed:
            raise MotcuaError(tr("Cơ sở dữ liệu đã đóng"))
        if not self._lock.acquire(blocking=False):
            raise Busy
        try:
            db = self._writer
            if db.conn.in_transaction:  # nested on this thread: the outer transaction holds the lock already
                yield db
                return
            _try_begin(db)
            with _committed(db):
                yield db
        finally:
            self._lock.release()

    def leave_checkpoints(self) -> None:
        """Commits of this store no longer copy the WAL back into the database: something else checkpoints it
        (motcua.server.checkpoints), so a commit never waits for that copy and its sync."""
        with self._lock:
            self._writer.execute("PRAGMA wal_autocheckpoint = 0")

    def read(self) -> Database:
        """This thread's reader connection (sees every committed write)."""
        if self._closed:
            raise MotcuaError(tr("Cơ sở dữ liệu đã đóng"))
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            self._local.db = db
            with self._readers_guard:
                self._readers.append(db)
        return db

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        with self._readers_guard:
            for db in self._readers:
                db.close()
            self._readers.clear()
        with self._lock:
            self._writer.close()
