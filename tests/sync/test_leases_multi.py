"""Several counters of one centre number their dossiers from the centre server, online and while it is out of
reach: separate processes, thousands of receptions each, zero duplicate codes.

The centre runs as a new user would start it (``motcua --data-dir X server``, tokens from ``motcua --data-dir X
queue token add``); a fault proxy between the counters and the centre cuts the link again and again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from motcua.bench.fault_proxy import FaultProxy
from motcua.bench.sync_world import Proc

AGENCY = "000.25.38.H38"
STATIONS = ("Q01", "Q02", "Q03")
PER_STATION = 1500

BURST = """
import json, sys, time
from pathlib import Path
from motcua.config import load_settings
from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store.code_blocks import NoCodeBlockError
from motcua.sync.centre_client import HttpCentreLeases

QR = "051084009698|051084000000|Đặng Hồng Bảo|15081984|Nam|Thôn 1, Xã Bảo Thắng, Tỉnh Lào Cai|01012022"
settings = load_settings(Path(sys.argv[1]))
leases = HttpCentreLeases(settings.sync.centre_url, settings.sync.centre_token, timeout=1.0)
ctx = open_context(settings, Path(sys.argv[2]), leases=leases)
CatalogService(ctx).ensure_sample()
svc = ReceptionService(ctx)
p = svc.procedure("1.001193")
comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
applicant = parse_cccd(QR).to_applicant()
done = offline_refusals = 0
deadline = time.monotonic() + 240  # a broken centre must fail the test, not hang it
while done < int(sys.argv[3]) and time.monotonic() < deadline:
    try:
        if svc._remaining(ctx.clock().date()) < 10:
            svc.ensure_code_blocks(0)
        svc.receive(ReceiveRequest(p.code, applicant, comps))
        done += 1
    except NoCodeBlockError:
        offline_refusals += 1  # said clearly to the clerk; nothing saved; try again shortly
        time.sleep(0.05)
ctx.close()
print(json.dumps({"done": done, "offline_refusals": offline_refusals}))
"""


def motcua(*args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "motcua.cli", *args], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_counters_never_print_the_same_code_online_or_offline(tmp_path: Path) -> None:
    import sqlite3

    centre_dir = tmp_path / "centre"
    config = tmp_path / "centre.toml"
    config.write_text(
        f'[centre]\nagency_id = "{AGENCY}"\n[counter]\nlease_max_block = 60\nlease_max_per_station_day = 9000\n'
    )
    queue = tmp_path / "queue.toml"
    queue.write_text(f'centre_id = "{AGENCY}"\n[[services]]\ncode = "HT"\nname = "Hộ tịch"\nprefix = "A"\n')
    tokens = {
        s: motcua("--data-dir", str(centre_dir), "queue", "token", "add", s, "--role", "counter") for s in STATIONS
    }
    server = Proc(
        ["motcua.cli", "--config", str(config), "--data-dir", str(centre_dir), "server", "--queue-config",
         str(queue)],
        tmp_path / "centre.log",
    ).start()  # fmt: skip
    proxy = FaultProxy("127.0.0.1", server.port).start()
    script = tmp_path / "burst.py"
    script.write_text(BURST, encoding="utf-8")
    stop = threading.Event()

    def flap() -> None:  # the LAN cable in and out
        while not stop.wait(0.7):
            proxy.set_down(True)
            stop.wait(0.5)
            proxy.set_down(False)

    flapper = threading.Thread(target=flap)
    flapper.start()
    procs = []
    try:
        for s in STATIONS:
            d = tmp_path / s
            d.mkdir()
            (d / "centre.toml").write_text(
                f'[centre]\nagency_id = "{AGENCY}"\n[counter]\nstation_id = "{s}"\ncode_block_size = 40\n'
                f'[sync]\ncentre_url = "{proxy.url}"\ncentre_token = "{tokens[s]}"\n',
                encoding="utf-8",
            )
            procs.append(
                subprocess.Popen(
                    [sys.executable, str(script), str(d / "centre.toml"), str(d), str(PER_STATION)],
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        results = [json.loads(p.communicate(timeout=300)[0]) for p in procs]
    finally:
        stop.set()
        flapper.join()
        proxy.stop()
        server.stop()
    assert all(r["done"] == PER_STATION for r in results), results
    assert proxy.stats["refused"] + proxy.stats["cut"] > 0, "the link never went down"
    codes: dict[str, str] = {}
    for s in STATIONS:
        db = sqlite3.connect(tmp_path / s / "workstation.sqlite")
        try:
            for (code,) in db.execute("SELECT code FROM dossiers"):
                assert code not in codes, f"{code} printed by {codes[code]} and {s}"
                codes[code] = s
        finally:
            db.close()
    assert len(codes) == PER_STATION * len(STATIONS)
    # Every number came from a block the centre leased to that very counter: disjoint by construction.
    db = sqlite3.connect(centre_dir / "centre.sqlite")
    try:
        leases = db.execute("SELECT first, last, station_id FROM code_leases").fetchall()
    finally:
        db.close()
    for code, s in codes.items():
        seq = int(code.rsplit("-", 1)[1])
        [owner] = [st for first, last, st in leases if first <= seq <= last]
        assert owner == s
    assert max(last - first + 1 for first, last, _ in leases) <= 60  # the centre's per-request bound held
