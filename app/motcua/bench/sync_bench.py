"""``motcua bench sync``: the sync on loopback, as separate processes, in three parts.

1. A short round under faults and kills (proxies on both hops, kill -9 of pushers, centres and the province):
   ``lost`` and ``duplicated`` after the drain, with what the servers answered.
2. Throughput end to end: a backlog made at the counters while the pushers were stopped, then the time until all
   of it is at the province (events a second), and the centre's and province's CPU seconds per 1,000 events.
3. After an outage: one busy day of a provincial centre (300 dossiers, 3 scanned PDFs each) waiting at the centre
   while its WAN link is down, then the time to drain it to the province over a slow link (2 Mbit/s, 200 ms round
   trip, 2 % loss).

The province uses SQLite unless ``MOTCUA_BENCH_PG`` is set (then a throwaway PostgreSQL is started).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from motcua.bench.fault_proxy import LinkProfile
from motcua.bench.sync_workload import FIELD_FAULTS, Workload
from motcua.bench.sync_world import Proc, SyncWorld

SLOW_LINK = LinkProfile(bandwidth_bps=2_000_000, rtt_s=0.2, loss=0.02)


def _cpu_seconds(proc: Proc) -> float | None:
    """User + system CPU seconds of a child process (Linux /proc; None elsewhere)."""
    if proc.proc is None:
        return None
    try:
        fields = Path(f"/proc/{proc.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def _world(base: Path, database: str | None, **kw: Any) -> SyncWorld:
    return SyncWorld(base, database=database, **kw).start()


def fault_round(base: Path, database: str | None, quick: bool) -> dict[str, Any]:
    world = _world(base, database, centres=2, stations=2, proxies=True, seed=11)
    try:
        world.start_pushers()
        world.set_faults(FIELD_FAULTS)
        t0 = time.monotonic()
        tally = Workload(world, dossiers=60 if quick else 400, pdfs=10 if quick else 80, chaos_every_s=2.0).run(
            tail_s=5 if quick else 15
        )
        world.heal()
        backlog = world.drain(timeout=300)
        audit = world.audit()
        answered = world.answered()
        return {
            "dossiers": tally.received,
            "documents": tally.attached,
            "events": audit["events_made"],
            "chaos": dict(tally.chaos),
            "lost": audit["lost"] + sum(backlog.values()),
            "duplicated": audit["duplicated"],
            "bytes_differ": audit["bytes_differ"],
            "order_broken": audit["order_broken"],
            "duplicates_refused": sum(a.get("duplicate", 0) for a in answered.values()),
            "seconds": round(time.monotonic() - t0, 1),
        }
    finally:
        world.close()


def throughput(base: Path, database: str | None, quick: bool) -> dict[str, Any]:
    world = _world(base, database, centres=1, stations=2, proxies=False, interval_s=0.2)
    try:
        Workload(world, dossiers=100 if quick else 1500, pdfs=0, pace_s=0.0).run()
        made = world.backlog()["unsent"]
        assert world.province is not None
        centre = world.centres[0].server
        cpu0 = (_cpu_seconds(centre), _cpu_seconds(world.province))
        t0 = time.monotonic()
        world.start_pushers()
        backlog = world.drain(timeout=600, settle=0.5)
        seconds = time.monotonic() - t0 - 0.5
        cpu1 = (_cpu_seconds(centre), _cpu_seconds(world.province))
        audit = world.audit()
        events = audit["events_at_province"]

        def per_1000(i: int) -> float | None:
            a, b = cpu0[i], cpu1[i]
            return None if a is None or b is None or not events else round((b - a) / events * 1000, 3)

        return {
            "events": events,
            "made": made,
            "left": sum(backlog.values()),
            "seconds": round(seconds, 2),
            "events_per_s": round(events / seconds, 1) if seconds > 0 else None,
            "centre_cpu_s_per_1000_events": per_1000(0),
            "province_cpu_s_per_1000_events": per_1000(1),
        }
    finally:
        world.close()


def outage_drain(base: Path, database: str | None, quick: bool) -> dict[str, Any]:
    world = _world(base, database, centres=1, stations=1, proxies=True, link=SLOW_LINK, interval_s=1.0)
    try:
        centre = world.centres[0]
        assert centre.proxy_up is not None
        centre.proxy_up.set_down(True)  # the commune's WAN link is down all day
        centre.proxy_up.set_link(None)
        world.start_pushers()
        dossiers = 10 if quick else 300
        Workload(world, dossiers=dossiers, pdfs=3 * dossiers, route_share=0.0, pdf_bytes=(25_000, 60_000)).run()
        # Wait until the counter's day is all at the centre (the LAN works; the centre's own outbox waits).
        deadline = time.monotonic() + 300
        while world.backlog(stations_only=True)["unsent"] and time.monotonic() < deadline:
            time.sleep(0.5)
        at_centre = world.backlog()
        sizes = [p.stat().st_size for p in (centre.dir / "files").rglob("*.pdf")]
        centre.proxy_up.set_link(SLOW_LINK)
        t0 = time.monotonic()
        centre.proxy_up.set_down(False)  # the link is back
        backlog = world.drain(timeout=3600, settle=0.5)
        seconds = time.monotonic() - t0 - 0.5
        audit = world.audit()
        return {
            "link": {"bandwidth_bps": SLOW_LINK.bandwidth_bps, "rtt_s": SLOW_LINK.rtt_s, "loss": SLOW_LINK.loss},
            "dossiers": dossiers,
            "documents": len(sizes),
            "document_mb": round(sum(sizes) / 2**20, 1),
            "events": audit["events_at_province"],
            "waiting_at_centre": at_centre["unconfirmed"],
            "drain_s": round(seconds, 1),
            "floor_s": round(sum(sizes) * 8 / SLOW_LINK.bandwidth_bps, 1),  # the bytes alone, at full speed
            "lost": audit["lost"] + sum(backlog.values()),
            "duplicated": audit["duplicated"],
        }
    finally:
        world.close()


def run(quick: bool = False) -> dict[str, Any]:
    base = Path(tempfile.mkdtemp(prefix="motcua-sync-bench-"))
    pg = None
    try:
        database = None
        if os.environ.get("MOTCUA_BENCH_PG"):
            from motcua.bench.postgres import TempPostgres

            pg = TempPostgres(base / "pg")
            database = pg.start()
        out: dict[str, Any] = {"province_database": "postgresql" if database else "sqlite"}
        for name, part in (("faults", fault_round), ("throughput", throughput), ("outage", outage_drain)):
            sub = base / name
            sub.mkdir()
            db = None
            if pg is not None:
                import psycopg

                with psycopg.connect(pg.dsn, autocommit=True) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                db = pg.dsn.rsplit("/", 1)[0] + "/" + name
            out[name] = part(sub, db, quick)
        return out
    finally:
        if pg is not None:
            pg.stop()
        shutil.rmtree(base, ignore_errors=True)
