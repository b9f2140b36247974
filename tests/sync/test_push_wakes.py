"""A workstation hears its centre announce a change (Server-Sent Events) and pulls at once, without waiting for its
next round: a dossier saved at one counter shows up at the next counter within moments."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from motcua.cli.sync import WorkstationSync
from motcua.config import CounterSettings, Settings, SyncSettings
from motcua.domain.queue_config import parse_queue_config
from motcua.server.run import EmbeddedServer
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.reception import ReceptionService
from motcua.services.sync_setup import centre_node
from motcua.store import device_tokens
from motcua.sync.centre_client import HttpCentreLeases
from motcua.sync.upstream import HttpUpstream

AGENCY = "000.25.38.H38"


def test_a_dossier_saved_at_one_counter_reaches_the_next_without_waiting_for_a_round(tmp_path: Path) -> None:
    from test_outbox_atomic import _receive

    store = open_queue_store(tmp_path / "centre" / "centre.sqlite")
    node = centre_node(store, AGENCY, tmp_path / "centre")
    server = EmbeddedServer(QueueService(store, parse_queue_config({"centre_id": AGENCY})), sync=node,
                            agency_id=AGENCY).start()  # fmt: skip
    links, contexts = [], []
    try:
        for station in ("Q01", "Q02"):
            with store.write() as db:
                token = device_tokens.add_token(db, station, "counter", datetime.now())
            settings = Settings(
                counter=CounterSettings(station_id=station),
                sync=SyncSettings(centre_url=server.url, centre_token=token, interval_s=3600.0),
            )
            ctx = open_context(settings, tmp_path / station, leases=HttpCentreLeases(server.url, token))
            CatalogService(ctx).ensure_sample()
            ctx.sync_link = WorkstationSync(ctx, HttpUpstream(server.url, token)).start()
            contexts.append(ctx)
            links.append(ctx.sync_link)
        time.sleep(1.0)  # both have done their first round and now wait an hour for the next
        code = _receive(ReceptionService(contexts[0]))  # Q01's save wakes Q01's sync; the centre announces it
        deadline = time.monotonic() + 15
        found = []
        while not found and time.monotonic() < deadline:
            found = ReceptionService(contexts[1]).search(code)
            time.sleep(0.1)
        assert [d.code for d in found] == [code], "Q02 did not hear of the new dossier"
    finally:
        for link in links:
            link.close()
        for ctx in contexts:
            ctx.close()
        server.stop()
        store.close()
