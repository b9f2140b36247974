"""Who is signed in at a counter, a counter's services for one day, the supervisor's snapshot, and migration 0002
on a database made by the previous version."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from queue_helpers import make_config

from motcua.domain.errors import ValidationError
from motcua.domain.queue import TicketState
from motcua.domain.reports.facts import CounterActivity, RatingLevel
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store import device_tokens
from motcua.store.db import Store
from motcua.store.queue_schema import queue
from motcua.store.report_facts import ticket_facts
from motcua.store.schema import migrate_centre


def counter(q: QueueService, n: int):  # type: ignore[no-untyped-def]
    return next(c for c in q.board(0).counters if c.number == n)


def test_presence_is_shown_and_changes_make_events(queue: QueueService, clock: object) -> None:
    assert counter(queue, 1).clerk == ""
    view = queue.set_clerk(1, "  lan.nt ")
    assert view.clerk == "lan.nt" and counter(queue, 1).clerk == "lan.nt"
    seq = queue.latest_seq()
    clock.now += timedelta(minutes=5)  # type: ignore[attr-defined]
    queue.set_clerk(1, "lan.nt")  # the window rebuilt (a language switch): nothing changes, "since" is kept
    assert queue.latest_seq() == seq
    since = next(c for c in queue.snapshot(clock.now.date(), clock.now.date()).counters if c.number == 1).since  # type: ignore[attr-defined]
    assert since == datetime(2026, 11, 23, 9, 30)
    queue.set_clerk(1, None)
    assert counter(queue, 1).clerk == ""
    assert [e.kind for e in queue.events(0)] == ["clerk", "clerk"]
    with pytest.raises(ValidationError):
        queue.set_clerk(1, "x" * 65)
    with pytest.raises(ValidationError):
        queue.set_clerk(1, "lan\x00nt")


def test_a_counter_reassigned_for_today_calls_from_its_new_services(queue: QueueService, clock: object) -> None:
    queue.issue_ticket("HT")
    b = queue.issue_ticket("DD").ticket
    queue.assign_services(1, ["DD"])  # counter 1 serves HT first by queue.toml
    assert counter(queue, 1).services == ("DD",)
    assert [e.kind for e in queue.events(0)][-1] == "assigned"
    called = queue.call_next(1)
    assert called is not None and called.id == b.id
    queue.finish(1, b.id)
    assert queue.call_next(1) is None  # the HT ticket waits for another counter today
    clock.now += timedelta(days=1)  # type: ignore[attr-defined]
    assert counter(queue, 1).services == ("HT", "DD")  # tomorrow: queue.toml again


def test_the_kiosk_estimate_counts_only_counters_serving_the_service_today(queue: QueueService) -> None:
    for _ in range(3):
        queue.issue_ticket("HT")
    assert queue.issue_ticket("HT").estimated_wait_min == 8  # 3 ahead, 8 min each, 3 counters
    queue.assign_services(2, ["DD"])
    queue.assign_services(3, ["DD"])
    assert queue.issue_ticket("HT").estimated_wait_min == 32  # 4 ahead, one counter left for HT


def test_an_assignment_must_name_known_services(queue: QueueService) -> None:
    with pytest.raises(ValidationError, match="XX"):
        queue.assign_services(1, ["HT", "XX"])
    with pytest.raises(ValidationError):
        queue.assign_services(1, [])
    assert queue.assign_services(1, ["DD", "HT", "DD"]).services == ("DD", "HT")


def test_the_snapshot_has_the_tickets_ratings_counters_and_names(queue: QueueService, clock: object) -> None:
    day = clock.now.date()  # type: ignore[attr-defined]
    queue.set_clerk(1, "lan.nt")
    queue.set_clerk(2, "minh.lv")
    queue.set_clerk(3, "hoa.pt")
    queue.pause(2)
    queue.issue_ticket("HT")
    clock.now += timedelta(minutes=3)  # type: ignore[attr-defined]
    t = queue.call_next(1)
    assert t is not None
    queue.set_clerk(3, None)
    snap = queue.snapshot(day, day)
    assert snap.tickets == tuple(ticket_facts(queue.store.read(), "TEST", day, day))
    assert [x.state for x in snap.tickets] == [TicketState.CALLED]
    by = {c.number: c for c in snap.counters}
    assert (by[1].activity, by[1].since, by[1].ticket, by[1].clerk) == (
        CounterActivity.SERVING,
        datetime(2026, 11, 23, 9, 33),
        "A001",
        "lan.nt",
    )
    assert (by[2].activity, by[2].since) == (CounterActivity.PAUSED, datetime(2026, 11, 23, 9, 30))
    assert (by[3].activity, by[3].since, by[3].clerk) == (CounterActivity.CLOSED, None, "")
    assert dict(snap.service_names) == {"HT": "Hộ tịch", "DD": "Đất đai", "KH": "Khác"}
    queue.rate(1, RatingLevel.SATISFIED)
    assert len(queue.snapshot(day, day).ratings) == 1
    assert queue.snapshot(day - timedelta(days=3), day - timedelta(days=1)).ratings == ()


def test_an_idle_counter_and_the_range_limits(queue: QueueService) -> None:
    queue.set_clerk(1, "lan.nt")
    day = date(2026, 11, 23)
    assert next(c for c in queue.snapshot(day, day).counters if c.number == 1).activity is CounterActivity.IDLE
    queue.snapshot(date(2025, 11, 23), day)  # 366 days: allowed
    with pytest.raises(ValidationError):
        queue.snapshot(date(2025, 11, 22), day)
    with pytest.raises(ValidationError):
        queue.snapshot(day, day - timedelta(days=1))


def test_migration_0002_keeps_the_tokens_and_lets_a_rating_pad_in(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    old = Store(path, lambda db: (migrate_centre(db), queue.apply(db, stop_before="0002_ratings_presence")))
    with old.write() as db:
        tokens = device_tokens.add_fleet(db, datetime(2026, 1, 1), kiosks=1, counters=2, displays=1)
        device_tokens.revoke(db, "D1", datetime(2026, 1, 2))
        db.execute("CREATE INDEX device_tokens_role ON device_tokens(role)")  # an index made since is kept
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db.execute(
                "INSERT INTO device_tokens (token_sha256, device, role, created_at) VALUES ('x', 'P', 'rating', '')"
            )
    old.close()
    store = open_queue_store(path)
    try:
        db = store.read()
        assert device_tokens.lookup(db, tokens["C2"]) == device_tokens.Device("C2", "counter", 2)
        assert device_tokens.lookup(db, tokens["D1"]) is None  # still revoked
        assert len(device_tokens.list_devices(db)) == 4
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'device_tokens'")}
        assert "device_tokens_role" in names
        with store.write() as w:
            pad = device_tokens.add_token(w, "PAD1", "rating", datetime(2026, 2, 1), 1)
            with pytest.raises(ValueError):
                device_tokens.add_token(w, "PAD2", "rating", datetime(2026, 2, 1))  # a pad belongs to a counter
        assert device_tokens.lookup(store.read(), pad) == device_tokens.Device("PAD1", "rating", 1)
        service = QueueService(store, make_config())
        service.set_clerk(1, "lan.nt")  # the new columns are there
    finally:
        store.close()
    again = open_queue_store(path)  # opening it again applies nothing twice
    again.close()


def test_a_rating_pad_token_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from motcua.cli import main

    db = str(tmp_path / "centre.sqlite")
    assert main(["queue", "--db", db, "token", "add", "PAD1", "--role", "rating"]) == 2
    assert "--counter" in capsys.readouterr().err
    assert main(["queue", "--db", db, "token", "add", "PAD1", "--role", "rating", "--counter", "2"]) == 0
    token = capsys.readouterr().out.strip()
    store = open_queue_store(tmp_path / "centre.sqlite")
    try:
        assert device_tokens.lookup(store.read(), token) == device_tokens.Device("PAD1", "rating", 2)
    finally:
        store.close()
