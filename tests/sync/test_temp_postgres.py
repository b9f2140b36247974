"""TempPostgres: a real throwaway PostgreSQL server for the province server's tests.

These tests fail (never skip) when PostgreSQL is missing: CI installs it (installer/install.sh --dev), and a
silently skipped database test would hide that the province server is untested.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from motcua.bench.postgres import TempPostgres, process_alive


def _require_postgres() -> None:
    reason = TempPostgres.unavailable_reason()
    if reason is not None:
        pytest.fail(reason, pytrace=False)


@pytest.fixture(scope="module")
def pg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TempPostgres]:
    """One server for the read/write tests (starting one costs ~1 s); the crash tests start their own."""
    _require_postgres()
    server = TempPostgres(tmp_path_factory.mktemp("pg"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


def _server_pids(server: TempPostgres) -> list[int]:
    """The postmaster and its children (backends, checkpointer, …), from /proc."""
    postmaster = server.pid
    assert postmaster is not None
    pids = [postmaster]
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) >= 2 and fields[1] == str(postmaster):  # fields after the name: state, ppid, ...
            pids.append(int(entry.name))
    return pids


def test_dsn_points_at_loopback_and_the_new_database(pg: TempPostgres) -> None:
    assert pg.dsn == f"postgresql://postgres@127.0.0.1:{pg.port}/motcua"
    with psycopg.connect(pg.dsn) as conn:
        row = conn.execute(
            "SELECT current_database(), current_user, inet_server_addr()::text, current_setting('fsync'),"
            " current_setting('max_connections')"
        ).fetchone()
    assert row == ("motcua", "postgres", "127.0.0.1/32", "off", "200")
    assert pg.log_path.is_file()


def test_create_insert_and_read_back(pg: TempPostgres) -> None:
    with psycopg.connect(pg.dsn) as conn:
        conn.execute("CREATE TABLE dossier (code text PRIMARY KEY, applicant text NOT NULL)")
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO dossier VALUES (%s, %s)",
                [("H01.01-250101-0001", "Nguyễn Văn An"), ("H01.01-250101-0002", "Trần Thị Bình")],
            )
        conn.commit()
        rows = conn.execute("SELECT code, applicant FROM dossier ORDER BY code").fetchall()
    assert rows == [("H01.01-250101-0001", "Nguyễn Văn An"), ("H01.01-250101-0002", "Trần Thị Bình")]


def test_two_connections_see_each_others_commits_and_block_on_a_row_lock(pg: TempPostgres) -> None:
    with psycopg.connect(pg.dsn, autocommit=True) as a, psycopg.connect(pg.dsn, autocommit=True) as b:
        a.execute("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)")
        a.execute("INSERT INTO counter VALUES (1, 0)")
        assert b.execute("SELECT n FROM counter").fetchone() == (0,)

        # a holds the row lock; b's update must wait for a's commit and then see a's value.
        a.execute("BEGIN")
        a.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
        done = threading.Event()

        def bump() -> None:
            b.execute("UPDATE counter SET n = n + 10 WHERE id = 1")
            done.set()

        worker = threading.Thread(target=bump)
        worker.start()
        try:
            assert not done.wait(0.3), "b's update did not wait for a's row lock"
        finally:
            a.execute("COMMIT")
            worker.join(10)
        assert done.is_set()
        assert a.execute("SELECT n FROM counter").fetchone() == (11,)


def test_kill9_then_restart_keeps_committed_data(tmp_path: Path) -> None:
    _require_postgres()
    with TempPostgres(tmp_path) as server:
        port = server.port
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (v text)")
            conn.execute("INSERT INTO t VALUES ('committed')")
        # An open transaction at the moment of the crash must vanish.
        doomed = psycopg.connect(server.dsn)
        try:
            doomed.execute("INSERT INTO t VALUES ('uncommitted')")
            old = _server_pids(server)
            assert len(old) > 1  # the postmaster and its background processes

            server.kill9()
            assert server.pid is None
            assert not [p for p in old if process_alive(p)]
            with pytest.raises(psycopg.OperationalError):
                psycopg.connect(server.dsn, connect_timeout=2).close()
        finally:
            doomed.close()

        assert server.restart() == server.dsn
        assert server.port == port
        with psycopg.connect(server.dsn) as conn:
            assert conn.execute("SELECT v FROM t").fetchall() == [("committed",)]
        assert "database system was interrupted" in server.log_path.read_text(encoding="utf-8")


def test_stop_leaves_no_server_process_and_no_directory_of_ours(tmp_path: Path) -> None:
    _require_postgres()
    server = TempPostgres(tmp_path)
    try:
        server.start()
        cluster = server.data_dir.parent
        conn = psycopg.connect(server.dsn, autocommit=True)
        try:
            conn.execute("SELECT 1")
            pids = _server_pids(server)
            # stop() must end the server even with a client still connected.
            server.stop()
        finally:
            conn.close()
    finally:
        server.stop()
    assert len(pids) > 1
    for pid in pids:
        # process_alive = os.kill(pid, 0) succeeding on a process that is not a zombie (in a container, PID 1
        # may never reap the backends the postmaster left when it exited).
        assert not process_alive(pid), f"postgres process {pid} survived stop()"
    assert server.pid is None
    server.stop()  # twice is harmless
    assert server.log_path.is_file() and server.log_path.is_relative_to(tmp_path)
    if not cluster.is_relative_to(tmp_path):
        assert not cluster.exists(), "the cluster directory outside base_dir was not removed"
    assert list(tmp_path.iterdir()), "stop() must not remove base_dir's contents"
