"""Ratings on a real centre database: which ticket a pad rates, what the centre fills in, one rating per ticket."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from queue_helpers import CONFIG_TOML

from motcua.config import ConfigError
from motcua.domain.errors import ConflictError, NotFoundError, ValidationError
from motcua.domain.queue_config import parse_queue_config
from motcua.domain.queue_rating import AlreadyRatedError, NothingToRateError
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.services.queue.service import QueueService
from motcua.store import queue_ratings
from motcua.store.db import Store

VERY, OK, BAD = RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.DISSATISFIED


def serve(queue: QueueService, counter: int = 1, service: str = "HT") -> int:
    """Issue a ticket, call it to ``counter`` and start serving it; its id."""
    queue.issue_ticket(service)
    t = queue.call_next(counter)
    assert t is not None
    queue.start(counter, t.id)
    return t.id


def test_a_rating_names_the_ticket_its_service_clerk_and_dossiers(queue: QueueService) -> None:
    queue.set_clerk(1, "lan.nt")
    tid = serve(queue)
    queue.link_dossier(1, tid, "000.25.38.H38-261123-0001")
    fact = queue.rate(1, BAD, ["wait", "guidance", "wait"])
    assert fact == RatingFact(
        at=queue.clock(),
        level=BAD,
        counter=1,
        ticket_id=tid,
        service="HT",
        clerk="lan.nt",
        dossiers=("000.25.38.H38-261123-0001",),
        reasons=("wait", "guidance"),  # each once, in the citizen's order
    )
    day = queue.clock().date()
    assert queue_ratings.ratings_between(queue.store.read(), "TEST", day, day) == [fact]
    assert [e.kind for e in queue.events(0)][-1] == "rated"


def test_one_rating_per_ticket(queue: QueueService, centre_store: Store) -> None:
    tid = serve(queue)
    queue.rate(1, VERY)
    with pytest.raises(AlreadyRatedError) as refused:
        queue.rate(1, BAD, ["attitude"])
    assert isinstance(refused.value, ConflictError) and "A001" in str(refused.value)
    # The index, not the check above, is the guarantee: a second row for the ticket cannot be written at all.
    with pytest.raises(sqlite3.IntegrityError), centre_store.write() as db:
        queue_ratings.insert_rating(db, "TEST", queue.clock().date(), RatingFact(queue.clock(), OK, 1, tid))
    assert len(queue.snapshot(queue.clock().date(), queue.clock().date()).ratings) == 1


def test_the_citizen_just_finished_rates_while_the_next_is_called(queue: QueueService, clock: object) -> None:
    first = serve(queue)
    queue.issue_ticket("HT")
    nxt = queue.call_next(1)  # finishes the first (it was being served) and calls the next
    assert nxt is not None and queue.ticket(first).state.value == "done"
    assert queue.rating_view(1).display == "A001"
    assert queue.rate(1, OK).ticket_id == first
    # The next one, called but not started (a clerk may serve without pressing start), is what is left to rate.
    assert queue.rating_view(1).display == "A002"
    assert queue.rate(1, VERY).ticket_id == nxt.id


def test_a_finished_ticket_can_be_rated_only_within_the_window(queue: QueueService, clock: object) -> None:
    tid = serve(queue)
    queue.finish(1, tid)
    clock.now += timedelta(minutes=10, seconds=1)  # type: ignore[attr-defined]
    with pytest.raises(NothingToRateError):
        queue.rate(1, VERY)
    assert queue.rating_view(1).display is None
    clock.now -= timedelta(seconds=2)  # type: ignore[attr-defined]
    assert queue.rate(1, VERY).ticket_id == tid


def test_nothing_to_rate_at_an_empty_counter(queue: QueueService) -> None:
    with pytest.raises(NothingToRateError, match="quầy 2"):
        queue.rate(2, VERY)
    with pytest.raises(NotFoundError):
        queue.rate(99, VERY)


def test_an_already_rated_ticket_shows_as_rated_on_the_pad(queue: QueueService) -> None:
    serve(queue)
    queue.rate(1, VERY)
    view = queue.rating_view(1)
    assert (view.display, view.rated) == ("A001", True)
    assert [r.code for r in view.reasons] == ["wait", "attitude", "guidance", "slow", "other"]


def test_reasons_go_with_a_dissatisfied_rating_only_and_must_be_known(queue: QueueService) -> None:
    serve(queue)
    with pytest.raises(ValidationError) as refused:
        queue.rate(1, OK, ["wait"])
    assert refused.value.field == "reasons"
    with pytest.raises(ValidationError, match="rude"):
        queue.rate(1, BAD, ["wait", "rude"])
    with pytest.raises(ValidationError):
        queue.rate(1, "meh")  # type: ignore[arg-type]
    assert queue.rate(1, BAD).reasons == ()  # a complaint without a reason is still a rating


def test_a_retried_rating_is_saved_once(queue: QueueService) -> None:
    serve(queue)
    first = queue.rate(1, BAD, ["slow"], key="r-1")
    assert queue.rate(1, BAD, ["slow"], key="r-1") == first
    with pytest.raises(ConflictError):
        queue.rate(1, VERY, key="r-1")  # the same key for another rating
    day = queue.clock().date()
    assert len(queue.snapshot(day, day).ratings) == 1


def test_the_clerk_who_served_is_kept_after_signing_out(queue: QueueService) -> None:
    queue.set_clerk(1, "minh.lv")
    tid = serve(queue)
    queue.finish(1, tid)
    queue.set_clerk(1, None)  # end of the shift, the citizen still at the pad
    assert queue.rate(1, VERY).clerk == "minh.lv"


def test_rating_reasons_come_from_queue_toml() -> None:
    import tomllib

    raw = tomllib.loads(CONFIG_TOML)
    assert parse_queue_config(raw).rating.reasons[0].label == "Chờ lâu"  # the defaults
    raw["rating"] = {"window_min": 5, "reasons": [{"code": "queue", "label": "Xếp hàng lâu"}]}
    rating = parse_queue_config(raw).rating
    assert rating.window_min == 5 and rating.reason("queue") is not None and rating.reason("wait") is None
    for bad in (
        {"reasons": [{"code": "a"}, {"code": "a", "label": "x"}]},
        {"reasons": [{"code": "a", "label": "x"}, {"code": "a", "label": "y"}]},
        {"reasons": [{"code": "có dấu", "label": "x"}]},
        {"reasons": ["wait"]},
        {"window_min": 0},
    ):
        raw["rating"] = bad
        with pytest.raises(ConfigError):
            parse_queue_config(raw)


def test_ratings_of_a_range_of_days(queue: QueueService, clock: object) -> None:
    serve(queue)
    yesterday = queue.rate(1, VERY)
    clock.now += timedelta(days=1)  # type: ignore[attr-defined]
    serve(queue)
    today = queue.rate(1, BAD, ["other"])
    d1, d2 = yesterday.at.date(), today.at.date()
    assert queue.snapshot(d1, d1).ratings == (yesterday,)
    assert queue.snapshot(d2, d2).ratings == (today,)
    assert queue.snapshot(d1, d2).ratings == (yesterday, today)
    assert isinstance(today.at, datetime) and today.at.microsecond == 0


def test_the_citizen_being_served_comes_before_the_one_just_finished(queue: QueueService) -> None:
    first = serve(queue)
    queue.finish(1, first)
    second = serve(queue)  # started: the citizen at the pad now is this one
    assert queue.rate(1, VERY).ticket_id == second
    with pytest.raises(AlreadyRatedError):  # a second touch is the same citizen's, not the one who left
        queue.rate(1, OK)
    assert [r.ticket_id for r in queue.snapshot(queue.clock().date(), queue.clock().date()).ratings] == [second]
    assert first != second


def test_the_clerk_who_finished_is_the_one_rated(queue: QueueService) -> None:
    queue.set_clerk(1, "minh.lv")
    tid = serve(queue)
    queue.set_clerk(1, "lan.nt")  # a colleague took over the counter and finished the citizen
    queue.finish(1, tid)
    queue.set_clerk(1, None)
    assert queue.rate(1, VERY).clerk == "lan.nt"
