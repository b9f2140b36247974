"""At the province, one centre's credential has its own rate, as each device has at the centre: a centre that
floods the province is answered 429 with Retry-After, and another centre is not held back."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from motcua.server.guard import Limits
from motcua.server.province import create_province_app
from motcua.server.run import ServerThread
from motcua.services.sync_setup import province_node
from motcua.store import replica_peers
from motcua.sync.http import HttpPool

API = "/api/v1/sync"


def test_one_centre_flooding_the_province_is_slowed_alone(tmp_path: Path) -> None:
    node = province_node(str(tmp_path / "province.sqlite"), "H38", tmp_path / "p")
    with node.db.write() as sql:
        a = replica_peers.add_peer(sql, "000.25.38.H38", "Trung tâm A", [], datetime(2026, 12, 1, 9))
        b = replica_peers.add_peer(sql, "000.26.38.H38", "Trung tâm B", [], datetime(2026, 12, 1, 9))
    server = ServerThread(create_province_app(node, "H38", limits=Limits(read_rate=1, read_burst=3))).start()
    pools = [HttpPool(server.url, {"Authorization": f"Bearer {t}"}, 5) for t in (a, b)]
    try:
        answers = [pools[0].request("GET", f"{API}/status") for _ in range(6)]
        assert [r.status for r in answers[:3]] == [200, 200, 200]
        refused = [r for r in answers if r.status == 429]
        assert refused and all(float(r.headers["retry-after"]) > 0 for r in refused)
        assert pools[1].request("GET", f"{API}/status").status == 200  # the other centre is not held back
    finally:
        for p in pools:
            p.close()
        server.stop()
        node.close()
