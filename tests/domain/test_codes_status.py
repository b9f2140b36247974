from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua.domain.codes import format_dossier_code, looks_like_dossier_code, parse_dossier_code
from motcua.domain.dossier import Event, Timeliness, timeliness
from motcua.domain.errors import TransitionError, ValidationError
from motcua.domain.status import Action, Status, allowed_actions, next_status


def test_dossier_code_format_and_parse() -> None:
    code = format_dossier_code("000.25.38.H38", date(2026, 11, 20), 361)
    assert code == "000.25.38.H38-261120-0361"
    parsed = parse_dossier_code("*" + code.lower() + "*")
    assert (parsed.agency_id, parsed.day, parsed.seq) == ("000.25.38.H38", date(2026, 11, 20), 361)
    assert str(parsed) == code
    assert looks_like_dossier_code("000.00.06.H56-231027-0361")


@pytest.mark.parametrize("bad", ["", "000.25.38.H38-261320-0001", "abc", "000.25.38-261120-0001"])
def test_bad_codes_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_dossier_code(bad)


def test_sequence_limits() -> None:
    with pytest.raises(ValidationError):
        format_dossier_code("000.25.38.H38", date(2026, 1, 1), 0)
    with pytest.raises(ValidationError):
        format_dossier_code("000.25.38.H38", date(2026, 1, 1), 10000)
    with pytest.raises(ValidationError):
        format_dossier_code("H38", date(2026, 1, 1), 1)


def test_status_machine_happy_path_and_refusals() -> None:
    s = Status.RECEIVED
    for action in (Action.TRANSFER, Action.REQUEST_SUPPLEMENT, Action.SUPPLY, Action.RESOLVE, Action.RETURN_RESULT):
        s = next_status(s, action)
    assert s is Status.RETURNED and s.terminal
    with pytest.raises(TransitionError, match="Đã trả kết quả"):
        next_status(Status.RETURNED, Action.RESOLVE)
    assert Action.RETURN_RESULT not in allowed_actions(Status.PROCESSING)
    assert Action.SUPPLY in allowed_actions(Status.SUPPLEMENT_REQUESTED)
    assert [int(x) for x in Status] == list(range(1, 11))


def _ev(action: Action, status: Status, at: str) -> Event:
    return Event(action, status, datetime.fromisoformat(at), "cb")


DUE = datetime(2026, 11, 27, 9, 30)
RECV = _ev(Action.RECEIVE, Status.RECEIVED, "2026-11-23 09:30")


def test_timeliness_early_on_time_late() -> None:
    now = datetime(2026, 12, 10)
    assert timeliness(DUE, [RECV, _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-25 10:00")], now) is Timeliness.EARLY
    assert timeliness(DUE, [RECV, _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-27 09:00")], now) is Timeliness.ON_TIME
    assert timeliness(DUE, [RECV, _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-27 10:00")], now) is Timeliness.LATE


def test_timeliness_resolved_preferred_over_returned() -> None:
    ev = [
        RECV,
        _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-26 10:00"),
        _ev(Action.RETURN_RESULT, Status.RETURNED, "2026-12-05 10:00"),
    ]
    assert timeliness(DUE, ev, datetime(2026, 12, 10)) is Timeliness.EARLY


def test_timeliness_pause_subtracted_and_two_requests_late() -> None:
    ev = [
        RECV,
        _ev(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, "2026-11-24 09:00"),
        _ev(Action.SUPPLY, Status.PROCESSING, "2026-11-26 09:00"),
        _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-28 09:00"),  # 2 days paused → effective 26/11
    ]
    assert timeliness(DUE, ev, datetime(2026, 12, 10)) is Timeliness.EARLY
    twice = [*ev[:3], _ev(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, "2026-11-26 10:00")]
    assert timeliness(DUE, twice, datetime(2026, 12, 10)) is Timeliness.LATE


def test_timeliness_open_dossiers() -> None:
    assert timeliness(DUE, [RECV], datetime(2026, 11, 24)) is Timeliness.PENDING
    assert timeliness(DUE, [RECV], datetime(2026, 11, 28)) is Timeliness.OVERDUE
    only_request = [RECV, _ev(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, "2026-11-24 09:00")]
    assert timeliness(DUE, only_request, datetime(2026, 12, 30)) is Timeliness.EARLY


def test_a_supplement_pause_counts_for_a_dossier_still_open() -> None:
    # Due 27/11 09:00; the citizen took two days to bring the paper: still in time on the 28th, late on the 30th.
    paused = [
        RECV,
        _ev(Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, "2026-11-24 09:00"),
        _ev(Action.SUPPLY, Status.PROCESSING, "2026-11-26 09:00"),
    ]
    assert timeliness(DUE, paused, datetime(2026, 11, 28, 9, 0)) is Timeliness.PENDING
    assert timeliness(DUE, paused, datetime(2026, 11, 30, 9, 0)) is Timeliness.OVERDUE


def test_waiting_for_payment_stops_the_clock_only_where_the_procedure_says_so() -> None:
    paid = [
        RECV,
        _ev(Action.REQUEST_PAYMENT, Status.PAYMENT_REQUESTED, "2026-11-24 09:00"),
        _ev(Action.PAY, Status.PROCESSING, "2026-11-26 09:00"),
        _ev(Action.RESOLVE, Status.RESOLVED, "2026-11-28 09:00"),
    ]
    assert timeliness(DUE, paid, datetime(2026, 12, 10), payment_pauses=True) is Timeliness.EARLY
    assert timeliness(DUE, paid, datetime(2026, 12, 10)) is Timeliness.LATE
