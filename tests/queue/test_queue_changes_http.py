"""``GET /api/v1/changes`` on a real server: a held request answers with the call, an old sequence with a snapshot."""

from __future__ import annotations

import threading
from pathlib import Path

from queue_helpers import add_tokens, make_config

from motcua.domain.queue_views import QueueChanges
from motcua.server.run import EmbeddedServer
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.sync.queue_client import HttpQueueClient


def test_a_held_display_hears_the_call_and_a_stale_one_gets_the_board(tmp_path: Path, clock: object) -> None:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=1, counters=1, displays=1)
    service = QueueService(store, make_config(), clock=clock)  # type: ignore[arg-type]
    server = EmbeddedServer(service).start()
    kiosk, clerk = HttpQueueClient(server.url, tokens["K1"]), HttpQueueClient(server.url, tokens["C1"])
    display = HttpQueueClient(server.url, tokens["D1"], timeout=10)
    try:
        kiosk.issue_ticket("HT")
        start = display.changes(0)
        assert not start.snapshot and start.board is None and [e.kind for e in start.events] == ["issued"]
        heard: list[QueueChanges] = []
        held = threading.Thread(
            target=lambda: heard.append(display.changes(start.seq, ("called",), board=True, wait=8))
        )
        held.start()
        called = clerk.call_next(1)
        held.join(10)
        answer = heard[0]
        assert called is not None and answer.seq == service.latest_seq() and answer.board is not None
        assert [e.ticket_id for e in answer.events] == [called.id]
        assert answer.board.counters[0].display == called.display

        clock.set("2026-11-24 08:00")  # type: ignore[attr-defined]
        kiosk.issue_ticket("DD")  # the first write of the day archives yesterday's events
        stale = display.changes(start.seq, ("called",))
        assert stale.snapshot and stale.events == () and stale.board is not None
        assert stale.board.counters[0].display is None  # yesterday's call is not today's board
    finally:
        for c in (kiosk, clerk, display):
            c.close()
        server.stop()
        store.close()
