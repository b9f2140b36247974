"""A one-PC commune: the centre runs inside the app (queue, numbers, sync node, its link to the province), the
workstation syncs with it in-process, and the centre still syncs up to the province, as ``motcua run`` composes it."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from motcua.cli.queue import open_queue_api
from motcua.cli.sync_link import WorkstationSync, workstation_upstream
from motcua.config import Settings, SyncSettings
from motcua.domain.queue_config import parse_queue_config
from motcua.server.province import create_province_app
from motcua.server.run import ServerThread
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.reception import ReceptionService
from motcua.services.sync_setup import province_node
from motcua.store import replica_peers


def test_a_one_pc_commune_syncs_through_its_own_centre_to_the_province(tmp_path: Path) -> None:
    from test_outbox_atomic import _receive

    agency = "000.25.38.H38"
    pnode = province_node(str(tmp_path / "province.sqlite"), "H38", tmp_path / "province")
    with pnode.db.write() as sql:
        credential = replica_peers.add_peer(sql, agency, "Xã Bảo Thắng", [], datetime.now())
    province = ServerThread(create_province_app(pnode, "H38")).start()
    sync = SyncSettings(province_url=province.url, province_token=credential, interval_s=0.2, probe_s=0.2)
    settings = Settings(sync=sync)
    handle = open_queue_api(parse_queue_config({"centre_id": agency}), tmp_path / "app", settings=settings)
    ctx = open_context(settings, tmp_path / "app")
    try:
        assert handle.server is not None and handle.sync_node is not None  # the embedded centre, serving sync too
        CatalogService(ctx).ensure_sample()
        ctx.sync_link = WorkstationSync(ctx, workstation_upstream(ctx, "", "", handle.sync_node)).start()
        code = _receive(ReceptionService(ctx))  # wakes the workstation's sync; the centre's uplink follows

        def at_province() -> bool:
            return any(s["code"] == code for s in pnode.changes(agency, 0, 100).dossiers)

        deadline = time.monotonic() + 20
        while not at_province() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert at_province(), "the dossier did not reach the province through the embedded centre"
        state = ctx.sync_link.state()
        assert state.upstream == "local" and state.online is True
    finally:
        if ctx.sync_link is not None:
            ctx.sync_link.close()
        ctx.close()
        handle.close()
        province.stop()
        pnode.close()
