"""Ratings, presence, the day's services and the report snapshot through a real centre server on a loopback port:
roles, statuses, idempotency, and the same records as in process."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from queue_helpers import add_tokens, make_config

from motcua.domain.errors import ConflictError, NotFoundError, ValidationError
from motcua.domain.queue import AccessDeniedError
from motcua.domain.queue_rating import AlreadyRatedError, NothingToRateError
from motcua.domain.reports.facts import CounterActivity, RatingLevel
from motcua.server.run import EmbeddedServer
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store import device_tokens
from motcua.sync.http import HttpPool
from motcua.sync.queue_client import HttpQueueClient

BAD, VERY = RatingLevel.DISSATISFIED, RatingLevel.VERY_SATISFIED


class Centre:
    def __init__(self, server: EmbeddedServer, tokens: dict[str, str]) -> None:
        self.server, self.tokens = server, tokens
        self.clients: list[HttpQueueClient] = []

    def client(self, device: str) -> HttpQueueClient:
        c = HttpQueueClient(self.server.url, self.tokens[device], retries=0)
        self.clients.append(c)
        return c


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=2, displays=1)
    with store.write() as db:
        tokens["PAD1"] = device_tokens.add_token(db, "PAD1", "rating", datetime.now(), 1)
        tokens["ADMIN"] = device_tokens.add_token(db, "ADMIN", "admin", datetime.now())
    server = EmbeddedServer(QueueService(store, make_config())).start()
    c = Centre(server, tokens)
    yield c
    for client in c.clients:
        client.close()
    server.stop()
    store.close()


def serve(c: Centre, counter: int = 1) -> int:
    c.client("K1").issue_ticket("HT")
    clerk = c.client(f"C{counter}")
    t = clerk.call_next(counter)
    assert t is not None
    clerk.start(counter, t.id)
    return t.id


def test_a_rating_pad_rates_its_own_counter_only(centre: Centre) -> None:
    pad = centre.client("PAD1")
    with pytest.raises(NothingToRateError):
        pad.rate(1, VERY)
    centre.client("C1").set_clerk(1, "lan.nt")
    tid = serve(centre)
    view = pad.rating_view(1)
    assert (view.display, view.rated, view.counter_name) == ("A001", False, "Quầy 1")
    fact = pad.rate(1, BAD, ["wait", "attitude"], key="pad-1")
    assert (fact.ticket_id, fact.clerk, fact.service, fact.reasons) == (tid, "lan.nt", "HT", ("wait", "attitude"))
    assert pad.rate(1, BAD, ["wait", "attitude"], key="pad-1") == fact  # a retry: answered, not saved twice
    with pytest.raises(AlreadyRatedError) as twice:
        pad.rate(1, VERY)
    assert isinstance(twice.value, ConflictError)
    assert pad.rating_view(1).rated
    for denied in (
        lambda: pad.rate(2, VERY),  # another counter's
        lambda: pad.rating_view(2),
        lambda: pad.call_next(1),
        lambda: pad.set_clerk(1, "x"),
        lambda: pad.snapshot(date.today(), date.today()),
    ):
        with pytest.raises(AccessDeniedError):
            denied()
    assert pad.board().counters  # it may read what any device reads


def test_refusals_have_their_statuses(centre: Centre) -> None:
    serve(centre)
    raw = HttpPool(centre.server.url, {"Authorization": f"Bearer {centre.tokens['PAD1']}"}, 5)
    try:
        bad = raw.request("POST", "/api/v1/counters/1/rating", body={"level": "satisfied", "reasons": ["wait"]})
        assert bad.status == 422 and bad.json()["error"] == "validation"
        assert raw.request("POST", "/api/v1/counters/1/rating", body={"level": "meh"}).status == 422
        ok = raw.request("POST", "/api/v1/counters/1/rating", body={"level": "satisfied"})
        assert ok.status == 200 and ok.json()["level"] == "satisfied"
        again = raw.request("POST", "/api/v1/counters/1/rating", body={"level": "satisfied"})
        assert (again.status, again.json()["error"]) == (409, "already_rated")
    finally:
        raw.close()
    with pytest.raises(ValidationError):
        centre.client("C1").rate(1, BAD, ["nonsense"])
    with pytest.raises(NothingToRateError):
        centre.client("C2").rate(2, VERY)
    with pytest.raises(NotFoundError):
        centre.client("ADMIN").rate(99, VERY)


def test_presence_and_todays_services_over_http(centre: Centre) -> None:
    clerk, admin = centre.client("C1"), centre.client("ADMIN")
    assert clerk.set_clerk(1, "lan.nt").clerk == "lan.nt"
    with pytest.raises(AccessDeniedError):
        clerk.set_clerk(2, "lan.nt")  # a counter token acts for its own counter
    with pytest.raises(AccessDeniedError):
        clerk.assign_services(1, ["DD"])  # an administrator's decision
    view = admin.assign_services(1, ["DD", "HT"])
    assert (view.services, view.clerk) == (("DD", "HT"), "lan.nt")
    with pytest.raises(ValidationError):
        admin.assign_services(1, ["XX"])
    with pytest.raises(ValidationError):
        admin.assign_services(1, [])
    board = centre.client("D1").board()
    assert next(c for c in board.counters if c.number == 1).services == ("DD", "HT")
    assert clerk.set_clerk(1, None).clerk == ""


def test_the_report_snapshot_is_the_centres_own(centre: Centre) -> None:
    centre.client("C1").set_clerk(1, "lan.nt")
    serve(centre)
    centre.client("PAD1").rate(1, VERY)
    today = date.today()
    over_http = centre.client("C1").snapshot(today, today)
    assert over_http == centre.server.service.snapshot(today, today)
    assert over_http.counters[0].activity is CounterActivity.SERVING and len(over_http.ratings) == 1
    assert centre.client("ADMIN").snapshot(today - timedelta(days=365), today).tickets == over_http.tickets
    ratings_only = centre.client("ADMIN").snapshot(today, today, tickets=False)
    assert ratings_only.tickets == () and ratings_only.ratings == over_http.ratings and over_http.tickets
    with pytest.raises(ValidationError):
        centre.client("ADMIN").snapshot(today - timedelta(days=366), today)
    with pytest.raises(ValidationError):
        centre.client("ADMIN").snapshot(today, today - timedelta(days=1))
    for device in ("D1", "K1"):
        with pytest.raises(AccessDeniedError):
            centre.client(device).snapshot(today, today)
