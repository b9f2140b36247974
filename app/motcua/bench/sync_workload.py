"""Clerks and a provincial system at work on a :class:`~motcua.bench.sync_world.SyncWorld`, while faults hit it.

Each workstation has a clerk thread receiving dossiers (some for another centre's agency: non-territorial
reception), attaching scanned PDFs, and moving its dossiers on (start, supplement requested and supplied,
resolved, result returned, the odd withdrawal). A province thread takes decisions on dossiers that reached it
(start, resolve, ask for a supplement) and the routed dossiers get handled at the other centre. A chaos thread
kills processes and cuts links. Everything done is counted, so that the audit can say what was lost: nothing.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from motcua.bench.fault_proxy import FaultPlan
from motcua.bench.sync_world import Station, SyncWorld

QR = "051084009698|051084000000|Đặng Hồng Bảo|15081984|Nam|Thôn 1, Xã Bảo Thắng, Tỉnh Lào Cai|01012022"

# What the fault tests and the benchmark throw at every hop. Most requests are pulls; the rates are high enough
# that pushes, uploads and leases are hit many times each. The held answer outlasts the clients' 4 s timeout: the
# server committed, the client never hears it.
FIELD_FAULTS = FaultPlan(
    drop=0.03,
    reset=0.03,
    delay_p=0.05,
    delay_s=0.4,
    truncate_request=0.02,
    truncate_response=0.03,
    duplicate=0.05,
    error_5xx=0.04,
    timeout_after_commit=0.03,
    hold_s=6.0,
)

# A dossier's life at the counter, one step per visit: (action, note needed).
LIFE = [("start", False), ("request_supplement", True), ("supply", False), ("resolve", False), ("return_result", False)]


@dataclass
class Tally:
    received: int = 0
    routed: int = 0
    attached: int = 0
    counter_moves: int = 0
    province_moves: int = 0
    refused_locally: Counter[str] = field(default_factory=Counter)  # not saved, said clearly (no numbers offline …)
    chaos: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, n: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + n)

    def refused(self, why: str) -> None:
        with self.lock:
            self.refused_locally[why] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "routed": self.routed,
            "attached": self.attached,
            "counter_moves": self.counter_moves,
            "province_moves": self.province_moves,
            "refused_locally": dict(self.refused_locally),
            "chaos": dict(self.chaos),
        }


class Workload:
    """Drive ``world`` until ``dossiers`` receptions and ``pdfs`` attachments are done.

    Args:
        chaos_every_s: a random kill or cut this often (0: none).
        pdf_bytes: size range of the generated PDFs.
    """

    def __init__(
        self,
        world: SyncWorld,
        *,
        dossiers: int,
        pdfs: int,
        chaos_every_s: float = 0.0,
        route_share: float = 0.1,
        pdf_bytes: tuple[int, int] = (20_000, 60_000),
        seed: int = 1,
        pace_s: float = 0.04,
    ) -> None:
        self.world = world
        self.dossiers = dossiers
        self.pdfs = pdfs
        self.chaos_every_s = chaos_every_s
        self.route_share = route_share
        self.pdf_bytes = pdf_bytes
        self.seed = seed
        self.pace_s = pace_s  # between a clerk's saves: clerks are busy, but they do not hold the database non-stop
        self.tally = Tally()
        self._stop = threading.Event()
        self._all_received = threading.Event()
        self._clerks_left = 0
        self._errors: list[BaseException] = []

    def run(self, tail_s: float = 0.0) -> Tally:
        """Until every clerk has received and scanned its share, then ``tail_s`` more seconds of moves, decisions
        and chaos (while the sync catches up under fire)."""
        stations = self.world.stations
        per = _shares(self.dossiers, len(stations))
        pdfs = _shares(self.pdfs, len(stations))
        threads = [
            threading.Thread(target=self._guard, args=(self._clerk, st, per[i], pdfs[i], i), name=f"clerk-{i}")
            for i, st in enumerate(stations)
        ]
        side = [threading.Thread(target=self._guard, args=(self._province,), name="province")]
        if self.chaos_every_s:
            side.append(threading.Thread(target=self._guard, args=(self._chaos,), name="chaos"))
        self._clerks_left = len(threads)
        for t in threads + side:
            t.start()
        while not self._all_received.wait(0.2):
            if self._stop.is_set():  # a thread crashed
                break
        self._stop.wait(tail_s)
        self._stop.set()
        for t in threads:
            t.join()
        for t in side:
            t.join()
        if self._errors:
            raise self._errors[0]
        return self.tally

    def _guard(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except BaseException as exc:  # surfaced by run(): a crashed clerk thread must fail the test loudly
            self._errors.append(exc)
            self._stop.set()

    # -- a clerk -------------------------------------------------------------------------------------------------
    def _clerk(self, st: Station, n: int, pdfs: int, index: int) -> None:
        from motcua.domain.cccd import parse_cccd
        from motcua.domain.dossier import ReceivedComponent
        from motcua.domain.errors import MotcuaError
        from motcua.domain.status import Action
        from motcua.services.reception import ReceiveRequest, ReceptionService
        from motcua.services.scanning_station import ScanningStation
        from motcua.store.code_blocks import NoCodeBlockError

        rng = random.Random(self.seed * 1000 + index)
        ctx = self.world.context(st)
        svc = ReceptionService(ctx)
        station = ScanningStation(ctx)
        procedure = svc.procedure("1.001193")
        comps = tuple(ReceivedComponent(c.code, c.name, 1) for c in procedure.components)
        applicant = parse_cccd(QR).to_applicant()
        others = [c.agency for c in self.world.centres if c.agency != st.agency]
        mine: list[str] = []
        step: dict[str, int] = {}
        done = attached = 0
        while done < n and not self._stop.wait(self.pace_s):
            routed = bool(others) and rng.random() < self.route_share
            try:
                if svc._remaining(ctx.clock().date()) < 20:
                    svc.ensure_code_blocks(0)
                d = svc.receive(
                    ReceiveRequest(
                        procedure.code, applicant, comps, handling_agency_id=rng.choice(others) if routed else ""
                    )
                )
            except NoCodeBlockError:
                self.tally.refused("no_numbers_offline")
                time.sleep(0.2)
                continue
            except (MotcuaError, ConnectionError, OSError) as exc:
                self.tally.refused(type(exc).__name__)
                time.sleep(0.1)
                continue
            done += 1
            self.tally.add("received")
            if routed:
                self.tally.add("routed")
            else:
                mine.append(d.code)
            if attached < pdfs and rng.random() < pdfs / max(1, n) * 1.2:
                size = rng.randint(*self.pdf_bytes)
                data = b"%PDF-1.4\n% MotCua test scan\n" + os.urandom(size)
                station.attach_pdf(data, d.code, rng.choice(["TP1", "TP2"]), 1, "bw")
                attached += 1
                self.tally.add("attached")
            # Move one of this counter's dossiers on by one step.
            if mine and rng.random() < 0.8:
                code = rng.choice(mine)
                i = step.get(code, 0)
                if i < len(LIFE):
                    action, note = LIFE[i]
                    if rng.random() < 0.03:
                        action, note = "withdraw", True
                    try:
                        svc.act(code, Action(action), note="Ghi chú thử" if note else "")
                        self.tally.add("counter_moves")
                    except MotcuaError:
                        self.tally.refused("moved_upstream_meanwhile")  # the province decided first: fine
                    step[code] = len(LIFE) if action == "withdraw" else i + 1
        while attached < pdfs and mine and not self._stop.is_set():
            data = b"%PDF-1.4\n% MotCua test scan\n" + os.urandom(rng.randint(*self.pdf_bytes))
            station.attach_pdf(data, rng.choice(mine), "TP3", 1, "bw")
            attached += 1
            self.tally.add("attached")
        with self.tally.lock:
            self._clerks_left -= 1
            last = self._clerks_left == 0
        if last:
            self._all_received.set()
        # Then keep moving this counter's dossiers on, at a clerk's pace, while the tail lasts.
        while not self._stop.wait(0.05) and mine:
            code = rng.choice(mine)
            i = step.get(code, 0)
            if i >= len(LIFE):
                continue
            try:
                svc.act(code, Action(LIFE[i][0]), note="Ghi chú thử" if LIFE[i][1] else "")
                self.tally.add("counter_moves")
            except MotcuaError:
                self.tally.refused("moved_upstream_meanwhile")
            step[code] = i + 1

    # -- the provincial system -----------------------------------------------------------------------------------
    def _province(self) -> None:
        from motcua.domain.errors import MotcuaError
        from motcua.domain.status import Action, Status

        rng = random.Random(self.seed)
        node = self.world.province_node()
        try:
            while not self._stop.is_set():
                with node.db.read() as sql:
                    rows = sql.execute(
                        "SELECT code, status FROM rep_dossiers WHERE status IN (2, 4) ORDER BY updated_at DESC LIMIT 50"
                    ).fetchall()
                if not rows:
                    time.sleep(0.2)
                    continue
                code, status = rng.choice(rows)
                action = (
                    Action.START
                    if int(status) == int(Status.RECEIVED)
                    else rng.choice([Action.RESOLVE, Action.RESOLVE, Action.REQUEST_SUPPLEMENT])
                )
                try:
                    node.act(
                        code,
                        action,
                        "Hệ thống tỉnh",
                        note="Bổ sung giấy tờ" if action is Action.REQUEST_SUPPLEMENT else "",
                    )
                    self.tally.add("province_moves")
                except MotcuaError:
                    pass
                time.sleep(0.01)
        finally:
            node.close()

    def _chaos(self) -> None:
        while not self._stop.wait(self.chaos_every_s):
            what = self.world.chaos_step()
            with self.tally.lock:
                self.tally.chaos[what] += 1


def _shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
