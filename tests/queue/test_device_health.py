"""Devices' health: each device's last report kept on the centre (an upsert, no queue event), silent after a
threshold, and through a real centre server on a loopback port: the reporting device is the token's, and only a
supervisor's (counter or admin) token reads the list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from queue_helpers import add_tokens, make_config

from motcua.domain.device_health import SILENT_AFTER_S, DeviceHealth, DeviceRole, PaperState, paper_from_status
from motcua.domain.errors import ValidationError
from motcua.domain.queue import AccessDeniedError
from motcua.domain.queue_codec import from_json, to_json
from motcua.server.run import EmbeddedServer
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.store import device_tokens
from motcua.sync.queue_client import HttpQueueClient

KIOSK, DISPLAY, RATING = DeviceRole.KIOSK, DeviceRole.DISPLAY, DeviceRole.RATING
VERSION = "MotCua Desk 1.2.0 (deb 2026-12-01 3e60606abc; Python 3.11.2, Qt 6.8.0; Windows 10 AMD64)"


def by_name(items: list[DeviceHealth]) -> dict[tuple[str, DeviceRole], DeviceHealth]:
    return {(d.device, d.role): d for d in items}


def test_a_report_is_one_row_per_device_and_role_overwritten_without_a_queue_event(
    queue: QueueService, clock: object
) -> None:
    seq = queue.latest_seq()
    heard: list[int] = []
    sub = queue.subscribe(heard.append)
    try:
        first = queue.report_health(KIOSK, PaperState.OK, VERSION, device="K-Q01")
        assert (first.device, first.printer, first.last_seen) == ("K-Q01", PaperState.OK, clock.now)  # type: ignore[attr-defined]
        clock.now += timedelta(seconds=60)  # type: ignore[attr-defined]
        queue.report_health(KIOSK, PaperState.OUT, VERSION, device="K-Q01")
        queue.report_health(KIOSK, PaperState.OUT, VERSION, device="K-Q01")  # a retry: the same state again
        queue.report_health(DISPLAY, "none", VERSION, device="K-Q01")  # the same PC runs the board too
        queue.report_health(RATING, PaperState.NONE, "", device="R-Q02", counter=2)
    finally:
        sub.close()
    assert queue.latest_seq() == seq and heard == []  # no event, nothing pushed: no board re-reads for a heartbeat
    devices = by_name(queue.device_health())
    assert len(devices) == 3
    kiosk = devices[("K-Q01", KIOSK)]
    assert (kiosk.printer, kiosk.last_seen, kiosk.silent) == (PaperState.OUT, clock.now, False)  # type: ignore[attr-defined]
    assert kiosk.short_version == "1.2.0"
    assert devices[("K-Q01", DISPLAY)].printer is PaperState.NONE  # the board's report did not blank the kiosk's
    assert devices[("R-Q02", RATING)].counter == 2


def test_a_device_not_heard_for_three_reports_is_silent(queue: QueueService, clock: object) -> None:
    queue.report_health(KIOSK, PaperState.OK, VERSION, device="K-Q01")
    clock.now += timedelta(seconds=SILENT_AFTER_S)  # type: ignore[attr-defined]
    (kiosk,) = queue.device_health()
    assert (kiosk.seen_ago_s, kiosk.silent) == (SILENT_AFTER_S, False)  # exactly at the threshold: not yet
    clock.now += timedelta(seconds=1)  # type: ignore[attr-defined]
    assert queue.device_health()[0].silent
    assert not queue.device_health(silent_after_s=600)[0].silent  # the threshold is the reader's
    queue.report_health(KIOSK, PaperState.OK, VERSION, device="K-Q01")
    assert not queue.device_health()[0].silent  # heard again


def test_a_report_is_checked(queue: QueueService) -> None:
    for bad in (
        lambda: queue.report_health("printer", PaperState.OK, "", device="K1"),  # type: ignore[arg-type]
        lambda: queue.report_health(KIOSK, "empty", "", device="K1"),  # type: ignore[arg-type]
        lambda: queue.report_health(KIOSK, PaperState.OK, "", device=""),
        lambda: queue.report_health(KIOSK, PaperState.OK, "", device="x" * 65),
        lambda: queue.report_health(KIOSK, PaperState.OK, "v" * 201, device="K1"),
        lambda: queue.report_health(KIOSK, PaperState.OK, "1.0\n", device="K1\x00"),
    ):
        with pytest.raises(ValidationError):
            bad()
    assert queue.device_health() == []


def test_the_records_travel_as_json_and_the_escpos_status_maps_to_a_state(queue: QueueService) -> None:
    queue.report_health(RATING, PaperState.NONE, VERSION, device="R-Q01", counter=1)
    (d,) = queue.device_health()
    assert from_json(DeviceHealth, to_json(d)) == d
    assert [paper_from_status(s) for s in (2, 1, 0, None, 7)] == [
        PaperState.OK,
        PaperState.LOW,
        PaperState.OUT,
        PaperState.UNKNOWN,
        PaperState.UNKNOWN,
    ]


# -- over HTTP ----------------------------------------------------------------------------------------------------
class Centre:
    def __init__(self, server: EmbeddedServer, service: QueueService, tokens: dict[str, str]) -> None:
        self.server, self.service, self.tokens = server, service, tokens
        self.clients: list[HttpQueueClient] = []

    def client(self, device: str) -> HttpQueueClient:
        c = HttpQueueClient(self.server.url, self.tokens[device], retries=0)
        self.clients.append(c)
        return c


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[Centre]:
    store = open_queue_store(tmp_path / "centre.sqlite")
    tokens = add_tokens(store, kiosks=2, counters=1, displays=1)
    with store.write() as db:
        tokens["PAD1"] = device_tokens.add_token(db, "PAD1", "rating", datetime.now(), 1)
        tokens["ADMIN"] = device_tokens.add_token(db, "ADMIN", "admin", datetime.now())
    service = QueueService(store, make_config())
    server = EmbeddedServer(service).start()
    c = Centre(server, service, tokens)
    yield c
    for client in c.clients:
        client.close()
    server.stop()
    store.close()


def test_every_device_reports_as_its_token_and_a_supervisor_reads_the_list(centre: Centre) -> None:
    seq = centre.service.latest_seq()
    k1 = centre.client("K1")
    got = k1.report_health(KIOSK, PaperState.OUT, VERSION, device="K2", counter=3)  # cannot pose as K2 or a counter
    assert (got.device, got.counter, got.printer) == ("K1", None, PaperState.OUT)
    centre.client("D1").report_health(DISPLAY, PaperState.NONE, VERSION)
    centre.client("PAD1").report_health(RATING, PaperState.NONE, VERSION)
    centre.client("C1").report_health(DeviceRole.COUNTER, PaperState.LOW, VERSION)
    assert centre.service.latest_seq() == seq  # no queue event for a heartbeat
    for reader in ("C1", "ADMIN"):  # a supervisor's workstation runs with its counter token
        devices = by_name(centre.client(reader).device_health())
        assert set(devices) == {("K1", KIOSK), ("D1", DISPLAY), ("PAD1", RATING), ("C1", DeviceRole.COUNTER)}
        assert devices[("K1", KIOSK)].printer is PaperState.OUT and not devices[("K1", KIOSK)].silent
        assert devices[("PAD1", RATING)].counter == 1 and devices[("C1", DeviceRole.COUNTER)].counter == 1
        assert devices[("K1", KIOSK)].version == VERSION
    assert centre.client("C1").device_health(silent_after_s=1) is not None
    for denied in ("D1", "K2", "PAD1"):  # a board, a kiosk and a pad never read the list
        with pytest.raises(AccessDeniedError):
            centre.client(denied).device_health()
    assert "K2" not in {d.device for d in centre.service.device_health()}


def test_a_bad_report_is_refused_and_a_bad_token_too(centre: Centre) -> None:
    from motcua.sync.http import HttpPool

    pool = HttpPool(centre.server.url, {"Authorization": f"Bearer {centre.tokens['K1']}"}, 5.0)
    try:
        r = pool.request("POST", "/api/v1/devices/health", body={"role": "toaster", "printer": "ok"})
        assert r.status == 422
        r = pool.request("POST", "/api/v1/devices/health", body={"role": "kiosk", "version": "v" * 201})
        assert r.status == 422
        r = pool.request("GET", "/api/v1/devices/health", params={"silent_after_s": 0})
        assert r.status == 403  # (the role is checked before the query)
    finally:
        pool.close()
    stranger = HttpQueueClient(centre.server.url, "not-a-token", retries=0)
    try:
        with pytest.raises(AccessDeniedError):
            stranger.report_health(KIOSK, PaperState.OK, VERSION)
    finally:
        stranger.close()
