"""Against a real centre server on a loopback port: concurrency, tokens, push, polling fallback, OpenAPI."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from queue_helpers import add_tokens, make_config, services_with_gaps, wait_until, write_config

from motcua.bench.queue_bench import ServerProcess
from motcua.domain.errors import MotcuaError
from motcua.domain.queue import AccessDeniedError
from motcua.server.run import EmbeddedServer, check_role
from motcua.services.leases import LeasePolicy
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.sync.centre_client import HttpCentreLeases
from motcua.sync.http import HttpPool
from motcua.sync.push_listener import ChangeListener
from motcua.sync.queue_client import HttpQueueClient


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[tuple[EmbeddedServer, dict[str, str]]]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=2, displays=1)
    policy = LeasePolicy(frozenset({"000.25.38.H38"}))
    server = EmbeddedServer(QueueService(store, make_config()), policy=policy).start()
    yield server, tokens
    server.stop()
    store.close()


@pytest.mark.parametrize("workers", [1, 3])
def test_many_kiosks_and_clerks_never_share_a_number_or_a_citizen(tmp_path: Path, workers: int) -> None:
    """One server process, and three sharing the socket and the database (``--workers``)."""
    kiosks, clerks, per_kiosk = 20, 20, 15
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=kiosks, counters=clerks, displays=0)
    store.close()
    server = ServerProcess(tmp_path / "centre.sqlite", write_config(tmp_path / "queue.toml", clerks), workers=workers)
    url = server.url
    issued: list[tuple[int, str, int]] = []
    called: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    kiosks_done = threading.Event()

    def kiosk(i: int) -> None:
        api = HttpQueueClient(url, tokens[f"K{i}"])
        try:
            for k in range(per_kiosk):
                t = api.issue_ticket("HT" if (i + k) % 2 else "DD", "elderly" if k % 5 == 0 else None).ticket
                with lock:
                    issued.append((t.id, t.service, t.number))
        except BaseException as exc:
            errors.append(exc)
        finally:
            api.close()

    def clerk(n: int) -> None:
        api = HttpQueueClient(url, tokens[f"C{n}"])
        try:
            while True:
                t = api.call_next(n)
                if t is None:
                    if kiosks_done.is_set() and not any(s.waiting for s in api.board().services):
                        return
                    # Idle: ask again a little later. Every 10 ms would pass a device's rate of writes (10/s, burst
                    # 30: guard.Limits) now that "nobody" is answered at once (it used to queue behind the writes).
                    time.sleep(0.12)
                    continue
                with lock:
                    called.append(t.id)
                # A citizen is served in some time, not none: back to back, a clerk's call and finish would pass the
                # device's rate of writes (10/s, burst 30) whenever the server answers fast enough.
                time.sleep(0.2)
                api.finish(n, t.id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            api.close()

    try:
        workers = [threading.Thread(target=clerk, args=(n,)) for n in range(1, clerks + 1)]
        feeders = [threading.Thread(target=kiosk, args=(i,)) for i in range(1, kiosks + 1)]
        for t in workers + feeders:
            t.start()
        for t in feeders:
            t.join(60)
        kiosks_done.set()
        for t in workers:
            t.join(60)
        assert not errors, errors[:3]
        assert len(issued) == kiosks * per_kiosk
        numbers = [(s, n) for _, s, n in issued]
        assert len(set(numbers)) == len(numbers), "two citizens got the same number"
        assert len(set(called)) == len(called), "a ticket was called twice"
        assert sorted(called) == sorted(i for i, _, _ in issued), "a ticket was lost or never called"
        assert services_with_gaps(numbers) == []  # no gap, no repeat
    finally:
        server.stop()


def test_a_display_token_can_only_read(embedded: tuple[EmbeddedServer, dict[str, str]]) -> None:
    server, tokens = embedded
    display = HttpQueueClient(server.url, tokens["D1"])
    assert display.board().counters
    with pytest.raises(AccessDeniedError):
        display.issue_ticket("HT")
    with pytest.raises(AccessDeniedError):
        display.call_next(1)
    raw = HttpPool(server.url, {"Authorization": f"Bearer {tokens['D1']}"}, 5)
    assert raw.request("POST", "/api/v1/tickets", body={"service": "HT"}).status == 403
    assert raw.request("POST", "/api/v1/counters/1/pause").status == 403
    anonymous = HttpPool(server.url, {}, 5)
    assert anonymous.request("GET", "/api/v1/board").status == 401
    counter_two = HttpQueueClient(server.url, tokens["C2"])
    with pytest.raises(AccessDeniedError):
        counter_two.call_next(1)  # a counter token is bound to its own counter
    assert counter_two.call_next(2) is None
    for c in (display, counter_two, raw, anonymous):
        c.close()


def test_http_client_behaves_like_the_local_service(embedded: tuple[EmbeddedServer, dict[str, str]]) -> None:
    server, tokens = embedded
    kiosk, clerk = HttpQueueClient(server.url, tokens["K1"]), HttpQueueClient(server.url, tokens["C1"])
    issued = kiosk.issue_ticket("HT", key="same")
    assert kiosk.issue_ticket("HT", key="same").ticket == issued.ticket
    t = clerk.call_next(1)
    assert t is not None and t.display == "A001"
    with pytest.raises(MotcuaError):
        clerk.no_show(1, t.id + 99)
    assert clerk.transfer(1, t.id, to_service="DD").queue == "DD"
    assert [e.kind for e in clerk.events(0, kinds=("called",))] == ["called"]
    assert kiosk.kiosk_view().priority_groups == (("elderly", "Người cao tuổi"),)
    leases = HttpCentreLeases(server.url, tokens["C1"])
    day, now = date(2026, 11, 23), datetime(2026, 11, 23, 8)
    assert leases.lease("000.25.38.H38", day, "C1", 50, now) == (1, 50)
    assert leases.lease("000.25.38.H38", day, "C1", 50, now) == (51, 100)
    # A counter's token leases for its own workstation only, and only for this centre's agency.
    with pytest.raises(MotcuaError, match="chính máy trạm"):
        leases.lease("000.25.38.H38", day, "Q2", 50, now)
    with pytest.raises(MotcuaError, match=r"000\.99\.38\.H38"):
        leases.lease("000.99.38.H38", day, "C1", 50, now)
    anonymous = HttpPool(server.url, {}, 5)
    paths = anonymous.request("GET", "/openapi.json").json()["paths"]
    assert {"/api/v1/tickets", "/api/v1/counters/{counter}/call-next", "/api/v1/stream", "/api/v1/code-leases"} <= set(
        paths
    )
    for c in (kiosk, clerk, leases, anonymous):
        c.close()


def test_polling_takes_over_when_the_push_channel_is_unavailable(
    embedded: tuple[EmbeddedServer, dict[str, str]],
) -> None:
    server, tokens = embedded
    heard: list[int] = []
    listener = ChangeListener(
        server.url + "/api/v1", tokens["D1"], heard.append, poll_interval=0.1, stream_path="/no-such-stream"
    ).start()
    try:
        assert wait_until(lambda: heard == [0])
        kiosk = HttpQueueClient(server.url, tokens["K1"])
        kiosk.issue_ticket("HT")
        kiosk.close()
        assert wait_until(lambda: heard and heard[-1] == 1, 5)
        assert not listener.connected
    finally:
        listener.close()


def test_push_reconnects_after_a_server_restart(tmp_path: Path) -> None:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=1, displays=1)
    store.close()
    config = write_config(tmp_path / "queue.toml", 2)
    server = ServerProcess(tmp_path / "centre.sqlite", config)
    url = server.url
    display = HttpQueueClient(url, tokens["D1"])
    heard: list[int] = []
    listener = display.subscribe(heard.append)
    kiosk = HttpQueueClient(url, tokens["K1"], retries=6, backoff=0.2)
    try:
        assert wait_until(lambda: listener.connected)
        kiosk.issue_ticket("HT")
        assert wait_until(lambda: heard and heard[-1] == 1)
        server.stop()
        assert wait_until(lambda: not listener.connected)
        server = ServerProcess(tmp_path / "centre.sqlite", config, server.port)
        kiosk.issue_ticket("HT")  # the same client object reconnects by itself
        assert wait_until(lambda: heard[-1] == 2 and listener.connected, 15)
        assert listener.reconnects >= 1
    finally:
        listener.close()
        server.stop()
        for c in (display, kiosk):
            c.close()


def test_an_unknown_server_role_is_refused_clearly() -> None:
    check_role("province")  # the reference provincial system: served since the sync issue
    with pytest.raises(MotcuaError, match="tinh"):
        check_role("tinh")
