"""The queue server's short paths: the idle clerk's call-next answered from a read, the hot requests answered
without FastAPI (motcua.server.fast_path), the writes grouped in transactions (motcua.server.writer), and the
displays' recent events kept in memory (motcua.services.queue.changes.RecentEvents).

Each short path must answer exactly what the long one would: these tests pin that it never says "nobody" while
someone waits, that it answers what FastAPI answers, and that a grouped write is kept or undone on its own.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from queue_helpers import add_tokens, make_config

from motcua.domain.errors import NotFoundError
from motcua.domain.queue_codec import to_json
from motcua.server.app import create_app
from motcua.server.fast_path import FastPath
from motcua.server.guard import Limits
from motcua.server.run import EmbeddedServer, ServerThread
from motcua.server.writer import QueueWriter
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store import queue_read as reads
from motcua.store.db import Store

API = "/api/v1"


# -- the idle clerk's call-next ------------------------------------------------------------------------------------
def test_nobody_to_call_never_says_nobody_while_someone_waits_for_the_counter(queue: QueueService) -> None:
    # Counter 1 serves HT and DD (queue_helpers.make_config); KH is nobody's.
    assert queue.nobody_to_call(1, None)
    queue.issue_ticket("KH")
    assert queue.nobody_to_call(1, None)  # waiting, but not for this counter's services
    t = queue.issue_ticket("HT", "elderly").ticket  # a priority ticket alone in its queue
    assert not queue.nobody_to_call(1, None)
    called = queue.call_next(1)
    assert called is not None and called.id == t.id
    assert not queue.nobody_to_call(1, None)  # a ticket of its own called there: the write decides what follows
    queue.no_show(1, t.id)
    assert queue.nobody_to_call(1, None)

    regular = queue.issue_ticket("DD").ticket
    assert not queue.nobody_to_call(1, None)
    assert queue.call_next(1, key="k1") is not None
    queue.transfer(1, regular.id, to_counter=2)  # sent to counter 2 only
    assert queue.nobody_to_call(1, None) and not queue.nobody_to_call(2, None)
    assert not queue.nobody_to_call(1, "k1")  # a key answered before: its answer is the write's to give
    moved = queue.call_next(2)
    assert moved is not None and moved.id == regular.id


def test_nobody_to_call_follows_pauses_and_the_days_assignment(queue: QueueService) -> None:
    queue.pause(1)
    assert not queue.nobody_to_call(1, None)  # paused: the write refuses it (409), not "nobody"
    queue.resume(1)
    assert queue.nobody_to_call(1, None)
    queue.assign_services(1, ["KH"])  # today counter 1 serves KH only
    queue.issue_ticket("HT")
    assert queue.nobody_to_call(1, None) and not queue.nobody_to_call(3, None)
    queue.issue_ticket("KH")
    assert not queue.nobody_to_call(1, None)


def test_nobody_to_call_agrees_with_call_next_through_random_days(queue: QueueService) -> None:
    rnd = random.Random(7)
    for _ in range(300):
        counter = rnd.randint(1, 3)
        action = rnd.random()
        if action < 0.35:
            queue.issue_ticket(rnd.choice(["HT", "DD", "KH"]), "elderly" if rnd.random() < 0.2 else None)
            continue
        active = reads.active_tickets(queue.store.read(), queue.centre, queue.clock().date()).get(counter)
        if active is not None:
            if action < 0.6:
                queue.start(counter, active.id) if active.state.value == "called" else queue.finish(counter, active.id)
            elif action < 0.7:
                queue.transfer(counter, active.id, to_counter=rnd.randint(1, 3))
            else:
                queue.no_show(counter, active.id) if active.state.value == "called" else None
            continue
        idle = queue.nobody_to_call(counter, None)
        called = queue.call_next(counter)
        assert idle == (called is None), (counter, idle, called)


# -- the fast path over HTTP ---------------------------------------------------------------------------------------
class Raw:
    """One HTTP connection with full control of the headers (a header twice makes the fast path step aside)."""

    def __init__(self, url: str) -> None:
        host, port = url.rsplit("//", 1)[1].split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=10)

    def call(
        self,
        method: str,
        path: str,
        token: str = "",
        body: Any = None,
        headers: dict[str, str] | None = None,
        twice: bool = False,
    ) -> tuple[int, Any, dict[str, str]]:
        data = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        self.conn.putrequest(method, path)
        sent = {"Content-Length": str(len(data)), **({"Authorization": f"Bearer {token}"} if token else {})}
        if body is not None:
            sent["Content-Type"] = "application/json"
        for name, value in {**sent, **(headers or {})}.items():
            self.conn.putheader(name, value)
        if twice:  # the same harmless header twice: not plainly one request the fast path takes
            self.conn.putheader("X-Probe", "1")
            self.conn.putheader("X-Probe", "2")
        self.conn.endheaders(data)
        r = self.conn.getresponse()
        payload = r.read()
        return r.status, json.loads(payload) if payload else None, {k.lower(): v for k, v in r.getheaders()}

    def close(self) -> None:
        self.conn.close()


def fast_path_of(app: Any) -> FastPath:
    layer = app.middleware_stack
    while not isinstance(layer, FastPath):
        layer = layer.app
    return layer


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[EmbeddedServer, dict[str, str], Raw]]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=3, displays=1)
    server = EmbeddedServer(QueueService(store, make_config())).start()
    raw = Raw(server.url)
    yield server, tokens, raw
    raw.close()
    server.stop()
    store.close()


def test_the_hot_requests_take_the_fast_path_and_answer_as_fastapi_does(
    served: tuple[EmbeddedServer, dict[str, str], Raw],
) -> None:
    server, tokens, raw = served
    fast = fast_path_of(server.app)
    before = fast.answered
    status, issued, headers = raw.call("POST", f"{API}/tickets", tokens["K1"], {"service": "HT"})
    assert status == 200 and issued["ticket"]["display"] == "A001" and headers["content-type"] == "application/json"
    status, slow, _ = raw.call("POST", f"{API}/tickets", tokens["K1"], {"service": "HT"}, twice=True)
    assert status == 200 and slow["ticket"]["display"] == "A002" and set(slow) == set(issued)
    assert fast.answered == before + 1  # the second went to FastAPI

    status, called, _ = raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"], headers={"Idempotency-Key": "x"})
    assert status == 200 and called["ticket"]["display"] == "A001"
    again = raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"], headers={"Idempotency-Key": "x"})
    assert again[:2] == (200, called)  # the key's first answer, not a second citizen
    for action in ("start", "finish"):
        status, moved, _ = raw.call("POST", f"{API}/counters/1/tickets/{called['ticket']['id']}/{action}", tokens["C1"])
        assert status == 200 and moved["id"] == called["ticket"]["id"]
    status, second, _ = raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"])
    assert status == 200 and second["ticket"]["display"] == "A002"
    assert raw.call("POST", f"{API}/counters/3/call-next", tokens["C3"])[:2] == (200, {"ticket": None})

    status, changes, _ = raw.call("GET", f"{API}/changes?since=0&kinds=called&board=true", tokens["D1"])
    assert status == 200 and [e["display"] for e in changes["events"]] == ["A001", "A002"]
    assert changes["board"]["counters"][0]["display"] == "A002"
    slow_changes = raw.call("GET", f"{API}/changes?since=0&kinds=called&board=true", tokens["D1"], twice=True)[1]
    assert slow_changes["events"] == changes["events"] and slow_changes["seq"] == changes["seq"]
    assert fast.answered == before + 8


@pytest.mark.parametrize(
    ("method", "path", "who", "body"),
    [
        ("POST", f"{API}/tickets", "K1", {"service": "XX"}),  # unknown service: 404 from the use case
        ("POST", f"{API}/tickets", "K1", {"service": "HT", "priority_group": "nobody"}),  # 422 from the use case
        ("POST", f"{API}/tickets", "D1", {"service": "HT"}),  # a display may not (403)
        ("POST", f"{API}/tickets", "", {"service": "HT"}),  # no token (401)
        ("POST", f"{API}/tickets", "bad", {"service": "HT"}),  # made-up token (401)
        ("POST", f"{API}/tickets", "K1", {"service": 12}),  # not a string (422)
        ("POST", f"{API}/tickets", "K1", {"service": "H" * 65}),  # too long (422)
        ("POST", f"{API}/tickets", "K1", b'{"service": "\\ud800"}'),  # a lone surrogate (400)
        ("POST", f"{API}/tickets", "K1", b"{not json"),  # (422)
        ("POST", f"{API}/tickets", "K1", []),  # (422)
        ("POST", f"{API}/counters/2/call-next", "C1", None),  # another counter's token (403)
        ("POST", f"{API}/counters/9/call-next", "C1", None),  # (403: bound to 1)
        ("POST", f"{API}/counters/01/call-next", "C1", None),  # written oddly: FastAPI reads it
        ("POST", f"{API}/counters/1/tickets/999/start", "C1", None),  # no such ticket (404)
        ("POST", f"{API}/counters/1/tickets/0/finish", "C1", None),  # out of range (422)
        ("GET", f"{API}/changes?since=-1", "D1", None),  # (422)
        ("GET", f"{API}/changes?wait=31", "D1", None),  # (422)
        ("GET", f"{API}/changes?board=yes", "D1", None),  # FastAPI's boolean
        ("GET", f"{API}/changes?since=1&since=2", "D1", None),
        ("GET", f"{API}/changes", "bad", None),  # (401)
    ],
)
def test_every_refusal_is_the_one_fastapi_gives(
    served: tuple[EmbeddedServer, dict[str, str], Raw], method: str, path: str, who: str, body: Any
) -> None:
    _, tokens, raw = served
    token = tokens.get(who, who)
    fast = raw.call(method, path, token, body)
    slow = raw.call(method, path, token, body, twice=True)
    for answer in (fast[1], slow[1]):
        if isinstance(answer, dict) and answer.get("board"):
            del answer["board"]["at"]  # the time of the answer: the two may fall in different seconds
    assert fast[:2] == slow[:2]
    assert fast[2].get("retry-after") == slow[2].get("retry-after")


def test_a_paused_counter_is_refused_on_the_fast_path_in_fastapis_words(
    served: tuple[EmbeddedServer, dict[str, str], Raw],
) -> None:
    _, tokens, raw = served
    assert raw.call("POST", f"{API}/counters/1/pause", tokens["C1"])[0] == 200
    fast = raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"])
    slow = raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"], twice=True)
    assert fast[0] == 409 and fast[1]["error"] == "paused" and fast[:2] == slow[:2]


def test_the_fast_path_spends_the_devices_rate_once(tmp_path: Path) -> None:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=1, displays=0)
    limits = Limits(write_rate=0.001, write_burst=3)
    service = QueueService(store, make_config())
    server = ServerThread(create_app(service, EmbeddedCentreLeases(store), limits=limits), limits=limits).start()
    raw = Raw(server.url)
    try:
        answers = [raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"]) for _ in range(4)]
        assert [a[0] for a in answers] == [200, 200, 200, 429]
        assert int(answers[3][2]["retry-after"]) >= 1 and "detail" in answers[3][1]
        # Handed on to FastAPI (a header twice), a request is charged there, and only there.
        assert raw.call("POST", f"{API}/counters/1/call-next", tokens["C1"], twice=True)[0] == 429
    finally:
        raw.close()
        server.stop()
        store.close()


# -- writes grouped in transactions -------------------------------------------------------------------------------
def test_grouped_writes_are_each_kept_or_undone_alone(queue: QueueService) -> None:
    writer = QueueWriter(queue.store, queue.feed, queue.commit_failed)
    heard: list[int] = []
    queue.feed.subscribe(lambda seq: heard.append(reads.latest_seq(queue.store.read(), queue.centre)))

    def broken() -> None:
        queue.issue_ticket("HT")  # written, then undone with the rest of this write
        raise NotFoundError("no")

    async def main() -> list[Any]:
        jobs = [writer.run(lambda: queue.issue_ticket("DD").ticket.display) for _ in range(20)]
        jobs.insert(7, writer.run(broken))
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        writer.close()
    assert isinstance(results[7], NotFoundError)
    shown = [r for i, r in enumerate(results) if i != 7]
    assert sorted(shown) == [f"B{n:03d}" for n in range(1, 21)]
    assert writer.batches < 21  # they queued together and shared transactions
    db = queue.store.read()
    assert db.execute("SELECT COUNT(*) FROM queue_tickets WHERE service = 'HT'").fetchone()[0] == 0
    # Every change was heard once committed: a listener reading the head at once found it there.
    assert heard and heard[-1] == queue.latest_seq()


def test_a_lone_failed_write_leaves_nothing(queue: QueueService) -> None:
    writer = QueueWriter(queue.store, queue.feed, queue.commit_failed)
    seq = queue.latest_seq()

    def broken() -> None:
        queue.issue_ticket("HT")
        raise NotFoundError("no")

    try:
        with pytest.raises(NotFoundError):
            asyncio.run(writer.run(broken))
    finally:
        writer.close()
    assert queue.latest_seq() == seq and queue.feed.seq == seq


def test_a_batch_that_does_not_commit_fails_every_write_in_it(centre_store: Store, clock: object) -> None:
    service = QueueService(centre_store, make_config(), clock=clock)  # type: ignore[arg-type]
    forgotten: list[bool] = []
    writer = QueueWriter(centre_store, service.feed, lambda: forgotten.append(True))

    def undo_all() -> None:
        centre_store.read()  # (a reader: unaffected)
        with centre_store.write() as db:
            db.conn.execute("ROLLBACK")  # what SQLite does itself on a full disk: the savepoints are gone

    async def main() -> list[Any]:
        jobs = [writer.run(lambda: service.issue_ticket("HT")) for _ in range(5)] + [writer.run(undo_all)]
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        results = asyncio.run(main())
    finally:
        writer.close()
    if writer.batches == 1:  # all six shared the transaction: none of them was kept
        assert all(isinstance(r, Exception) for r in results) and forgotten
        assert service.latest_seq() == 0 and service.feed.seq == 0


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("HELD", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def _hold_lock(path: Path) -> Any:
    """Another process holding the database's write lock until told to let go (``.communicate("\\n")``)."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "HELD"
    return proc


def test_writes_wait_for_another_process_without_stopping_the_event_loop(queue: QueueService) -> None:
    writer = QueueWriter(queue.store, queue.feed, queue.commit_failed)
    holder = _hold_lock(queue.store.path)
    ticks: list[float] = []

    async def main() -> list[str]:
        writes = [asyncio.ensure_future(writer.run(lambda: queue.issue_ticket("HT").ticket.display)) for _ in range(3)]
        for _ in range(20):  # the loop goes on answering other requests meanwhile
            await asyncio.sleep(0.01)
            ticks.append(asyncio.get_running_loop().time())
        assert not any(w.done() for w in writes)  # still waiting for the lock, not failed
        await asyncio.get_running_loop().run_in_executor(None, lambda: holder.communicate("\n", timeout=10))
        return list(await asyncio.gather(*writes))

    try:
        shown = asyncio.run(main())
    finally:
        if holder.poll() is None:
            holder.communicate("\n", timeout=10)
        writer.close()
    assert len(ticks) == 20
    assert sorted(shown) == ["A001", "A002", "A003"] and writer.lock_waits > 0
    assert writer.batches == 1  # the writes that waited together went in together


def test_writes_that_cannot_get_the_lock_in_time_fail_and_leave_nothing(queue: QueueService) -> None:
    import sqlite3

    writer = QueueWriter(queue.store, queue.feed, queue.commit_failed, lock_timeout_s=0.2)
    seq = queue.latest_seq()
    holder = _hold_lock(queue.store.path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            asyncio.run(writer.run(lambda: queue.issue_ticket("HT")))
    finally:
        holder.communicate("\n", timeout=10)
        writer.close()
    assert queue.latest_seq() == seq
    assert asyncio.run(writer.run(lambda: queue.issue_ticket("HT").ticket.display)) == "A001"  # and then it works
    writer.close()


# -- the displays' recent events -----------------------------------------------------------------------------------
def test_recent_events_answer_what_the_table_holds_for_every_since(queue: QueueService) -> None:
    rnd = random.Random(3)
    for _ in range(120):
        queue.issue_ticket(rnd.choice(["HT", "DD"]))
        if rnd.random() < 0.5:
            counter = rnd.randint(1, 3)
            active = reads.active_tickets(queue.store.read(), queue.centre, queue.clock().date()).get(counter)
            if active is not None:
                queue.start(counter, active.id) if active.state.value == "called" else queue.finish(counter, active.id)
            else:
                queue.call_next(counter)
        head = queue.latest_seq()
        for since in {0, max(0, head - 1), rnd.randint(0, head), head}:
            for kinds in ((), ("called", "recalled")):
                got = json.loads(queue.changes_json(since, kinds, tick=rnd.randint(0, 5)))
                want = reads.events_since(queue.store.read(), queue.centre, since, 2000, kinds, upto=got["seq"])
                assert [e["seq"] for e in got["events"]] == [e.seq for e in want], (since, kinds)


def test_the_boards_json_reuses_counters_yet_is_what_the_codec_writes(queue: QueueService) -> None:
    for round_ in range(3):  # the second and third builds reuse the unchanged counters' parts
        queue.issue_ticket("HT")
        queue.issue_ticket("DD", "elderly")
        queue.call_next(round_ % 3 + 1)
        board = queue.board()
        want = to_json(board)
        got = json.loads(queue.board_json())
        assert got == {**want, "at": got["at"]}
        del want["at"]
        assert queue.boards.get(queue.store.read(), queue.clock(), 10).body == json.dumps(want, ensure_ascii=False)
