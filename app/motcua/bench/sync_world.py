"""A whole province on loopback, as separate processes, for the sync's fault tests and its benchmark.

A province server (PostgreSQL or SQLite), N centre servers, and M workstations per centre whose sync runs in a
process of its own (``motcua sync run``), exactly as deployed. Between each workstation group and its centre, and
between each centre and the province, a :class:`~motcua.bench.fault_proxy.FaultProxy` can cut, delay, truncate,
duplicate and refuse traffic. The test process plays the clerks (receptions, status moves, scanned PDFs on the
workstations' own databases, as the app would) and the provincial system (its decisions, on the province database).
Any process can be killed with SIGKILL and started again on the same port and data.

Then :meth:`SyncWorld.drain` waits until everything has travelled, and :meth:`SyncWorld.audit` checks that nothing
was lost or duplicated: the bytes of every event and document at the province against where they were made.
"""

from __future__ import annotations

import hashlib
import os
import queue
import random
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from motcua.bench.fault_proxy import FaultPlan, FaultProxy, LinkProfile

AGENCIES = ("000.25.38.H38", "000.26.38.H38", "000.27.38.H38", "000.28.38.H38")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MOTCUA_LOG", "info")  # the servers say what their sync does, in their logs
    env["MOTCUA_LANG"] = "vi"
    env.pop("MOTCUA_DATA_DIR", None)
    return env


class Proc:
    """A child process that prints ``READY <url>`` once it serves (the servers), or just runs (the pushers).

    Args:
        argv: after ``python -m``.
        log: where its standard error goes (appended across restarts).
        ready: wait for the READY line.
    """

    def __init__(self, argv: list[str], log: Path, ready: bool = True) -> None:
        self.argv = argv
        self.log = log
        self.ready = ready
        self.url = ""
        self.port = 0
        self.proc: subprocess.Popen[str] | None = None
        self.kills = 0

    def start(self, timeout: float = 60.0) -> Proc:
        argv = list(self.argv)
        if self.ready:
            argv += ["--port", str(self.port)]  # 0 first; a restart takes the same port: the proxies point at it
        with open(self.log, "a", encoding="utf-8") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", *argv],
                stdout=subprocess.PIPE if self.ready else subprocess.DEVNULL,
                stderr=err,
                text=True,
                env=_env(),
            )
        if self.ready:
            line = _readline(self.proc, timeout)
            if not line.startswith("READY "):
                self.kill9()
                raise RuntimeError(f"{argv[:4]} did not start: {line!r}; see {self.log}")
            self.url = line.split()[1]
            self.port = int(self.url.rsplit(":", 1)[1])
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.kills += 1
        self._reap()

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self._reap()

    def _reap(self) -> None:
        assert self.proc is not None
        self.proc.wait(30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.proc = None


def _readline(proc: subprocess.Popen[str], timeout: float) -> str:
    """The first line of a child's output, or "" after ``timeout`` (a child that hangs must not hang us)."""
    out: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    stdout = proc.stdout
    threading.Thread(target=lambda: out.put(stdout.readline()), daemon=True).start()
    try:
        return out.get(timeout=timeout)
    except queue.Empty:
        return ""


@dataclass
class Station:
    name: str
    agency: str
    dir: Path
    config: Path
    token: str = ""
    pusher: Proc | None = None


@dataclass
class Centre:
    agency: str
    dir: Path
    config: Path
    queue_config: Path
    credential: str
    server: Proc
    proxy_up: FaultProxy | None = None  # centre → province
    proxy_in: FaultProxy | None = None  # workstations → centre
    stations: list[Station] = field(default_factory=list)

    @property
    def url_for_stations(self) -> str:
        return self.proxy_in.url if self.proxy_in is not None else self.server.url


QUEUE_TOML = """centre_id = "{agency}"
centre_name = "TRUNG TÂM THỬ {agency}"
[[services]]
code = "HT"
name = "Hộ tịch"
prefix = "A"
hours = ["00:00-24:00"]
[[counters]]
number = 1
services = ["HT"]
"""


class SyncWorld:
    """Province + centres + workstations on loopback (see the module's docstring).

    Args:
        base: a fresh folder for every database, file and log.
        centres, stations: how many centres, and workstations per centre.
        database: the province's database: a ``postgresql://`` URL, or None for an SQLite file.
        proxies: put a fault proxy on each hop.
        link: a slow-link profile for the centre → province hops (the WAN).
        interval_s: the sync's idle interval (short: tests and benchmarks want it to move).
        timeout_s: each request's timeout (shorter than the proxies' "answer lost" hold).
    """

    def __init__(
        self,
        base: Path,
        *,
        centres: int = 2,
        stations: int = 3,
        database: str | None = None,
        proxies: bool = True,
        link: LinkProfile | None = None,
        interval_s: float = 0.5,
        timeout_s: float = 4.0,
        seed: int = 0,
    ) -> None:
        self.base = base
        self.n_centres = centres
        self.n_stations = stations
        self.database = database or str(base / "province" / "province.sqlite")
        self.use_proxies = proxies
        self.link = link
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self.rng = random.Random(seed)
        self.seed = seed
        self.province: Proc | None = None
        self.centres: list[Centre] = []
        self._contexts: dict[str, Any] = {}
        self._chaos_deck: list[str] = []

    # -- start and stop ----------------------------------------------------------------------------------------
    def start(self) -> SyncWorld:
        from motcua.services.sync_setup import province_node
        from motcua.store import replica_peers

        pdir = self.base / "province"
        pdir.mkdir(parents=True, exist_ok=True)
        node = province_node(self.database, "H38", pdir)
        credentials = {}
        try:
            with node.db.write() as sql:
                for i in range(self.n_centres):
                    a = AGENCIES[i]
                    credentials[a] = replica_peers.add_peer(sql, a, f"Trung tâm {i + 1}", [], datetime.now())
        finally:
            node.close()
        self.province = Proc(
            ["motcua.server", "--role", "province", "--data-dir", str(pdir), "--database", self.database],
            self.base / "province.log",
        ).start()
        for i in range(self.n_centres):
            self.centres.append(self._start_centre(AGENCIES[i], credentials[AGENCIES[i]]))
        for st in self.stations:
            self.context(st)  # creates and migrates its database, with the sample catalog, as the app's first start
        return self

    def _start_centre(self, agency: str, credential: str) -> Centre:
        assert self.province is not None
        cdir = self.base / f"centre-{agency}"
        cdir.mkdir(parents=True, exist_ok=True)
        up = None
        province_url = self.province.url
        if self.use_proxies:
            up = FaultProxy("127.0.0.1", self.province.port, seed=self.rng.randrange(1 << 30), link=self.link).start()
            province_url = up.url
        config = cdir / "centre.toml"
        config.write_text(
            f'[centre]\nagency_id = "{agency}"\n[counter]\nstation_id = "SERVER"\n'
            f"lease_max_block = 500\nlease_max_per_station_day = 5000\n"
            f'[sync]\nprovince_url = "{province_url}"\nprovince_token = "{credential}"\n'
            f"interval_s = {self.interval_s}\nmax_backoff_s = 2.0\nprobe_s = 0.5\ntimeout_s = {self.timeout_s}\n",
            encoding="utf-8",
        )
        qconf = cdir / "queue.toml"
        qconf.write_text(QUEUE_TOML.format(agency=agency), encoding="utf-8")
        server = Proc(
            ["motcua.server", "--role", "center", "--data-dir", str(cdir), "--config", str(config),
             "--queue-config", str(qconf)],
            self.base / f"centre-{agency}.log",
        ).start()  # fmt: skip
        centre = Centre(agency, cdir, config, qconf, credential, server, proxy_up=up)
        if self.use_proxies:
            centre.proxy_in = FaultProxy("127.0.0.1", server.port, seed=self.rng.randrange(1 << 30)).start()
        from motcua.services.queue.service import open_queue_store
        from motcua.store import device_tokens

        store = open_queue_store(cdir / "centre.sqlite")
        try:
            for j in range(1, self.n_stations + 1):
                name = f"Q{j:02d}"
                sdir = self.base / f"ws-{agency}-{name}"
                sdir.mkdir(parents=True, exist_ok=True)
                with store.write() as db:
                    token = device_tokens.add_token(db, name, "counter", datetime.now(), 1)
                sconf = sdir / "centre.toml"
                sconf.write_text(
                    f'[centre]\nagency_id = "{agency}"\n[counter]\nstation_id = "{name}"\ncode_block_size = 200\n'
                    f'[sync]\ncentre_url = "{centre.url_for_stations}"\ncentre_token = "{token}"\n'
                    f"interval_s = {self.interval_s}\nmax_backoff_s = 2.0\nprobe_s = 0.5\n"
                    f"timeout_s = {self.timeout_s}\n",
                    encoding="utf-8",
                )
                centre.stations.append(Station(name, agency, sdir, sconf, token))
        finally:
            store.close()
        return centre

    @property
    def stations(self) -> list[Station]:
        return [s for c in self.centres for s in c.stations]

    @property
    def proxies(self) -> list[FaultProxy]:
        return [p for c in self.centres for p in (c.proxy_in, c.proxy_up) if p is not None]

    def start_pushers(self) -> None:
        for st in self.stations:
            if st.pusher is None or not st.pusher.alive:
                st.pusher = Proc(
                    ["motcua.cli", "--config", str(st.config), "--data-dir", str(st.dir), "sync", "run", "--verbose"],
                    st.dir / "pusher.log",
                    ready=False,
                ).start()

    def stop_pushers(self) -> None:
        for st in self.stations:
            if st.pusher is not None:
                st.pusher.stop()

    def close(self) -> None:
        for ctx in self._contexts.values():
            ctx.close()
        self._contexts.clear()
        self.stop_pushers()
        for c in self.centres:
            c.server.stop()
        if self.province is not None:
            self.province.stop()
        for p in self.proxies:
            p.stop()

    # -- the clerks and the province -----------------------------------------------------------------------------
    def context(self, st: Station) -> Any:
        """The station's workstation, opened in this process as the app would (leases through its centre)."""
        if st.name + st.agency not in self._contexts:
            from motcua.config import load_settings
            from motcua.services.catalog import CatalogService
            from motcua.services.context import open_context
            from motcua.sync.centre_client import HttpCentreLeases

            settings = load_settings(st.config)
            leases = HttpCentreLeases(settings.sync.centre_url, settings.sync.centre_token, timeout=self.timeout_s)
            ctx = open_context(settings, st.dir, leases=leases)
            CatalogService(ctx).ensure_sample()
            self._contexts[st.name + st.agency] = ctx
        return self._contexts[st.name + st.agency]

    def province_node(self) -> Any:
        from motcua.services.sync_setup import province_node

        return province_node(self.database, "H38", self.base / "province")

    # -- faults --------------------------------------------------------------------------------------------------
    def set_faults(self, plan: FaultPlan | None) -> None:
        for p in self.proxies:
            p.set_plan(plan or FaultPlan())

    def heal(self) -> None:
        """Faults off, every link up, every process running."""
        self.set_faults(None)
        for p in self.proxies:
            p.set_down(False)
        assert self.province is not None
        if not self.province.alive:
            self.province.start()
        for c in self.centres:
            if not c.server.alive:
                c.server.start()
        self.start_pushers()

    def chaos_step(self) -> str:
        """One blow: kill -9 a pusher, a centre or the province (and start it again), or cut a link for a while.

        The kinds come round in shuffled rounds, so that a short run still hits each at least once."""
        if not self._chaos_deck:
            self._chaos_deck = ["pusher", "pusher", "centre", "province", "link"]
            self.rng.shuffle(self._chaos_deck)
        what = self._chaos_deck.pop()
        if what == "pusher":
            st = self.rng.choice(self.stations)
            if st.pusher is not None:
                st.pusher.kill9()
                st.pusher.start()
        elif what == "centre":
            c = self.rng.choice(self.centres)
            c.server.kill9()
            time.sleep(self.rng.uniform(0.1, 1.0))
            c.server.start()
        elif what == "province":
            assert self.province is not None
            self.province.kill9()
            time.sleep(self.rng.uniform(0.1, 1.0))
            self.province.start()
        elif self.proxies:
            p = self.rng.choice(self.proxies)
            p.set_down(True)
            time.sleep(self.rng.uniform(0.5, 2.0))
            p.set_down(False)
        return what

    # -- waiting and checking ------------------------------------------------------------------------------------
    def backlog(self, stations_only: bool = False) -> dict[str, int]:
        """What has not travelled yet: unsent or unconfirmed outbox items anywhere (or on the workstations only),
        events not at the province."""
        import sqlite3

        out = {"unsent": 0, "unconfirmed": 0, "parked": 0, "not_at_province": 0}
        dbs = [st.dir / "workstation.sqlite" for st in self.stations]
        if not stations_only:
            dbs += [c.dir / "centre.sqlite" for c in self.centres]
        for path in dbs:
            conn = sqlite3.connect(path, timeout=30)
            try:
                row = conn.execute(
                    "SELECT SUM(CASE WHEN sent_at IS NULL AND parked = 0 THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN confirmed_at IS NULL THEN 1 ELSE 0 END), "
                    "SUM(CASE WHEN parked <> 0 THEN 1 ELSE 0 END) FROM outbox"
                ).fetchone()
                out["unsent"] += row[0] or 0
                out["unconfirmed"] += row[1] or 0
                out["parked"] += row[2] or 0
                out["not_at_province"] += conn.execute("SELECT COUNT(*) FROM rep_events WHERE at_root = 0").fetchone()[
                    0
                ]
            finally:
                conn.close()
        return out

    def drain(self, timeout: float = 300.0, settle: float = 2.0) -> dict[str, int]:
        """Wait until nothing is left to travel (and stays so for ``settle`` seconds); returns the last backlog."""
        deadline = time.monotonic() + timeout
        quiet_since: float | None = None
        while True:
            b = self.backlog()
            left = b["unsent"] + b["unconfirmed"] + b["not_at_province"]
            if left == 0 and self._downstream_complete():
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= settle:
                    return b
            else:
                quiet_since = None
            if time.monotonic() > deadline:
                return b
            time.sleep(0.5)

    def _downstream_complete(self) -> bool:
        """Every event the province holds of a dossier is at the workstations of the centres that hold it."""
        return not self.audit(quick=True)["missing_downstream"]

    def audit(self, quick: bool = False) -> dict[str, Any]:
        """Compare every node with the province: what was made where, what arrived, in what order, which bytes."""
        import sqlite3

        made: dict[str, str] = {}  # key -> sha256 of its envelope, where it was made
        docs_made: dict[str, Path] = {}
        station_events: dict[str, dict[str, set[str]]] = {}  # station -> dossier -> keys held
        for st in self.stations:
            conn = sqlite3.connect(st.dir / "workstation.sqlite", timeout=30)
            try:
                held: dict[str, set[str]] = {}
                for key, sha, source, dossier in conn.execute("SELECT key, sha256, source, dossier FROM rep_events"):
                    held.setdefault(dossier, set()).add(key)
                    if source == "local":
                        made[key] = sha
                if not quick:
                    for (sha,) in conn.execute("SELECT sha256 FROM rep_documents WHERE source = 'local'"):
                        docs_made[sha] = st.dir / "files" / sha[:2] / f"{sha}.pdf"
                station_events[f"{st.agency}/{st.name}"] = held
            finally:
                conn.close()
        node = self.province_node()
        try:
            with node.db.read() as sql:
                rows = sql.execute("SELECT key, sha256, dossier, pos, prev, source FROM rep_events").fetchall()
                holders = sql.execute("SELECT dossier, holder FROM rep_holders").fetchall()
                docs = {r[0]: int(r[1]) for r in sql.execute("SELECT sha256, size FROM rep_documents").fetchall()}
        finally:
            node.close()
        at_province = {r[0]: r[1] for r in rows}
        for r in rows:
            if r[5] == "local":
                made[r[0]] = r[1]
        by_dossier: dict[str, list[str]] = {}
        for r in rows:
            by_dossier.setdefault(r[2], []).append(r[0])
        holders_of: dict[str, set[str]] = {}
        for dossier, holder in holders:
            holders_of.setdefault(dossier, set()).add(holder)
        missing_downstream = 0
        for st_name, held in station_events.items():
            agency = st_name.split("/")[0]
            for dossier, keys in by_dossier.items():
                if agency in holders_of.get(dossier, set()) and not set(keys) <= held.get(dossier, set()):
                    missing_downstream += 1
        if quick:
            return {"missing_downstream": missing_downstream}
        docs_at_holders = self._documents_missing_at_holders(holders_of)
        pos = {r[0]: int(r[3]) for r in rows}
        order_broken = sum(1 for r in rows if r[4] is not None and (r[4] not in pos or pos[r[4]] >= pos[r[0]]))
        lost = sorted(k for k in made if k not in at_province)
        changed = sorted(k for k, sha in made.items() if k in at_province and at_province[k] != sha)
        doc_lost = sorted(s for s in docs_made if s not in docs)
        province_files = self.base / "province" / "files"
        doc_bad = sorted(s for s in docs_made if s in docs and _sha_file(province_files / s[:2] / f"{s}.pdf") != s)
        return {
            "events_made": len(made),
            "events_at_province": len(rows),
            "dossiers_at_province": len(by_dossier),
            "documents_made": len(docs_made),
            "documents_at_province": len(docs),
            "lost": len(lost) + len(doc_lost),
            "bytes_differ": len(changed) + len(doc_bad),
            # The province's UNIQUE constraints make a duplicate impossible to store; count anyway, by key and bytes.
            "duplicated": len(rows) - len({r[0] for r in rows}),
            "order_broken": order_broken,
            "missing_downstream": missing_downstream,
            "documents_missing_at_holders": docs_at_holders,
            "examples": {"lost": lost[:3], "differ": changed[:3], "doc_lost": doc_lost[:3]},
        }

    def _documents_missing_at_holders(self, holders_of: dict[str, set[str]]) -> int:
        """Files of every dossier a centre holds (its own, and those routed to it) that the centre lacks."""
        import sqlite3

        missing = 0
        for c in self.centres:
            conn = sqlite3.connect(c.dir / "centre.sqlite", timeout=30)
            try:
                needed = conn.execute(
                    "SELECT DISTINCT x.sha256, e.dossier FROM rep_event_documents x "
                    "JOIN rep_events e ON e.key = x.event_key"
                ).fetchall()
                have = {r[0] for r in conn.execute("SELECT sha256 FROM rep_documents")}
            finally:
                conn.close()
            missing += sum(1 for sha, dossier in needed if c.agency in holders_of.get(dossier, ()) and sha not in have)
        return missing

    def answered(self) -> dict[str, dict[str, int]]:
        """What each server answered to pushes (stored, duplicate, gap …), kept across its restarts."""
        from motcua.services.sync_setup import centre_node
        from motcua.store import replica_peers
        from motcua.store.db import Store

        out: dict[str, dict[str, int]] = {}
        node = self.province_node()
        try:
            with node.db.read() as sql:
                out["province"] = replica_peers.counters(sql, "answered.")
        finally:
            node.close()
        for c in self.centres:
            store = Store(c.dir / "centre.sqlite")
            try:
                cn = centre_node(store, c.agency, c.dir)
                with cn.db.read() as sql:
                    out[c.agency] = replica_peers.counters(sql, "answered.")
            finally:
                store.close()
        return out


def _sha_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""
