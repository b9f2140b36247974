"""Kiosk, counter panel, display and the counter's rating pad against a real centre server process on loopback,
across a server restart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from motcua.bench.queue_bench import ServerProcess
from motcua.config import Settings
from motcua.devices.printer import FakePrinter
from motcua.domain.reports.facts import RatingLevel
from motcua.services.announcer import FakeAnnouncer
from motcua.services.queue.devices import make_kiosk_service
from motcua.services.queue.service import open_queue_store
from motcua.store import device_tokens
from motcua.sync.queue_client import HttpQueueClient
from motcua.ui.counter.queue_panel import QueuePanel
from motcua.ui.display.window import DisplayWindow
from motcua.ui.kiosk.window import KioskWindow
from motcua.ui.ops import wait_for_ops
from motcua.ui.rating.window import RatingWindow

pytestmark = pytest.mark.slow


def _tokens(db: Path) -> dict[str, str]:
    store = open_queue_store(db)
    try:
        with store.write() as conn:
            now = datetime.now()
            return {
                "kiosk": device_tokens.add_token(conn, "K1", "kiosk", now),
                "counter": device_tokens.add_token(conn, "C1", "counter", now, 1),
                "display": device_tokens.add_token(conn, "D1", "display", now),
                "rating": device_tokens.add_token(conn, "R1", "rating", now, 1),
            }
    finally:
        store.close()


def test_the_devices_work_together_through_the_server_and_survive_its_restart(
    qtbot, tmp_path: Path, queue_toml: Path, shot
) -> None:
    db = tmp_path / "centre.sqlite"
    tokens = _tokens(db)
    server = ServerProcess(db, queue_toml)
    # The kiosk retries long enough to span the restart (same idempotency key: still one ticket); the board and
    # the counter give up sooner, so that the board says it is offline meanwhile.
    clients = {
        role: HttpQueueClient(server.url, token, retries=8 if role == "kiosk" else 1, backoff=0.2, poll_interval=0.3)
        for role, token in tokens.items()
    }
    kiosk_service, _ = make_kiosk_service(clients["kiosk"], Settings(), FakePrinter())
    kiosk = KioskWindow(clients["kiosk"], kiosk_service, poll_ms=300)
    announcer = FakeAnnouncer()
    display = DisplayWindow(clients["display"], announcer, poll_ms=300)
    panel = QueuePanel(clients["counter"], 1, poll_ms=300)
    pad = RatingWindow(clients["rating"], 1, poll_ms=300)
    for w in (kiosk, display, panel, pad):
        qtbot.addWidget(w)
        w.show()
    try:
        qtbot.waitUntil(lambda: "HT" in kiosk.start_page.buttons and display.board is not None, timeout=10_000)
        kiosk.start_page.buttons["HT"].click()
        qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.result_page, timeout=10_000)
        assert kiosk.result_page.number.text() == "A001"
        qtbot.waitUntil(lambda: display.wait_chips["HT"].text().endswith(": 1 người chờ"), timeout=10_000)
        qtbot.waitUntil(lambda: panel.call_next_button.isEnabled(), timeout=10_000)
        panel.call_next()
        qtbot.waitUntil(lambda: display.tiles[1].number.text() == "A001", timeout=10_000)
        qtbot.waitUntil(lambda: len(announcer.played) == 1, timeout=10_000)
        assert panel.number.text() == "A001"
        shot(display, "e2e-display")

        server.stop()  # the centre restarts; every device must find it again by itself
        qtbot.waitUntil(lambda: display.offline.isVisible(), timeout=10_000)
        server = ServerProcess(db, queue_toml, server.port)
        kiosk.back_to_start()
        kiosk.start_page.buttons["HT"].click()
        qtbot.waitUntil(lambda: kiosk.current_page() is kiosk.result_page, timeout=15_000)
        assert kiosk.result_page.number.text() == "A002"
        qtbot.waitUntil(lambda: not display.offline.isVisible(), timeout=15_000)
        panel.finish_button.click()
        qtbot.waitUntil(lambda: panel.current() is None, timeout=10_000)
        # The pad at the counter found the centre again too: the citizen just served rates the service.
        qtbot.waitUntil(lambda: "A001" in pad.choose_page.ticket.text(), timeout=15_000)
        pad.choose_page.buttons[RatingLevel.VERY_SATISFIED].click()
        qtbot.waitUntil(lambda: pad.current_page() is pad.thanks_page, timeout=10_000)
        panel.call_next()
        qtbot.waitUntil(lambda: display.tiles[1].number.text() == "A002", timeout=15_000)
        qtbot.waitUntil(lambda: len(announcer.played) == 2, timeout=10_000)
    finally:
        for w in (kiosk, display, panel, pad):
            w.close()
        wait_for_ops()
        server.stop()
        for c in clients.values():
            c.close()
