"""The centre server in several processes (``--workers``): what one process writes wakes the displays held by
another; a worker that dies is replaced; stopping or killing the server leaves no worker behind."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from queue_helpers import add_tokens, make_config, services_with_gaps, stored_tickets, wait_until, write_config

from motcua.bench.queue_bench import ServerProcess, child_pids, proc_stat
from motcua.server.app import create_app
from motcua.server.run import ServerThread
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.sync_setup import centre_node
from motcua.sync.queue_client import HttpQueueClient

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")


AGENCY = "000.25.38.H38"


def _worker(path: Path) -> tuple[ServerThread, object]:
    """One worker's app on its own connections to the centre database, as a spawned process has."""
    store = open_queue_store(path)
    node = centre_node(store, AGENCY, path.parent)
    queue = QueueService(store, make_config())
    app = create_app(queue, EmbeddedCentreLeases(store), sync=node, agency_id=AGENCY, shared=True)
    return ServerThread(app, name=f"worker-{id(store)}").start(), store


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[ServerThread, ServerThread, dict[str, str]]]:
    path = tmp_path / "centre.sqlite"
    store = open_queue_store(path)
    tokens = add_tokens(store, kiosks=1, counters=2, displays=1)
    store.close()
    (one, s1), (two, s2) = _worker(path), _worker(path)
    yield one, two, tokens
    for server, s in ((one, s1), (two, s2)):
        server.stop()
        s.close()  # type: ignore[attr-defined]


def test_a_call_written_by_one_worker_wakes_a_display_held_by_another(two_workers) -> None:  # type: ignore[no-untyped-def]
    one, two, tokens = two_workers
    kiosk, clerk = HttpQueueClient(one.url, tokens["K1"]), HttpQueueClient(one.url, tokens["C1"])
    display = HttpQueueClient(two.url, tokens["D1"], timeout=40.0)
    try:
        kiosk.issue_ticket("HT")
        since = display.changes(0).seq  # the ticket, written by the other worker, is already there to read
        assert since > 0
        answer: list[object] = []
        held = threading.Thread(target=lambda: answer.append(display.changes(since, ["called"], wait=30.0)))
        held.start()
        time.sleep(0.3)  # the display's request is held by worker two
        assert held.is_alive()
        called = clerk.call_next(1)
        held.join(10)  # woken by worker one's write, long before its 30 s are up
        assert not held.is_alive(), "the display was not woken by the other worker's call"
        (changes,) = answer
        assert [e.ticket_id for e in changes.events] == [called.id]  # type: ignore[attr-defined,union-attr]
    finally:
        for c in (kiosk, clerk, display):
            c.close()


def test_the_sync_feed_moved_by_another_process_reaches_this_ones_push_streams(two_workers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _one, two, _tokens = two_workers
    heard = two.app.state.sync_notifier
    before = heard.seq
    other = open_queue_store(tmp_path / "centre.sqlite")  # what another worker saves of a workstation's push
    try:
        with other.write() as db:
            db.execute("INSERT INTO rep_feed (holder, dossier) VALUES ('000.25.38.H38', 'H38.25-261202-0001')")
            top = db.execute("SELECT MAX(seq) FROM rep_feed").fetchone()[0]
    finally:
        other.close()
    assert top > before
    assert wait_until(lambda: heard.seq == top, timeout=10.0), "worker two's push streams never heard of it"


def test_only_the_first_process_runs_the_background_jobs(tmp_path: Path) -> None:
    from motcua.config import Settings
    from motcua.server.run import centre_app

    store = open_queue_store(tmp_path / "centre.sqlite")
    try:
        first = centre_app(store, make_config(), Settings(), tmp_path, primary=True, shared=True)
        other = centre_app(store, make_config(), Settings(), tmp_path, primary=False, shared=True)
        kinds = sorted(type(job).__name__ for job in first.state.background)
        assert kinds == ["BackupJob", "RetentionJob"]  # (no uplink: no province_url here)
        assert other.state.background == []  # a second backup or uplink would only run the same work twice
    finally:
        store.close()


def _children(pid: int) -> set[int]:
    """The spawned workers of ``pid`` (not multiprocessing's helper processes)."""
    found = set()
    for child in child_pids(pid):
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.add(child)
        except OSError:  # gone meanwhile
            continue
    return found


def _connections(pid: int, port: int) -> int:
    """How many established TCP connections to ``port`` process ``pid`` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local_port, state, inode = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[9]
            if local_port == port and state == "01" and inode in inodes:  # 01: ESTABLISHED
                count += 1
    return count


def _gone(pid: int) -> bool:
    fields = proc_stat(pid)
    return fields is None or fields[0] == "Z"  # no such process, or exited and not yet reaped


# Spawning a worker (a new interpreter importing the server) is slow on a busy machine.
STARTS_S = 20.0


@pytest.fixture
def centre_files(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    db = tmp_path / "centre.sqlite"
    store = open_queue_store(db)
    tokens = add_tokens(store, kiosks=1, counters=3, displays=1)
    store.close()
    return db, write_config(tmp_path / "queue.toml", 3), tokens


@linux_only
def test_a_worker_that_dies_is_replaced_and_stopping_the_server_stops_them_all(centre_files) -> None:  # type: ignore[no-untyped-def]
    db, config, tokens = centre_files
    server = ServerProcess(db, config, workers=3)
    try:
        assert wait_until(lambda: len(_children(server.pid)) == 2, timeout=STARTS_S)
        first = _children(server.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        assert wait_until(lambda: len(_children(server.pid) - first) == 1, timeout=STARTS_S), (
            "the dead worker was not replaced"
        )
        kiosk = HttpQueueClient(server.url, tokens["K1"])
        try:
            assert [kiosk.issue_ticket("HT").ticket.number for _ in range(6)] == [1, 2, 3, 4, 5, 6]
        finally:
            kiosk.close()
        workers = _children(server.pid)
    finally:
        server.stop()  # SIGTERM: a clean stop of every process (uvicorn ends by re-raising it: -15, as with one)
    assert wait_until(lambda: all(_gone(w) for w in workers), timeout=STARTS_S), "a worker outlived the server"


@linux_only
def test_when_the_server_is_killed_its_workers_exit_and_it_restarts_on_its_port(centre_files) -> None:  # type: ignore[no-untyped-def]
    db, config, tokens = centre_files
    server = ServerProcess(db, config, workers=2)
    assert wait_until(lambda: len(_children(server.pid)) == 1, timeout=STARTS_S)
    workers = _children(server.pid)
    server.kill()  # kill -9: no chance to tell anybody
    assert wait_until(lambda: all(_gone(w) for w in workers), timeout=STARTS_S), "a worker outlived the killed server"
    again = ServerProcess(db, config, server.port, workers=2)
    try:
        kiosk = HttpQueueClient(again.url, tokens["K1"])
        try:
            assert kiosk.issue_ticket("DD").ticket.number == 1
        finally:
            kiosk.close()
    finally:
        again.stop()


@linux_only
def test_a_worker_killed_mid_burst_loses_nothing_shown_and_numbering_goes_on(tmp_path: Path) -> None:
    """kill -9 of one worker while kiosks take numbers through the server: whatever it held is undone by SQLite, the
    other workers go on, and every answer lost with it is settled by the kiosk's retry with the same key."""
    import uuid

    from motcua.domain.errors import MotcuaError

    kiosks = 8
    db = tmp_path / "centre.sqlite"
    store = open_queue_store(db)
    tokens = add_tokens(store, kiosks=kiosks, counters=0, displays=0)
    store.close()
    server = ServerProcess(db, write_config(tmp_path / "queue.toml", 2), workers=2)
    shown: dict[str, tuple[int, str, int]] = {}
    lock = threading.Lock()
    stop = threading.Event()
    failures: list[int] = []

    def kiosk(i: int) -> None:
        api = HttpQueueClient(server.url, tokens[f"K{i}"], retries=0, timeout=3)
        service = "HT" if i % 2 else "DD"
        asked = 0
        while not stop.is_set():
            asked += 1
            if asked % 10 == 0:  # a new connection now and then: each process gets some of them
                api.close()
                api = HttpQueueClient(server.url, tokens[f"K{i}"], retries=0, timeout=3)
            key = uuid.uuid4().hex
            for _attempt in range(50):  # the same key until answered: once, never twice
                try:
                    t = api.issue_ticket(service, key=key).ticket
                    break
                except MotcuaError:
                    with lock:
                        failures.append(i)
                    time.sleep(0.05)
            else:
                raise AssertionError("never answered")
            with lock:
                shown[key] = (t.id, t.service, t.number)
            time.sleep(0.15)  # under a device's rate of writes (10/s): refusals here come from the kill alone
        api.close()

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(1, kiosks + 1)]
    try:
        assert wait_until(lambda: len(_children(server.pid)) == 1, timeout=STARTS_S)
        for t in threads:
            t.start()
        (worker,) = _children(server.pid)
        assert wait_until(lambda: _connections(worker, server.port) > 0, timeout=STARTS_S), (
            "the worker never took a kiosk's connection"
        )
        assert wait_until(lambda: len(shown) > 40, timeout=STARTS_S), "the burst did not get going"
        os.kill(worker, signal.SIGKILL)  # mid-burst, with kiosks' requests in it: it may hold the write lock
        before = len(shown)
        assert wait_until(lambda: len(shown) > before + 40, timeout=STARTS_S), "the other worker did not go on"
    finally:
        stop.set()
        for t in threads:
            t.join(60)
        server.stop()
    rows = stored_tickets(db, "id, service, number")
    assert set(rows) == set(shown.values())  # each shown once, nothing kept that nobody was shown
    assert services_with_gaps((r[1], r[2]) for r in rows) == [], "gap or repeat in a service's numbers"
