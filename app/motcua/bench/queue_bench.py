"""``motcua bench queue``: a real centre server process on a loopback port under 1,000 clerks, 100 kiosks and 50
displays (``--clerks/--kiosks/--displays/--seconds`` replay any other load).

The devices run as coroutines in two client processes (:mod:`motcua.bench.queue_load`), one kept-alive connection
each. Kiosks take a number every 0.1–0.3 s (~500 tickets/s in all); clerks call the next citizen, start, serve for
1–3 s, finish (~500 calls/s); displays long-poll "what changed since N" for the calls, with the board at most twice a
second. That is far busier than any real centre (a provincial one serves ~300 citizens a *day*), which is the point.

Reported: p50/p95/max of issue-ticket and call-next as the client saw them, call-to-display latency (clerk sends
call-next → a display has the call), errors, duplicates and losses found by reading the database afterwards, the
server's CPU seconds per minute of the run (flat at constant load, or something grows), the client processes' CPU
(whether the load generator kept up), ticket writes per second at saturation beside a trivial FastAPI + SQLite
insert endpoint's (:mod:`motcua.bench.queue_trivial`, its own process, same uvicorn settings), and ``latest_seq`` at
1k and 200k events. It prints figures; it does not assert.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.bench.queue_load import SERVICES, client_process, saturate
from motcua.bench.stats import comparison, percentile
from motcua.domain.queue_codec import to_json
from motcua.server.workers import default_workers
from motcua.store import device_tokens, queue_read
from motcua.store.db import Store
from motcua.store.queue_schema import migrate_queue_centre

TRIVIAL = "motcua.bench.queue_trivial"
MAX_SEQ = "SELECT MAX(seq) FROM queue_events WHERE centre = ?"


def _config_text(counters: int) -> str:
    lines = ['centre_id = "BENCH"', 'centre_name = "BENCH"', "[policy]", "max_regular_wait_min = 1"]
    lines += ['[[priority_groups]]\ncode = "elderly"\nlabel = "Người cao tuổi"']
    for i, code in enumerate(SERVICES):
        lines.append(
            f'[[services]]\ncode = "{code}"\nname = "{code}"\nprefix = "{chr(65 + i)}"\nlast_number = 99999\n'
            'hours = ["00:00-24:00"]\nweekdays = [1, 2, 3, 4, 5, 6, 7]'
        )
    for n in range(1, counters + 1):
        order = [SERVICES[(n + k) % len(SERVICES)] for k in range(2)]
        lines.append(f"[[counters]]\nnumber = {n}\nservices = {order!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


def _pcts(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}

    def at(p: float) -> float:
        return round(percentile(values, p) * 1000, 2)

    return {"n": len(values), "p50": at(50), "p95": at(95), "p99": at(99), "max": round(max(values) * 1000, 2)}


class ServerProcess:
    """A centre server in a child process (``python -m motcua.server``), started and waited for.

    Args:
        db: the centre database.
        config: the queue configuration file.
        port: 0 for a free port; the same port again to restart a killed server where clients expect it.
    """

    def __init__(
        self, db: Path, config: Path | None, port: int = 0, module: str = "motcua.server", workers: int = 1
    ) -> None:
        cmd = [sys.executable, "-m", module, "--db", str(db)]
        if config is not None:
            cmd += ["--port", str(port), "--queue-config", str(config), "--workers", str(workers)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.kill()
            raise RuntimeError(f"centre server did not start: {line!r}")
        self.url = line.split()[1]
        self.port = int(self.url.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _reap(self) -> None:
        self.proc.wait(15)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def stop(self) -> None:
        """SIGTERM: a clean shutdown."""
        self.proc.terminate()
        self._reap()

    def kill(self) -> None:
        """SIGKILL (kill -9): no chance to finish anything."""
        self.proc.kill()
        self._reap()


def _audit(db_path: Path, load: dict[str, Any]) -> dict[str, int]:
    store = Store(db_path, migrate_queue_centre)
    try:
        db = store.read()
        rows = db.execute("SELECT id, service, number FROM queue_tickets").fetchall()
        dup_numbers = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM queue_tickets GROUP BY centre, business_day, service, number "
            "HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        double_calls = db.execute(  # the archive too: a day closed during the run moved its events there
            "SELECT COUNT(*) FROM (SELECT ticket_id FROM (SELECT ticket_id FROM queue_events WHERE kind = 'called' "
            "UNION ALL SELECT ticket_id FROM queue_events_archive WHERE kind = 'called') "
            "GROUP BY ticket_id HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    finally:
        store.close()
    stored = {(r[0], r[1], r[2]) for r in rows}
    issued = [tuple(x) for x in load["issued"]]
    shown_numbers = [(s, n) for _, s, n in issued]
    return {
        "duplicate_numbers_db": int(dup_numbers),
        "duplicate_numbers_shown": len(shown_numbers) - len(set(shown_numbers)),
        "tickets_called_twice_db": int(double_calls),
        "tickets_called_twice_clerks": len(load["called"]) - len(set(load["called"])),
        "lost_tickets": sum(1 for x in issued if x not in stored),
    }


def proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command's name (state, parent, …; None: no such process)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc; none elsewhere)."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit() and entry.name != str(pid):
            fields = proc_stat(int(entry.name))
            if fields is not None and fields[1] == str(pid):
                found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds so far of a process and of its children (a server's workers): Linux /proc, 0
    elsewhere."""
    ticks = 0
    for one in [pid, *child_pids(pid)]:
        fields = proc_stat(one)
        if fields is not None:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK") if ticks else 0.0


def _time_us(fn: Any, n: int = 2000) -> float:
    fn()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return round((time.perf_counter() - t0) / n * 1e6, 2)


def _latest_seq_cost(sizes: tuple[int, ...]) -> dict[str, dict[str, float]]:
    """Microseconds of one ``latest_seq`` (the head row) and of the old ``MAX(seq)`` over the events, per table size."""
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="motcua-seq-") as tmp:
        store = Store(Path(tmp) / "c.sqlite", migrate_queue_centre)
        done = 0
        try:
            for size in sizes:
                with store.write() as db:
                    db.conn.executemany(
                        "INSERT INTO queue_events (centre, at, business_day, kind, ticket_id) "
                        "VALUES ('BENCH', '2026-11-23T08:00:00', '2026-11-23', ?, ?)",
                        [("called" if i % 3 else "issued", i) for i in range(done, size)],
                    )
                done = size
                figures = {
                    "head_us": _time_us(lambda: queue_read.latest_seq(store.read(), "BENCH")),
                    # The query before 0005, through 0004's index, and as it ran before 0004 (the whole table).
                    "max_by_index_us": _time_us(lambda: store.read().execute(MAX_SEQ, ["BENCH"]).fetchone()),
                    "max_scan_us": _time_us(
                        lambda: (
                            store.read().execute(MAX_SEQ.replace("events", "events NOT INDEXED"), ["BENCH"]).fetchone()
                        ),
                        20,
                    ),
                }
                out[str(size)] = figures
        finally:
            store.close()
    return out


def _fresh_centre(base: Path, name: str, counters: int, kiosks: int, displays: int) -> tuple[Path, dict[str, str]]:
    folder = base / name
    folder.mkdir()
    (folder / "queue.toml").write_text(_config_text(counters), encoding="utf-8")
    store = Store(folder / "centre.sqlite", migrate_queue_centre)
    with store.write() as db:
        tokens = device_tokens.add_fleet(db, datetime.now(), kiosks, counters, displays)
    store.close()
    return folder, tokens


def _write_rates(base: Path, seconds: float, connections: int) -> dict[str, float]:
    """Ticket writes per second at saturation, against the trivial insert endpoint's, each its own server process."""
    folder, tokens = _fresh_centre(base, "rates", 4, connections, 0)
    bodies = itertools.cycle([{"service": s, "priority_group": None} for s in SERVICES])
    out: dict[str, float] = {}
    for name, server, path, keys in (
        ("trivial_insert", ServerProcess(folder / "trivial.sqlite", None, module=TRIVIAL), "/insert", None),
        ("ticket_issue", ServerProcess(folder / "centre.sqlite", folder / "queue.toml"), "/api/v1/tickets", "K"),
    ):
        try:
            who = [tokens[f"K{i}"] if keys else "" for i in range(1, connections + 1)]
            asyncio.run(saturate(server.url, path, bodies, who[:4], 0.5))  # warm up (imports, first statements)
            cpu0, t0 = _cpu_seconds(server.pid), time.monotonic()
            done, errors = asyncio.run(saturate(server.url, path, bodies, who, seconds))
            elapsed = time.monotonic() - t0
            out[f"{name}_per_s"] = round(done / elapsed, 1)
            out[f"{name}_errors"] = errors
            out[f"{name}_server_cpu_share"] = round((_cpu_seconds(server.pid) - cpu0) / elapsed, 2)
        finally:
            server.stop()
    return out


def _split(kiosks: int, clerks: int, displays: int, procs: int) -> list[dict[str, list[int]]]:
    shares: list[dict[str, list[int]]] = [{"kiosk": [], "clerk": [], "display": []} for _ in range(procs)]
    for role, count in (("display", displays), ("kiosk", kiosks), ("clerk", clerks)):
        for n in range(1, count + 1):
            shares[n % procs][role].append(n)
    return shares


def _load(url: str, pid: int, tokens: dict[str, str], sizes: tuple[int, int, int], seconds: float, procs: int) -> Any:
    """Run the devices in ``procs`` client processes; sample the server's CPU every minute (or quarter of the run)."""
    kiosks, clerks, displays = sizes
    ctx = multiprocessing.get_context("spawn")
    start_at = time.monotonic() + 3.0  # the clients' interpreters start meanwhile
    stop_at = start_at + seconds
    pipes, workers = [], []
    for share in _split(kiosks, clerks, displays, procs):
        parent, child = ctx.Pipe(duplex=False)
        w = ctx.Process(target=client_process, args=(url, tokens, share, start_at, stop_at, child), daemon=True)
        w.start()
        pipes.append(parent)
        workers.append(w)
    time.sleep(max(0.0, start_at - time.monotonic()))
    step = 60.0 if seconds >= 120 else seconds / 4
    samples = [_cpu_seconds(pid)]
    while time.monotonic() < stop_at - 0.01:
        time.sleep(min(step, max(0.0, stop_at - time.monotonic())))
        samples.append(_cpu_seconds(pid))
    results = [p.recv() for p in pipes]
    for w in workers:
        w.join(30)
    per_min = [round((b - a) * 60.0 / step, 2) for a, b in itertools.pairwise(samples)]
    merged: dict[str, Any] = {"lat": defaultdict(list), "errors": defaultdict(int), "issued": [], "called": []}
    merged.update({"call_sent": {}, "seen": [], "client_cpu_s": 0.0, "server_cpu_s": samples[-1] - samples[0]})
    merged["server_cpu_s_per_min"] = per_min
    for r in results:
        for k, v in r["lat"].items():
            merged["lat"][k] += v
        for k, v in r["errors"].items():
            merged["errors"][k] += v
        merged["issued"] += r["issued"]
        merged["called"] += r["called"]
        merged["call_sent"].update({int(k): v for k, v in r["call_sent"].items()})
        merged["seen"] += r["seen"]
        merged["client_cpu_s"] += r["cpu_s"]
    return merged


def run(
    quick: bool = False,
    clerks: int | None = None,
    kiosks: int | None = None,
    displays: int | None = None,
    seconds: float | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Replay a load: ``clerks`` counters, ``kiosks``, ``displays`` for ``seconds`` (defaults: 1,000 / 100 / 50 for
    60 s, five times the old bench; ``quick``: 20 / 4 / 2 for 3 s), against a server of ``workers`` processes
    (default: ``--workers auto``, what a busy centre runs; the write-rate comparison always uses one, like the
    trivial endpoint it is compared with)."""
    d_clerks, d_kiosks, d_displays, d_seconds = (20, 4, 2, 3.0) if quick else (1000, 100, 50, 60.0)
    clerks, kiosks = clerks or d_clerks, kiosks or d_kiosks
    displays, seconds = displays if displays is not None else d_displays, float(seconds or d_seconds)
    procs = 1 if quick else 2
    seq_cost = _latest_seq_cost((1000, 20_000) if quick else (1000, 200_000))
    with tempfile.TemporaryDirectory(prefix="motcua-queue-bench-") as tmp:
        base = Path(tmp)
        rates = _write_rates(base, 1.0 if quick else 5.0, 100 if quick else 400)
        folder, tokens = _fresh_centre(base, "load", clerks, kiosks, displays)
        workers = workers or default_workers()
        server = ServerProcess(folder / "centre.sqlite", folder / "queue.toml", workers=workers)
        try:
            t0 = time.monotonic()
            load = _load(server.url, server.pid, tokens, (kiosks, clerks, displays), seconds, procs)
            elapsed = time.monotonic() - t0 - 3.0
        finally:
            server.stop()
        audit = _audit(folder / "centre.sqlite", load)
    return {"workers": workers, **_report(load, audit, rates, seq_cost, (clerks, kiosks, displays), elapsed)}


def _report(
    load: dict[str, Any],
    audit: dict[str, int],
    rates: dict[str, float],
    seq_cost: dict[str, dict[str, float]],
    sizes: tuple[int, int, int],
    elapsed: float,
) -> dict[str, Any]:
    seen_at: dict[int, list[float]] = defaultdict(list)
    for ticket_id, at in load["seen"]:
        seen_at[ticket_id].append(at)
    sent = load["call_sent"]
    to_display = [at - sent[tid] for tid, ats in seen_at.items() if tid in sent for at in ats]
    lat = load["lat"]
    requests = sum(len(v) for v in lat.values())
    issue = _pcts(lat["issue"])
    per_min = load["server_cpu_s_per_min"] or [0.0]
    (few, small), (many, large) = ((k, seq_cost[k]["head_us"]) for k in seq_cost)
    rows = [
        comparison("issue ticket p95", float(issue.get("p95", 0)), "goal", 100.0, "ms", "< 100 ms"),
        comparison("call-to-display p95", float(_pcts(to_display).get("p95", 0)), "goal", 250.0, "ms", "< 250 ms"),
        comparison(
            "ticket writes/s",
            rates["ticket_issue_per_s"],
            "trivial FastAPI+SQLite insert/s",
            rates["trivial_insert_per_s"],
            "/s",
            "≥ 0.5×",
        ),
        comparison("server CPU, last interval", per_min[-1], "first interval", per_min[0], "s/min", "flat (≈ 1×)"),
        comparison(f"latest_seq at {many} events", large, f"at {few} events", small, "µs", "≈ 1×"),
    ]
    clerks, kiosks, displays = sizes
    return to_json(
        {
            "clerks": clerks,
            "kiosks": kiosks,
            "displays": displays,
            "seconds": round(elapsed, 1),
            "tickets_issued": len(load["issued"]),
            "calls": len(load["called"]),
            "requests_per_s": round(requests / elapsed, 1),
            "issue_ticket_ms": issue,
            "call_next_ms": _pcts(lat["call_next"]),
            "start_finish_ms": _pcts(lat["start"] + lat["finish"]),
            "call_to_display_ms": _pcts(to_display),
            "display_changes_ms": _pcts(lat["display_changes"]),
            "server_cpu_share": round(load["server_cpu_s"] / elapsed, 2),
            "server_cpu_s_per_min": per_min,
            "client_cpu_share": round(load["client_cpu_s"] / elapsed, 2),
            "write_rates": rates,
            "latest_seq_us": seq_cost,
            "errors": dict(load["errors"]),
            "error_count": sum(load["errors"].values()),
            **audit,
            "comparisons": rows,
        }
    )
