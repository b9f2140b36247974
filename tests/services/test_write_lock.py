"""A write waits for another process's transaction and goes ahead once it ends; past its time it is refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from motcua.store import db as store_db
from motcua.store.db import Store

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO t (v) VALUES ('other process')")
print("HELD", flush=True)
sys.stdin.readline()  # until the test lets go
conn.execute("COMMIT")
"""


def _schema(db) -> None:  # type: ignore[no-untyped-def]
    db.execute("CREATE TABLE IF NOT EXISTS t (v TEXT)")


def _holder(path: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HELD"
    return proc


def _release(holder: subprocess.Popen[str]) -> int:
    holder.communicate("\n", timeout=10)  # also closes its pipes
    return holder.returncode


def test_a_write_waits_for_another_process_and_then_goes_ahead(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.sqlite", _schema)
    holder = _holder(store.path)
    done = threading.Event()

    def write() -> None:
        with store.write() as db:
            db.execute("INSERT INTO t (v) VALUES ('this process')")
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert not done.wait(0.3)  # the other process holds the lock: this write waits, it does not fail
        assert _release(holder) == 0
        writer.join(10)
        assert done.is_set()
        rows = [r[0] for r in store.read().execute("SELECT v FROM t ORDER BY rowid")]
        assert rows == ["other process", "this process"]  # both kept, in the order they committed
    finally:
        if holder.poll() is None:
            _release(holder)
        store.close()


def test_a_write_that_cannot_get_the_lock_in_time_is_refused_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "c.sqlite", _schema)
    real = store_db._begin
    monkeypatch.setattr(store_db, "_begin", lambda db: real(db, timeout_s=0.2))
    holder = _holder(store.path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"), store.write() as db:
            db.execute("INSERT INTO t (v) VALUES ('never')")
        assert not store._writer.conn.in_transaction  # nothing left open: the next write starts clean
    finally:
        _release(holder)
    with store.write() as db:
        db.execute("INSERT INTO t (v) VALUES ('later')")
    assert [r[0] for r in store.read().execute("SELECT v FROM t ORDER BY rowid")] == ["other process", "later"]
    store.close()
