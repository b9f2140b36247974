"""What every device asks every couple of seconds reads the end of an index, not the whole event table."""

from __future__ import annotations

from motcua.store import queue_read
from motcua.store.db import Store


def _plan(store: Store, sql: str, params: list[object]) -> str:
    return " | ".join(r[3] for r in store.read().execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


def test_latest_seq_and_changes_since_use_the_sequence_index(centre_store: Store, queue) -> None:
    for _ in range(3):
        queue.issue_ticket("HT")
    latest = "SELECT MAX(seq) FROM queue_events WHERE centre = ?"
    since = f"SELECT {queue_read.EVENT_COLUMNS} FROM queue_events WHERE centre = ? AND seq > ?"
    assert "queue_events_seq" in _plan(centre_store, latest, ["TEST"])
    assert "SCAN" not in _plan(centre_store, since, ["TEST", 1])
    assert queue_read.latest_seq(centre_store.read(), queue.centre) == queue.latest_seq() >= 3
