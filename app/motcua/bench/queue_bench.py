"""``motcua bench queue``: a real centre server process on a loopback port under 200 clerks, 20 kiosks and 10 displays.

Each simulated device is a thread with its own HTTP client and token. Kiosks take a number every 0.1–0.3 s
(~100 tickets/s in all); clerks call the next citizen, start, serve for 1–3 s, finish (~100 calls/s in all);
displays listen on the push channel and, on each change, read the new calls (and the board at most twice a
second). That is far busier than any real centre (a provincial one serves ~300 citizens a *day*), which is the
point: latency measured here is the server's own, not queueing behind a saturated core.

Reported: p50/p95/max of issue-ticket and call-next as the client saw them, call-to-display latency (clerk sends
call-next → a display has read that call after a push), errors, and the duplicates and losses found by reading
the database afterwards. It prints figures; it does not assert.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.bench.stats import percentile
from motcua.domain.queue_codec import to_json
from motcua.store import device_tokens
from motcua.store.db import Store
from motcua.store.queue_schema import migrate_queue_centre
from motcua.sync.queue_client import HttpQueueClient

SERVICES = ("HT", "DD", "KH", "TP")


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

    def __init__(self, db: Path, config: Path, port: int = 0) -> None:
        cmd = [sys.executable, "-m", "motcua.server", "--port", str(port), "--db", str(db)]
        self.proc = subprocess.Popen(
            [*cmd, "--queue-config", str(config)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
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


class _Load:
    def __init__(self, url: str, tokens: dict[str, str], seconds: float) -> None:
        self.url, self.tokens, self.seconds = url, tokens, seconds
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.lat: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.issued: list[tuple[int, str, int]] = []  # (id, service, number) the kiosks got an OK for
        self.called: list[int] = []
        self.call_sent: dict[int, float] = {}
        self.seen: list[tuple[int, float]] = []  # (ticket id, when a display read the call)

    def _timed(self, op: str, fn: Any, *args: Any) -> Any:
        t0 = time.perf_counter()
        try:
            result = fn(*args)
        except Exception:
            with self.lock:
                self.errors[op] += 1
            return None
        with self.lock:
            self.lat[op].append(time.perf_counter() - t0)
        return result, t0

    def kiosk(self, i: int) -> None:
        api, rnd = HttpQueueClient(self.url, self.tokens[f"K{i}"]), random.Random(i)
        while not self.stop.wait(rnd.uniform(0.1, 0.3)):
            group = "elderly" if rnd.random() < 0.2 else None
            out = self._timed("issue", api.issue_ticket, rnd.choice(SERVICES), group)
            if out:
                t = out[0].ticket
                with self.lock:
                    self.issued.append((t.id, t.service, t.number))
        api.close()

    def clerk(self, n: int) -> None:
        api, rnd = HttpQueueClient(self.url, self.tokens[f"C{n}"]), random.Random(1000 + n)
        self.stop.wait(rnd.uniform(0, 2))
        while not self.stop.is_set():
            out = self._timed("call_next", api.call_next, n)
            if not out or out[0] is None:
                self.stop.wait(0.5)
                continue
            t, sent = out
            with self.lock:
                self.called.append(t.id)
                self.call_sent[t.id] = sent
            self._timed("start", api.start, n, t.id)
            self.stop.wait(rnd.uniform(1, 3))
            self._timed("finish", api.finish, n, t.id)
        api.close()

    def display(self, i: int) -> None:
        api = HttpQueueClient(self.url, self.tokens[f"D{i}"])
        state = {"after": api.latest_seq(), "board_at": 0.0}
        wake = threading.Event()
        listener = api.subscribe(lambda seq: wake.set())
        while not self.stop.is_set():
            if not wake.wait(0.5):
                continue
            wake.clear()
            out = self._timed("display_events", api.events, state["after"], 1000, ("called",))
            if not out:
                continue
            now = time.perf_counter()
            with self.lock:
                self.seen += [(e.ticket_id, now) for e in out[0] if e.ticket_id is not None]
            if out[0]:
                state["after"] = out[0][-1].seq
            if now - state["board_at"] > 0.5:
                state["board_at"] = now
                self._timed("board", api.board)
        listener.close()
        api.close()

    def run(self, kiosks: int, clerks: int, displays: int) -> float:
        threads = [threading.Thread(target=self.display, args=(i,), daemon=True) for i in range(1, displays + 1)]
        threads += [threading.Thread(target=self.kiosk, args=(i,), daemon=True) for i in range(1, kiosks + 1)]
        threads += [threading.Thread(target=self.clerk, args=(n,), daemon=True) for n in range(1, clerks + 1)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        self.stop.wait(self.seconds)
        self.stop.set()
        for t in threads:
            t.join(30)
        return time.perf_counter() - t0


def _audit(db_path: Path, load: _Load) -> dict[str, int]:
    store = Store(db_path, migrate_queue_centre)
    try:
        db = store.read()
        rows = db.execute("SELECT id, service, number FROM queue_tickets").fetchall()
        dup_numbers = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM queue_tickets GROUP BY centre, business_day, service, number "
            "HAVING COUNT(*) > 1)"
        ).fetchone()[0]
        double_calls = db.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM queue_events WHERE kind = 'called' GROUP BY ticket_id "
            "HAVING COUNT(*) > 1)"
        ).fetchone()[0]
    finally:
        store.close()
    stored = {(r[0], r[1], r[2]) for r in rows}
    shown_numbers = [(s, n) for _, s, n in load.issued]
    return {
        "duplicate_numbers_db": int(dup_numbers),
        "duplicate_numbers_shown": len(shown_numbers) - len(set(shown_numbers)),
        "tickets_called_twice_db": int(double_calls),
        "tickets_called_twice_clerks": len(load.called) - len(set(load.called)),
        "lost_tickets": sum(1 for x in load.issued if x not in stored),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(quick: bool = False) -> dict[str, Any]:
    clerks, kiosks, displays, seconds = (20, 4, 2, 3.0) if quick else (200, 20, 10, 20.0)
    with tempfile.TemporaryDirectory(prefix="motcua-queue-bench-") as tmp:
        base = Path(tmp)
        (base / "queue.toml").write_text(_config_text(clerks), encoding="utf-8")
        db_path = base / "centre.sqlite"
        store = Store(db_path, migrate_queue_centre)
        with store.write() as db:
            tokens = device_tokens.add_fleet(db, datetime.now(), kiosks, clerks, displays)
        store.close()
        server = ServerProcess(db_path, base / "queue.toml")
        try:
            load = _Load(server.url, tokens, seconds)
            elapsed = load.run(kiosks, clerks, displays)
            server_cpu = _cpu_seconds(server.pid)
        finally:
            server.stop()
        audit = _audit(db_path, load)
    seen_first: dict[int, list[float]] = defaultdict(list)
    for ticket_id, at in load.seen:
        seen_first[ticket_id].append(at)
    to_display = [at - load.call_sent[tid] for tid, ats in seen_first.items() if tid in load.call_sent for at in ats]
    requests = sum(len(v) for v in load.lat.values())
    return to_json(
        {
            "clerks": clerks,
            "kiosks": kiosks,
            "displays": displays,
            "seconds": round(elapsed, 1),
            "tickets_issued": len(load.issued),
            "calls": len(load.called),
            "requests_per_s": round(requests / elapsed, 1),
            "issue_ticket_ms": _pcts(load.lat["issue"]),
            "call_next_ms": _pcts(load.lat["call_next"]),
            "start_finish_ms": _pcts(load.lat["start"] + load.lat["finish"]),
            "call_to_display_ms": _pcts(to_display),
            "board_ms": _pcts(load.lat["board"]),
            "server_cpu_share": round(server_cpu / elapsed, 2),
            "errors": dict(load.errors),
            "error_count": sum(load.errors.values()),
            **audit,
        }
    )
