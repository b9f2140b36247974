"""Accounts come down from the centre: any clerk signs in at any counter, offline too (the verifiers are cached
there), and an account changed at one counter (an administrator's work, a clerk's own password) reaches the others
through the centre. Two counters and a centre server on loopback, over HTTP."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from motcua.cli.sync import WorkstationSync
from motcua.config import CounterSettings, Settings, SyncSettings
from motcua.domain.accounts import AuthError, Role
from motcua.domain.queue_config import parse_queue_config
from motcua.server.run import EmbeddedServer
from motcua.services.accounts import AccountService
from motcua.services.context import open_context
from motcua.services.queue.service import QueueService, open_queue_store
from motcua.services.sync_setup import centre_node
from motcua.store import device_tokens
from motcua.sync.centre_client import HttpCentreLeases
from motcua.sync.upstream import HttpUpstream

AGENCY = "000.25.38.H38"


def test_accounts_travel_through_the_centre_and_work_offline(tmp_path: Path) -> None:
    store = open_queue_store(tmp_path / "centre" / "centre.sqlite")
    node = centre_node(store, AGENCY, tmp_path / "centre")
    server = EmbeddedServer(QueueService(store, parse_queue_config({"centre_id": AGENCY})), sync=node,
                            agency_id=AGENCY).start()  # fmt: skip
    contexts, links = [], []
    try:
        for station in ("Q01", "Q02"):
            with store.write() as db:
                token = device_tokens.add_token(db, station, "counter", datetime.now())
            settings = Settings(
                counter=CounterSettings(station_id=station),
                sync=SyncSettings(centre_url=server.url, centre_token=token, interval_s=3600.0),
            )
            ctx = open_context(settings, tmp_path / station, leases=HttpCentreLeases(server.url, token))
            contexts.append(ctx)
            links.append(WorkstationSync(ctx, HttpUpstream(server.url, token)))
        one, two = (AccountService(c) for c in contexts)

        def sync(*which: int) -> None:
            for i in which:
                links[i].engine.run_once()

        one.add("admin", "Trần Văn Quản", Role.ADMIN, "quan-tri-123")
        one.sign_in("admin", "quan-tri-123")
        one.add("lan", "Nguyễn Thị Lan", Role.CLERK, "mat-khau-1", pin="2468")
        one.add("binh", "Lê Văn Bình", Role.CLERK, "mat-khau-2")
        sync(0, 1)
        # Lan signs in at the other counter: the verifier came with the centre's document.
        assert two.sign_in("lan", "mat-khau-1").full_name == "Nguyễn Thị Lan" and two.unlock("2468")
        # She changes her password there; the first counter learns it through the centre.
        two.set_password("lan", "mat-khau-moi")
        sync(1, 0)
        one.sign_out()
        with pytest.raises(AuthError):
            one.sign_in("lan", "mat-khau-1")
        assert one.sign_in("lan", "mat-khau-moi").username == "lan"
        one.sign_out()
        # The administrator disables her at the first counter: at the second she is signed out and stays out.
        one.sign_in("admin", "quan-tri-123")
        one.disable("lan")
        sync(0, 1)
        assert contexts[1].session is None
        with pytest.raises(AuthError):
            two.sign_in("lan", "mat-khau-moi")
        # With the centre gone, Bình still signs in at the second counter (the verifiers are cached there).
        server.stop()
        assert two.sign_in("binh", "mat-khau-2").full_name == "Lê Văn Bình"
        # What the centre holds and sends is verifiers only.
        published = node.published("accounts")
        assert published is not None and "mat-khau" not in published[1] and "$argon2id$" in published[1]
    finally:
        for link in links:
            link.close()
        for ctx in contexts:
            ctx.close()
        server.stop()
        store.close()
