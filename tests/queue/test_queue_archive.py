"""Closed days' events leave the table every device polls; a client that held on to an old sequence gets a snapshot;
"what changed since N" costs the same however long the history; the board is built once per change."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, datetime
from pathlib import Path

from motcua.services.queue.service import QueueService
from motcua.store import queue_archive, queue_read
from motcua.store.backup import create_backup
from motcua.store.db import Store

DAY1, DAY2 = date(2026, 11, 23), date(2026, 11, 24)


def _events(store: Store, table: str) -> list[tuple[int, str]]:
    return store.read().execute(f"SELECT seq, business_day FROM {table} ORDER BY seq").fetchall()


def _a_day_of_work(queue: QueueService) -> int:
    for _ in range(3):
        queue.issue_ticket("HT")
    called = queue.call_next(1)
    assert called is not None
    queue.finish(1, queue.start(1, called.id).id)
    return queue.latest_seq()


def test_the_first_write_of_a_day_archives_the_closed_days_and_an_old_seq_gets_a_snapshot(
    queue: QueueService, centre_store: Store, clock: object
) -> None:
    yesterday = _a_day_of_work(queue)
    clock.set("2026-11-24 07:30")  # type: ignore[attr-defined]
    assert queue.changes(yesterday).snapshot is False  # nothing written today yet: nothing moved
    today = queue.issue_ticket("DD").ticket

    assert {d for _, d in _events(centre_store, "queue_events")} == {"2026-11-24"}
    archived = _events(centre_store, "queue_events_archive")
    assert [s for s, _ in archived] == list(range(1, yesterday + 1)) and {d for _, d in archived} == {"2026-11-23"}
    assert queue_archive.head(centre_store.read(), queue.centre) == (yesterday + 1, yesterday)
    assert queue.latest_seq() == yesterday + 1  # the sequence never goes back, whatever was moved

    # A display switched off yesterday: a full snapshot, not an error and not a gap.
    old = queue.changes(yesterday - 2, kinds=("called",))
    assert old.snapshot and old.events == () and old.board is not None
    assert old.seq == yesterday + 1 and old.board.business_day == DAY2
    assert [s.waiting for s in old.board.services if s.code == "DD"] == [1]
    # One that saw yesterday's last change just carries on with today's.
    fresh = queue.changes(yesterday)
    assert not fresh.snapshot and [e.ticket_id for e in fresh.events] == [today.id] and fresh.board is None
    # A sequence from another database (restored, replaced) is answered the same way.
    assert queue.changes(yesterday + 50).snapshot


def test_reports_and_backups_still_see_an_archived_day(
    queue: QueueService, centre_store: Store, clock: object, tmp_path: Path
) -> None:
    yesterday = _a_day_of_work(queue)
    clock.set("2026-11-24 08:00")  # type: ignore[attr-defined]
    queue.issue_ticket("HT")

    kinds = [e.kind for e in queue_archive.day_events(centre_store.read(), queue.centre, DAY1)]
    assert kinds == ["issued"] * 3 + ["called", "started", "finished"]
    assert [e.kind for e in queue_archive.day_events(centre_store.read(), queue.centre, DAY2)] == ["issued"]
    report = queue.snapshot(DAY1, DAY1)
    assert len(report.tickets) == 3

    copy = create_backup(centre_store.path.parent, tmp_path / "backups", datetime(2026, 11, 24, 8), "test")
    conn = sqlite3.connect(copy / centre_store.path.name)
    try:
        assert conn.execute("SELECT COUNT(*) FROM queue_events_archive").fetchone()[0] == yesterday
        assert conn.execute("SELECT seq FROM queue_head").fetchone()[0] == yesterday + 1
    finally:
        conn.close()


def _plan(store: Store, sql: str, params: list[object]) -> str:
    return " | ".join(r[3] for r in store.read().execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


def test_changed_since_n_reads_one_head_row_and_a_range_of_the_sequence_index(
    queue: QueueService, centre_store: Store
) -> None:
    _a_day_of_work(queue)
    head = _plan(centre_store, "SELECT seq FROM queue_head WHERE centre = ?", ["TEST"])
    assert head == "SEARCH queue_head USING INDEX sqlite_autoindex_queue_head_1 (centre=?)"
    since = (
        f"SELECT {queue_read.EVENT_COLUMNS} FROM queue_events WHERE centre = ? AND seq > ? AND seq <= ? "
        "AND kind IN (?, ?) ORDER BY seq LIMIT ?"
    )
    plan = _plan(centre_store, since, ["TEST", 1, 5, "called", "recalled", 10])
    assert "queue_events_seq (centre=? AND seq>? AND seq<?)" in plan and "SCAN" not in plan
    # The head is the trigger's, not a guess: an event written by any other means moves it too.
    with centre_store.write() as db:
        db.execute(
            "INSERT INTO queue_events (centre, at, business_day, kind) VALUES ('TEST', '2026-11-23T10:00', "
            "'2026-11-23', 'paused')"
        )
    top = centre_store.read().execute("SELECT MAX(seq) FROM queue_events").fetchone()[0]
    assert queue_read.latest_seq(centre_store.read(), "TEST") == top


def test_the_board_is_built_once_per_change_however_many_displays_read_it(queue: QueueService) -> None:
    queue.issue_ticket("HT")
    builds = queue.boards.builds
    start = threading.Barrier(50)
    answers: list[str] = []

    def display() -> None:
        start.wait()
        answers.append(queue.board_json())
        answers.append(queue.changes_json(0, ("called",), board=True))

    readers = [threading.Thread(target=display) for _ in range(50)]
    for t in readers:
        t.start()
    for t in readers:
        t.join()
    assert len(answers) == 100 and queue.boards.builds == builds + 1
    assert queue.board().seq == queue.latest_seq()  # still the same build
    assert queue.boards.builds == builds + 1

    called = queue.call_next(1)
    assert called is not None
    for _ in range(20):
        board = queue.board()
    assert queue.boards.builds == builds + 2
    assert board.counters[0].display == called.display  # the reader sees the change it follows


def test_retry_records_older_than_two_days_are_forgotten_at_the_first_write_of_a_day(
    queue: QueueService, centre_store: Store, clock: object
) -> None:
    def keys() -> set[str]:
        return {r[0] for r in centre_store.read().execute("SELECT key FROM queue_requests").fetchall()}

    first = queue.issue_ticket("HT", key="kiosk1-0001").ticket
    assert queue.issue_ticket("HT", key="kiosk1-0001").ticket.id == first.id  # a retry: the same ticket
    clock.set("2026-11-25 07:30")  # type: ignore[attr-defined]  # two days later: still answered
    assert queue.issue_ticket("HT", key="kiosk1-0001").ticket.id == first.id
    assert "kiosk1-0001" in keys()
    clock.set("2026-11-26 07:30")  # type: ignore[attr-defined]  # three days later
    queue.issue_ticket("DD", key="kiosk1-0002")
    assert keys() == {"kiosk1-0002"}  # the old record went with the day's first write; today's stays
