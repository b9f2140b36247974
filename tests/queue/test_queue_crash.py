"""kill -9 of the centre server in the middle of a burst, then a restart on the same database and port."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

from queue_helpers import add_tokens, services_with_gaps, stored_tickets, write_config

from motcua.bench.queue_bench import ServerProcess
from motcua.domain.errors import MotcuaError
from motcua.services.queue.service import open_queue_store
from motcua.sync.queue_client import HttpQueueClient


def test_kill_9_mid_burst_loses_nothing_shown_and_numbering_goes_on(tmp_path: Path) -> None:
    kiosks = 8
    db = tmp_path / "centre.sqlite"
    store = open_queue_store(db)
    tokens = add_tokens(store, kiosks=kiosks, counters=0, displays=0)
    store.close()
    config = write_config(tmp_path / "queue.toml", 2)
    server = ServerProcess(db, config)
    shown: dict[str, tuple[int, str, int, str]] = {}  # key -> (id, service, number, uid) the kiosk got an OK for
    unanswered: dict[int, list[str]] = {i: [] for i in range(1, kiosks + 1)}
    lock = threading.Lock()
    stop = threading.Event()

    def kiosk(i: int) -> None:
        api = HttpQueueClient(server.url, tokens[f"K{i}"], retries=0, timeout=2)
        while not stop.is_set():
            key = uuid.uuid4().hex
            try:
                t = api.issue_ticket("HT" if i % 2 else "DD", key=key).ticket
            except MotcuaError:
                unanswered[i].append(key)  # may or may not have been saved: the retry below settles it
                time.sleep(0.05)
                continue
            with lock:
                shown[key] = (t.id, t.service, t.number, t.uid)
        api.close()

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(1, kiosks + 1)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.0)
        server.kill()  # mid-burst: requests are in flight
        before = len(shown)
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join(30)
        assert before > 20, "the burst did not get going"
        server = ServerProcess(db, config, server.port)
        # Every request whose answer was lost is retried with its key: answered once, never twice.
        for i in range(1, kiosks + 1):
            api = HttpQueueClient(server.url, tokens[f"K{i}"], retries=5, backoff=0.1)
            for key in unanswered[i]:
                t = api.issue_ticket("HT" if i % 2 else "DD", key=key).ticket
                shown[key] = (t.id, t.service, t.number, t.uid)
            for _ in range(3):
                t = api.issue_ticket("HT" if i % 2 else "DD").ticket
                shown[uuid.uuid4().hex] = (t.id, t.service, t.number, t.uid)
            api.close()
    finally:
        stop.set()
        server.stop()
    rows = stored_tickets(db, "id, service, number, uid")
    assert set(shown.values()) <= set(rows), "a ticket a kiosk showed is missing after the crash"
    assert services_with_gaps((r[1], r[2]) for r in rows) == [], "gap or repeat in a service's numbers"
    assert len({v[0] for v in shown.values()}) == len(shown)  # no two keys got the same ticket
