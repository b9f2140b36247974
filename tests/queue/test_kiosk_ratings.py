"""The kiosk's rating step: a citizen types the number on their ticket and rates that service. On a real centre
database and through a real centre server on a loopback port: which tickets may be rated, how a typed number is
read, what the kiosk is told (never the clerk), the statuses, and that a kiosk cannot try many wrong numbers."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from queue_helpers import CONFIG_TOML, add_tokens, make_config

from motcua.config import ConfigError
from motcua.domain.errors import ConflictError, MotcuaError, NotFoundError, ValidationError
from motcua.domain.queue import AccessDeniedError
from motcua.domain.queue_config import parse_queue_config
from motcua.domain.queue_rating import (
    AlreadyRatedError,
    NotFinishedError,
    TooManyTriesError,
    WrongTries,
    typed_number,
)
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.server.run import EmbeddedServer
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store import device_tokens, queue_ratings
from motcua.store.db import Store
from motcua.sync.http import HttpPool
from motcua.sync.queue_client import HttpQueueClient

VERY, OK, BAD = RatingLevel.VERY_SATISFIED, RatingLevel.SATISFIED, RatingLevel.DISSATISFIED


def served(queue: QueueService, counter: int = 1, service: str = "HT", finish: bool = True) -> int:
    """Issue a ticket, call it to ``counter``, start it and (``finish``) finish it; its id."""
    queue.issue_ticket(service)
    t = queue.call_next(counter)
    assert t is not None
    queue.start(counter, t.id)
    if finish:
        queue.finish(counter, t.id)
    return t.id


def saved_ratings(queue: QueueService) -> list[RatingFact]:
    day = queue.clock().date()
    return list(queue_ratings.ratings_between(queue.store.read(), queue.centre, day, day))


# -- the rules, on the service -----------------------------------------------------------------------------------
def test_a_finished_ticket_of_today_is_rated_by_its_number_without_telling_the_clerk(queue: QueueService) -> None:
    queue.set_clerk(1, "lan.nt")
    tid = served(queue, finish=False)
    queue.link_dossier(1, tid, "000.25.38.H38-261123-0001")
    queue.finish(1, tid)
    queue.set_clerk(1, "minh.pv")  # the next clerk signs in before the citizen reaches the kiosk
    view = queue.ticket_rating_view(" a 1 ")
    assert (view.display, view.counter, view.counter_name, view.service_name) == ("A001", 1, "Quầy 1", "Hộ tịch")
    assert [r.code for r in view.reasons] == ["wait", "attitude", "guidance", "slow", "other"]
    fact = queue.rate_ticket("Ａ００１", BAD, ["wait", "attitude"], kiosk="K1")
    assert (fact.ticket_id, fact.counter, fact.service, fact.level, fact.reasons) == (
        tid,
        1,
        "HT",
        BAD,
        ("wait", "attitude"),
    )
    assert (fact.clerk, fact.dossiers) == ("", ())  # the kiosk is a public screen
    # …but the centre keeps who served it (stamped when it finished) and its dossiers, for the reports.
    [stored] = saved_ratings(queue)
    assert (stored.clerk, stored.dossiers, stored.ticket_id) == ("lan.nt", ("000.25.38.H38-261123-0001",), tid)
    assert [e.kind for e in queue.events(0)][-1] == "rated"


@pytest.mark.parametrize("typed", ["B002", "b2", "B 0 0 2", "Ｂ００２", "b-002", "B.002", " B002\t", "ｂ２"])
def test_a_number_typed_any_way_is_one_number(queue: QueueService, typed: str) -> None:
    served(queue)
    served(queue, 2, "DD")  # B001 at counter 2…
    served(queue, 2, "DD")  # …and B002
    assert queue.ticket_rating_view(typed).display == "B002"


@pytest.mark.parametrize(
    ("typed", "parsed"), [("a 12", ("A", 12)), ("HT012", ("HT", 12)), ("ht-0012", ("HT", 12)), ("Ｃ１", ("C", 1))]
)
def test_typed_numbers_are_read_as_letters_and_a_number(typed: str, parsed: tuple[str, int]) -> None:
    assert typed_number(typed) == parsed


@pytest.mark.parametrize("typed", ["", "   ", "12", "A", "ABC1", "A12B", "Ư12", "A1234567", "A/12", "A1" + "0" * 40])
def test_anything_else_is_not_a_ticket_number(queue: QueueService, typed: str) -> None:
    with pytest.raises(ValidationError) as refused:
        queue.ticket_rating_view(typed)
    assert refused.value.field == "display" and "A012" in str(refused.value)


def test_only_a_ticket_finished_today_and_not_yet_rated_may_be_rated(queue: QueueService, clock: object) -> None:
    served(queue)  # A001, done
    for unknown in ("A099", "Z001", "C001"):  # not issued; no service has Z; none of KH's issued today
        with pytest.raises(NotFoundError, match=unknown):
            queue.ticket_rating_view(unknown, kiosk=unknown)  # (a kiosk each: these are wrong tries)
    waiting = queue.issue_ticket("HT").ticket  # A002
    with pytest.raises(NotFinishedError) as refused:
        queue.rate_ticket("A002", OK, kiosk="K2")
    assert isinstance(refused.value, ConflictError) and "A002" in str(refused.value)
    called = queue.call_next(1)
    assert called is not None and called.id == waiting.id
    with pytest.raises(NotFinishedError):
        queue.rate_ticket("A002", OK, kiosk="K3")
    queue.no_show(1, waiting.id)
    with pytest.raises(NotFinishedError, match="không được phục vụ"):
        queue.rate_ticket("A002", OK, kiosk="K3")
    # A001 at the counter's pad first (it was just finished there): the kiosk then says it is rated.
    assert queue.ticket(queue.rate(1, VERY).ticket_id).display == "A001"
    with pytest.raises(AlreadyRatedError):
        queue.rate_ticket("A001", BAD, kiosk="K4")
    # Yesterday's numbers are not today's: a ticket finished yesterday is not found today.
    yesterday_done = served(queue)  # A003
    clock.now += timedelta(days=1)  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError):
        queue.ticket_rating_view("A003", kiosk="K5")
    assert queue.ticket(yesterday_done).display == "A003"


def test_the_reasons_follow_the_pads_rules(queue: QueueService) -> None:
    served(queue)
    with pytest.raises(ValidationError):
        queue.rate_ticket("A001", OK, ["wait"])  # reasons are complaints
    with pytest.raises(ValidationError):
        queue.rate_ticket("A001", BAD, ["nonsense"], kiosk="K2")
    with pytest.raises(ValidationError):
        queue.rate_ticket("A001", "meh", kiosk="K3")  # type: ignore[arg-type]
    assert queue.rate_ticket("a1", BAD, ["slow", "slow"]).reasons == ("slow",)
    with pytest.raises(AlreadyRatedError):
        queue.rate_ticket("A001", VERY, kiosk="K4")  # one rating per ticket, wherever it was made


def test_a_retry_with_its_key_is_answered_not_saved_twice(queue: QueueService) -> None:
    served(queue)
    first = queue.rate_ticket("A001", VERY, kiosk="K1", key="kiosk-1")
    assert queue.rate_ticket("A001", VERY, kiosk="K1", key="kiosk-1") == first
    assert len(saved_ratings(queue)) == 1
    with pytest.raises(ConflictError):
        queue.rate_ticket("A001", OK, kiosk="K1", key="kiosk-1")


def test_a_kiosk_may_try_only_a_few_wrong_numbers_in_a_row(queue: QueueService, clock: object) -> None:
    served(queue)
    for n in range(2, 7):  # five wrong numbers: a citizen never types that many
        with pytest.raises(NotFoundError):
            queue.ticket_rating_view(f"A{n:03d}", kiosk="K1")
    with pytest.raises(TooManyTriesError) as refused:
        queue.rate_ticket("A001", VERY, kiosk="K1")  # even the right number now, or the wait would tell it apart
    assert refused.value.retry_after_s == pytest.approx(30.0) and "30 giây" in str(refused.value)
    assert queue.ticket_rating_view("A001", kiosk="K2").display == "A001"  # another kiosk is not held back
    clock.now += timedelta(seconds=30)  # type: ignore[attr-defined]
    assert queue.rate_ticket("A001", VERY, kiosk="K1").ticket_id is not None  # one more try every 30 s
    with pytest.raises(AlreadyRatedError):
        queue.ticket_rating_view("A001", kiosk="K1")  # a right number costs nothing; a refused one does…
    with pytest.raises(TooManyTriesError):
        queue.ticket_rating_view("A001", kiosk="K1")  # …and that was the last


def test_wrong_tries_refill_forget_and_forgive_a_clock_set_back() -> None:
    tries = WrongTries(burst=2, every_s=10.0, size=2)
    tries.missed("K1", 100.0)
    tries.check("K1", 100.0)
    tries.missed("K1", 100.0)
    with pytest.raises(TooManyTriesError) as refused:
        tries.check("K1", 105.0)
    assert refused.value.retry_after_s == pytest.approx(5.0)
    tries.check("K1", 110.0)
    with pytest.raises(TooManyTriesError):
        tries.check("K1", 50.0)  # a clock set back gives no try back, and takes none either
    tries.missed("K2", 0.0)
    tries.missed("K3", 0.0)  # a third kiosk: the one counted longest ago (K1) is forgotten
    tries.missed("K3", 0.0)
    assert len(tries._left) == 2
    tries.check("K1", 0.0)
    with pytest.raises(TooManyTriesError):
        tries.check("K3", 0.0)


def test_rating_at_the_kiosk_is_a_setting_of_queue_toml(centre_store: Store, clock: object) -> None:
    assert QueueService(centre_store, make_config(), clock=clock).kiosk_view().rating  # type: ignore[arg-type]
    raw = tomllib.loads(CONFIG_TOML + "\n[rating]\nkiosk = false\n")
    raw["counters"] = [{"number": 1}]
    off = QueueService(centre_store, parse_queue_config(raw), clock=clock)  # type: ignore[arg-type]
    assert not off.kiosk_view().rating
    served(off)
    with pytest.raises(MotcuaError, match="không nhận đánh giá tại ki-ốt"):
        off.rate_ticket("A001", VERY)
    assert off.rate(1, VERY).ticket_id is not None  # the counter's pad still rates
    with pytest.raises(ConfigError, match="kiosk"):
        parse_queue_config({"rating": {"kiosk": "yes"}})


# -- over HTTP ---------------------------------------------------------------------------------------------------
class Centre:
    def __init__(self, server: EmbeddedServer, tokens: dict[str, str]) -> None:
        self.server, self.tokens = server, tokens
        self.closing: list[HttpQueueClient | HttpPool] = []

    @property
    def queue(self) -> QueueService:
        return self.server.service

    def client(self, device: str) -> HttpQueueClient:
        c = HttpQueueClient(self.server.url, self.tokens[device], retries=0)
        self.closing.append(c)
        return c

    def raw(self, device: str) -> HttpPool:
        pool = HttpPool(self.server.url, {"Authorization": f"Bearer {self.tokens[device]}"}, 5)
        self.closing.append(pool)
        return pool


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=3, counters=2, displays=1)
    with store.write() as db:
        tokens["PAD1"] = device_tokens.add_token(db, "PAD1", "rating", datetime.now(), 1)
    server = EmbeddedServer(QueueService(store, make_config())).start()
    c = Centre(server, tokens)
    yield c
    for client in c.closing:
        client.close()
    server.stop()
    store.close()


def test_a_kiosk_rates_over_http_and_is_never_told_the_clerk(centre: Centre) -> None:
    centre.queue.set_clerk(1, "lan.nt")
    tid = served(centre.queue, finish=False)
    centre.queue.link_dossier(1, tid, "000.25.38.H38-261123-0001")
    centre.queue.finish(1, tid)
    kiosk = centre.client("K1")
    view = kiosk.ticket_rating_view("a 1")
    assert view == centre.queue.ticket_rating_view("A001")  # the same record as in process
    fact = kiosk.rate_ticket("a 1", BAD, ["guidance"], key="k1-rating-1")
    assert (fact.ticket_id, fact.level, fact.reasons, fact.clerk, fact.dossiers) == (tid, BAD, ("guidance",), "", ())
    assert kiosk.rate_ticket("a 1", BAD, ["guidance"], key="k1-rating-1") == fact  # a retry: answered again
    [stored] = saved_ratings(centre.queue)
    assert stored.clerk == "lan.nt"
    # Not in any byte of the answers either (the replay of a key included).
    raw = centre.raw("K2")
    centre.queue.set_clerk(2, "minh.pv")
    other = served(centre.queue, 2, "DD", finish=False)
    centre.queue.link_dossier(2, other, "000.25.38.H38-261123-0002")
    centre.queue.finish(2, other)
    rate = {"display": "b1", "level": "satisfied"}
    answers = [
        raw.request("GET", "/api/v1/tickets/rating/B001"),
        raw.request("POST", "/api/v1/tickets/rating", body=rate, headers={"Idempotency-Key": "k2-1"}),
        raw.request("POST", "/api/v1/tickets/rating", body=rate, headers={"Idempotency-Key": "k2-1"}),
    ]
    assert [a.status for a in answers] == [200, 200, 200]
    for answer in answers:
        assert b"minh.pv" not in answer.body and b"261123-0002" not in answer.body
    assert answers[1].json() == answers[2].json()
    assert (answers[1].json()["clerk"], answers[1].json()["dossiers"]) == ("", [])
    with pytest.raises(AlreadyRatedError):
        kiosk.rate_ticket("B001", VERY)


def test_refusals_have_their_statuses(centre: Centre) -> None:
    served(centre.queue)  # A001, done
    centre.queue.issue_ticket("DD")  # B001, waiting
    raw = centre.raw("K1")

    def status(method: str, path: str, body: object = None) -> tuple[int, str]:
        r = raw.request(method, path, body=body)
        data = r.json()
        return r.status, data.get("error", "") if isinstance(data, dict) else ""

    assert status("GET", "/api/v1/tickets/rating/A099") == (404, "not_found")
    assert status("GET", "/api/v1/tickets/rating/B001") == (409, "not_finished")
    assert status("GET", "/api/v1/tickets/rating/A-1-2-3-4-5-6-7") == (422, "validation")
    assert status("POST", "/api/v1/tickets/rating", {"display": "A001", "level": "satisfied", "reasons": ["wait"]}) == (
        422,
        "validation",
    )
    assert status("POST", "/api/v1/tickets/rating", {"display": "A001", "level": "meh"})[0] == 422  # (FastAPI's)
    assert status("POST", "/api/v1/tickets/rating", {"display": "A001", "level": "satisfied"})[0] == 200
    # The kiosk's client raises the same classes as the service in process.
    kiosk = centre.client("K2")
    with pytest.raises(AlreadyRatedError):
        kiosk.rate_ticket("A001", VERY)
    with pytest.raises(NotFinishedError):
        kiosk.ticket_rating_view("b1")
    with pytest.raises(NotFoundError):
        kiosk.ticket_rating_view("A099")
    with pytest.raises(ValidationError):
        kiosk.ticket_rating_view("99")


def test_only_a_kiosk_rates_by_number(centre: Centre) -> None:
    served(centre.queue)
    for device in ("C1", "D1", "PAD1"):
        client = centre.client(device)
        with pytest.raises(AccessDeniedError):
            client.ticket_rating_view("A001")
        with pytest.raises(AccessDeniedError):
            client.rate_ticket("A001", VERY)
    assert saved_ratings(centre.queue) == []


def test_many_wrong_numbers_from_one_kiosk_get_429(centre: Centre) -> None:
    served(centre.queue)
    raw = centre.raw("K1")
    answers = [raw.request("GET", f"/api/v1/tickets/rating/A{n:03d}") for n in range(2, 12)]
    assert [a.status for a in answers] == [404] * 5 + [429] * 5
    late = answers[-1]
    assert late.json()["error"] == "too_many_tries" and 1 <= int(late.headers["retry-after"]) <= 30
    right = raw.request("POST", "/api/v1/tickets/rating", body={"display": "A001", "level": "satisfied"})
    assert right.status == 429  # the right number too: a wait must not tell a right number from a wrong one
    with pytest.raises(TooManyTriesError):
        centre.client("K1").ticket_rating_view("A001")
    assert centre.client("K2").rate_ticket("A001", OK).level is OK  # another kiosk is not held back
