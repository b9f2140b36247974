"""The centre server's WAL checkpoints run beside the writes, not inside their commits."""

from __future__ import annotations

import time
from pathlib import Path

from motcua.config import Settings
from motcua.server.checkpoints import Checkpoints
from motcua.server.run import ServerThread, centre_app
from motcua.services.queue.service import open_queue_store
from motcua.store.db import Store

PAGE = "x" * 3500  # about a page each


def _schema(db) -> None:  # type: ignore[no-untyped-def]
    db.execute("CREATE TABLE IF NOT EXISTS t (v TEXT)")


def _write_a_lot(store: Store, batches: int = 60) -> None:
    for _ in range(batches):
        with store.write() as db:
            db.conn.executemany("INSERT INTO t (v) VALUES (?)", [(PAGE,)] * 100)
        time.sleep(0.03)  # the checkpoints' thread gets its turns


def _wal_mb(store: Store) -> float:
    return Path(f"{store.path}-wal").stat().st_size / 1e6


def test_the_wal_stays_small_when_the_checkpoints_thread_runs_and_grows_without_it(tmp_path: Path) -> None:
    left = Store(tmp_path / "left.sqlite", _schema)
    left.leave_checkpoints()
    _write_a_lot(left)
    assert _wal_mb(left) > 15  # nobody copies the log back: it holds every write
    left.close()
    kept = Store(tmp_path / "kept.sqlite", _schema)
    kept.leave_checkpoints()
    checkpoints = Checkpoints(kept.path, interval_s=0.02).start()
    try:
        _write_a_lot(kept)
    finally:
        checkpoints.stop()
    assert checkpoints.runs > 10 and _wal_mb(kept) < 8  # copied back as it went, the log starts over
    assert kept.read().execute("SELECT COUNT(*) FROM t").fetchone()[0] == 6000
    kept.close()


def test_the_centre_server_checkpoints_on_its_thread_and_its_commits_do_not(tmp_path: Path) -> None:
    store = open_queue_store(tmp_path / "centre.sqlite")
    try:
        app = centre_app(store, _config(), Settings(), tmp_path)
        assert store._writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        server = ServerThread(app).start()
        try:
            deadline = time.monotonic() + 10
            while app.state.checkpoints.runs == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert app.state.checkpoints.runs > 0
        finally:
            server.stop()
    finally:
        store.close()
    embedded = open_queue_store(tmp_path / "desk.sqlite")  # a one-PC centre's app keeps SQLite's own checkpoints
    try:
        from motcua.server.app import create_app
        from motcua.services.leases import EmbeddedCentreLeases
        from motcua.services.queue.service import QueueService

        create_app(QueueService(embedded, _config()), EmbeddedCentreLeases(embedded))
        assert embedded._writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    finally:
        embedded.close()


def _config():  # type: ignore[no-untyped-def]
    from motcua.domain.queue_config import parse_queue_config

    return parse_queue_config({"centre_id": "000.25.38.H38"})
