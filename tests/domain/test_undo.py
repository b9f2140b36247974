"""Undo of a counter's everyday step, as every node replays it: the status and due date before the step come back,
only while the step is still the last one; a final decision is never undone; the rules skip undone steps."""

from __future__ import annotations

from datetime import datetime, timedelta

from motcua.domain.dossier import Event, Timeliness, effective_events, timeliness
from motcua.domain.status import Action, Status, can_undo
from motcua.domain.sync_envelope import ACTION, ATTACHMENT, RECEIVED
from motcua.domain.sync_view import APPLIED, CONFLICT, ViewEvent, replay

DUE = "2026-12-08 17:00:00"
MOVED = "2026-12-10 17:00:00"


def _received() -> ViewEvent:
    return ViewEvent("r", RECEIVED, {"status": int(Status.RECEIVED), "due_at": DUE})


def _act(key: str, action: Action, status_after: Status, **extra: object) -> ViewEvent:
    return ViewEvent(key, ACTION, {"action": action.value, "status_after": int(status_after), **extra})


def _undo(key: str, undoes: str, status_after: Status, **extra: object) -> ViewEvent:
    return ViewEvent(key, ACTION, {"action": "undo", "status_after": int(status_after), "undoes": undoes, **extra})


def test_an_undo_brings_back_the_status_and_due_date_before_the_step() -> None:
    view = replay(
        [],
        [
            _received(),
            _act("a", Action.START, Status.PROCESSING, due_after=DUE),
            _act("b", Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, due_after=DUE),
            _act("c", Action.SUPPLY, Status.PROCESSING, due_after=MOVED),  # the pause moved the due date
            _undo("u", "c", Status.SUPPLEMENT_REQUESTED),
        ],
    )
    assert dict(view.order)["u"] == APPLIED
    assert view.status is Status.SUPPLEMENT_REQUESTED and view.due_at == DUE
    assert view.last_step is not None and view.last_step.key == "b"  # the next undo would take back "b"
    # Undoing twice walks back one more step.
    again = replay([], [*_chain(), _undo("u2", "b", Status.PROCESSING)])
    assert again.status is Status.PROCESSING and again.last_step is not None and again.last_step.key == "a"


def _chain() -> list[ViewEvent]:
    return [
        _received(),
        _act("a", Action.START, Status.PROCESSING, due_after=DUE),
        _act("b", Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, due_after=DUE),
        _act("c", Action.SUPPLY, Status.PROCESSING, due_after=MOVED),
        _undo("u", "c", Status.SUPPLEMENT_REQUESTED),
    ]


def test_an_undo_that_meets_a_later_step_changes_nothing_and_is_a_conflict() -> None:
    # Another counter resolved the dossier before this one's undo of "start" arrived.
    view = replay(
        [],
        [
            _received(),
            _act("a", Action.START, Status.PROCESSING),
            _act("b", Action.RESOLVE, Status.RESOLVED),
            ViewEvent("f", ATTACHMENT, {"sha256": "0" * 64, "component": "TP1"}),
            _undo("u", "a", Status.RECEIVED),
        ],
    )
    assert dict(view.order)["u"] == CONFLICT and view.status is Status.RESOLVED
    # An undo claiming a status other than the one before the step is refused too.
    wrong = replay([], [_received(), _act("a", Action.START, Status.PROCESSING), _undo("u", "a", Status.RESOLVED)])
    assert dict(wrong.order)["u"] == CONFLICT and wrong.status is Status.PROCESSING
    # An undo names its step: one meant for an older step is not applied to the newer one, whatever the statuses.
    older = replay(
        [],
        [
            _received(),
            _act("a", Action.START, Status.PROCESSING),
            _act("b", Action.TRANSFER, Status.PROCESSING, agency="UBND xã"),
            _act("c", Action.TRANSFER, Status.PROCESSING, agency="Sở Xây dựng"),
            _undo("u", "b", Status.PROCESSING),
        ],
    )
    assert dict(older.order)["u"] == CONFLICT and older.last_step is not None and older.last_step.key == "c"


def test_a_final_decision_is_never_undone() -> None:
    for action, status in ((Action.REFUSE, Status.REFUSED), (Action.WITHDRAW, Status.WITHDRAWN)):
        view = replay([], [_received(), _act("a", action, status), _undo("u", "a", Status.RECEIVED)])
        assert dict(view.order)["u"] == CONFLICT and view.status is status
        assert not can_undo(action)
    assert can_undo(Action.START) and not can_undo(Action.RECEIVE) and not can_undo(Action.UNDO)


def test_the_rules_count_only_the_steps_that_stand() -> None:
    t0 = datetime(2026, 12, 1, 8, 0)
    events = [
        Event(Action.RECEIVE, Status.RECEIVED, t0, "a"),
        Event(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, t0 + timedelta(hours=1), "a"),
        Event(Action.UNDO, Status.RECEIVED, t0 + timedelta(hours=1, minutes=1), "a"),  # a wrong click, taken back
        Event(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, t0 + timedelta(days=1), "a"),
        Event(Action.SUPPLY, Status.PROCESSING, t0 + timedelta(days=2), "a"),
    ]
    kept = effective_events(events)
    assert [e.action for e in kept] == [Action.RECEIVE, Action.REQUEST_SUPPLEMENT, Action.SUPPLY]
    assert kept[1].at == t0 + timedelta(days=1)
    # One supplement request, not two: with two, Decision 766 would count the dossier late whatever its dates.
    assert timeliness(t0 + timedelta(days=10), events, t0 + timedelta(days=3)) is Timeliness.PENDING
