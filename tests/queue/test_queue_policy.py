"""The call-next policy, the state machine, numbering and estimates: pure domain rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.config import ConfigError
from motcua.domain.announcement import all_clips, announce_call
from motcua.domain.errors import TransitionError
from motcua.domain.queue import (
    Candidate,
    TicketState,
    business_day,
    check_transition,
    choose_next,
    display_number,
    estimate_wait_min,
)
from motcua.domain.queue_config import CounterConfig, QueuePolicy, parse_queue_config

NOW = datetime(2026, 11, 23, 9, 30)
POLICY = QueuePolicy(max_regular_wait_min=30, regular_every_nth=3)
COUNTER = CounterConfig(1, "Quầy 1", ("HT", "DD"))


def cand(tid: int, queue: str = "HT", priority: bool = False, waited_min: int = 1, target: int | None = None):
    return Candidate(tid, queue, priority, NOW - timedelta(minutes=waited_min), target)


def test_priority_goes_first_and_every_third_call_is_regular() -> None:
    waiting = [cand(1), cand(2), cand(3, priority=True), cand(4, priority=True), cand(5, priority=True)]
    streak, order = 0, []
    for _ in range(5):
        choice = choose_next(COUNTER, waiting, NOW, POLICY, streak)
        assert choice is not None
        order.append(choice.ticket_id)
        streak = choice.priority_streak
        waiting = [c for c in waiting if c.ticket_id != choice.ticket_id]
    assert order == [3, 4, 1, 5, 2]  # two priority, then the oldest regular (the Nth rule), then the rest


def test_a_regular_ticket_waiting_past_the_bound_goes_before_priority() -> None:
    waiting = [cand(1, waited_min=31), cand(2, priority=True, waited_min=2)]
    choice = choose_next(COUNTER, waiting, NOW, POLICY, 0)
    assert choice is not None and (choice.ticket_id, choice.reason) == (1, "overdue")
    fresh = [cand(1, waited_min=29), cand(2, priority=True)]
    assert choose_next(COUNTER, fresh, NOW, POLICY, 0).ticket_id == 2  # type: ignore[union-attr]


def test_no_starvation_under_a_steady_stream_of_priority_tickets() -> None:
    regular = cand(1)
    next_id, streak, calls = 100, 0, 0
    while True:
        waiting = [regular, cand(next_id, priority=True), cand(next_id + 1, priority=True)]
        choice = choose_next(COUNTER, waiting, NOW, POLICY, streak)
        assert choice is not None
        calls += 1
        if choice.ticket_id == 1:
            break
        streak, next_id = choice.priority_streak, next_id + 2
    assert calls <= POLICY.regular_every_nth


def test_services_are_served_in_the_counters_order_of_preference() -> None:
    waiting = [cand(1, "DD", waited_min=20), cand(2, "HT")]
    assert choose_next(COUNTER, waiting, NOW, POLICY, 0).ticket_id == 2  # type: ignore[union-attr]
    other = CounterConfig(2, "Quầy 2", ("DD", "HT"))
    assert choose_next(other, waiting, NOW, POLICY, 0).ticket_id == 1  # type: ignore[union-attr]
    assert choose_next(CounterConfig(3, "Quầy 3", ("KH",)), waiting, NOW, POLICY, 0) is None


def test_a_ticket_sent_to_a_counter_is_called_there_first_and_nowhere_else() -> None:
    waiting = [cand(1), cand(2, "DD", target=2)]
    assert choose_next(COUNTER, waiting, NOW, POLICY, 0).ticket_id == 1  # type: ignore[union-attr]
    two = CounterConfig(2, "Quầy 2", ("HT",))
    assert choose_next(two, waiting, NOW, POLICY, 0).reason == "targeted"  # type: ignore[union-attr]


def test_state_machine() -> None:
    check_transition("A001", TicketState.WAITING, TicketState.CALLED)
    check_transition("A001", TicketState.CALLED, TicketState.CALLED)  # recall
    check_transition("A001", TicketState.SERVING, TicketState.TRANSFERRED)
    check_transition("A001", TicketState.TRANSFERRED, TicketState.CALLED)
    for current, target in [
        (TicketState.DONE, TicketState.CALLED),
        (TicketState.WAITING, TicketState.SERVING),
        (TicketState.NO_SHOW, TicketState.CALLED),
        (TicketState.CANCELLED, TicketState.CALLED),
        (TicketState.SERVING, TicketState.NO_SHOW),
    ]:
        with pytest.raises(TransitionError, match="A001"):
            check_transition("A001", current, target)


def test_numbers_and_business_day() -> None:
    assert display_number("A", 12) == "A012"
    assert display_number("B", 1234, 4) == "B1234"
    assert business_day(datetime(2026, 11, 23, 23, 59)) != business_day(datetime(2026, 11, 24, 0, 0))


def test_estimated_wait_uses_recent_service_times_and_open_counters() -> None:
    assert estimate_wait_min(0, 2, [600, 600, 600], POLICY) == 0
    assert estimate_wait_min(4, 2, [300, 300, 300], POLICY) == 10  # 4 × 5 min / 2 counters
    assert estimate_wait_min(3, 1, [60], POLICY) == 3 * POLICY.default_service_min  # too few samples
    assert estimate_wait_min(3, 0, [60, 60, 60], POLICY) == 3  # no open counter: still a number, never a crash


def test_configuration_is_validated() -> None:
    base = {"services": [{"code": "HT", "name": "Hộ tịch", "prefix": "A"}]}
    assert parse_queue_config(base).counters[0].services == ("HT",)
    bad = [
        {"services": [{"code": "HT", "name": "x", "prefix": "a1"}]},
        {"services": [{"code": "HT", "name": "x", "prefix": "A", "hours": ["11:00-10:00"]}]},
        {"services": [{"code": "HT", "name": "x", "prefix": "A", "first_number": 5, "last_number": 4}]},
        {**base, "counters": [{"number": 1, "services": ["XX"]}]},
        {"services": [{"code": "HT", "name": "x", "prefix": "A"}, {"code": "DD", "name": "y", "prefix": "A"}]},
        {"schema_version": 99},
    ]
    for raw in bad:
        with pytest.raises(ConfigError):
            parse_queue_config(raw)


def test_shipped_queue_config_loads() -> None:
    from motcua.domain.queue_config import load_queue_config
    from motcua.paths import kiosk_config_dir

    cfg = load_queue_config(kiosk_config_dir() / "queue.toml")
    assert {g.code for g in cfg.priority_groups} >= {"elderly", "disabled", "pregnant", "war_invalid"}
    assert all(c.services for c in cfg.counters)
    monday_9 = datetime(2026, 11, 23, 9, 0)
    assert cfg.services[0].is_open(monday_9)
    assert not cfg.services[0].is_open(monday_9.replace(hour=12))
    assert not cfg.services[0].is_open(datetime(2026, 11, 22, 9, 0))  # Sunday


def test_announcement_is_made_of_existing_clips_in_order() -> None:
    a = announce_call("A012", 3)
    assert a.text == "Mời công dân số A012 đến quầy số 3"
    assert a.clips == ("moi_cong_dan_so", "letter_a", "digit_0", "digit_1", "digit_2", "den_quay_so", "digit_3")
    assert set(a.clips) <= set(all_clips())


def test_every_announcement_clip_is_shipped_and_small() -> None:
    from motcua.paths import resource_path

    folder = resource_path("voice")
    files = {p.stem: p for p in folder.glob("*.wav")}
    assert set(all_clips()) <= set(files)
    assert sum(p.stat().st_size for p in files.values()) < 2 * 1024 * 1024
