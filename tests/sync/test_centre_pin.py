"""A counter reaches a centre started with ``--tls self-signed`` by the certificate's fingerprint alone
(``[sync] centre_tls_pin_sha256``): dossier numbers, the queue and the sync all go over https, and a counter with
another fingerprint is refused rather than sending its token to an impostor."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from motcua.cli.queue import open_queue_api
from motcua.cli.sync_link import WorkstationSync, centre_tls, workstation_upstream
from motcua.config import CounterSettings, Settings, SyncSettings
from motcua.domain.errors import MotcuaError
from motcua.domain.queue_config import parse_queue_config
from motcua.server import tls_cert
from motcua.server.app import create_app
from motcua.server.run import ServerThread, TlsFiles
from motcua.services.context import open_context
from motcua.services.leases import EmbeddedCentreLeases
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.reception import ReceptionService
from motcua.services.sync_setup import centre_node
from motcua.store import device_tokens
from motcua.sync.centre_client import HttpCentreLeases

AGENCY = "000.25.38.H38"


def test_a_counter_trusts_its_centre_by_fingerprint_and_refuses_another(tmp_path: Path) -> None:
    cert, key, _ = tls_cert.ensure_self_signed(tmp_path / "centre", "127.0.0.1")
    store = open_queue_store(tmp_path / "centre" / "centre.sqlite")
    node = centre_node(store, AGENCY, tmp_path / "centre")
    queue = QueueService(store, parse_queue_config({"centre_id": AGENCY}))
    app = create_app(queue, EmbeddedCentreLeases(store, None), sync=node, agency_id=AGENCY)
    server = ServerThread(app, tls=TlsFiles(str(cert), str(key))).start()
    try:
        with store.write() as db:
            token = device_tokens.add_token(db, "Q01", "counter", datetime.now())
        good = Settings(
            counter=CounterSettings(station_id="Q01"),
            sync=SyncSettings(centre_url=server.url, centre_token=token,
                              centre_tls_pin_sha256=tls_cert.sha256_of(cert)),
        )  # fmt: skip
        assert server.url.startswith("https://")
        ctx = open_context(good, tmp_path / "Q01", leases=HttpCentreLeases(server.url, token, tls=centre_tls(good)))
        try:
            svc = ReceptionService(ctx)
            assert svc.ensure_code_blocks() > 0  # numbers leased over https
            link = WorkstationSync(ctx, workstation_upstream(ctx, server.url, token, None))
            link.engine.run_once()  # the sync round over https
            link.close()
        finally:
            ctx.close()
        config = replace(parse_queue_config({"centre_id": AGENCY}), server_url=server.url, token=token)
        handle = open_queue_api(config, tmp_path / "Q01", settings=good)
        try:
            assert handle.api.board().counters is not None  # the queue over https
        finally:
            handle.close()
        # Another fingerprint (an impostor on the LAN, or a centre whose certificate changed): refused.
        bad = replace(good, sync=replace(good.sync, centre_tls_pin_sha256="00" * 32))
        with pytest.raises(MotcuaError, match="dấu vân tay"):
            HttpCentreLeases(server.url, token, tls=centre_tls(bad)).lease(AGENCY, datetime.now().date(), "Q01", 10,
                                                                           datetime.now())  # fmt: skip
    finally:
        server.stop()
        store.close()
