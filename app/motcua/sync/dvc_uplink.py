"""A centre whose provincial system speaks only the national portal's format (DongBoHoSoMC): the centre's dossiers go
up as ``HoSoDongBoDVC`` records and their steps as ``QuaTrinhXuLyDongBoDVC``; nothing comes back down that way.

The engine reads the centre's own feed after a cursor of its own, so every dossier that changed is sent once per
change, in commit order, and a crash repeats at most the last page (the portal takes an update of a record it has).
A record the portal refuses is set aside with its reason (``dvc.refused.<code>``) and never blocks the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from motcua.domain.sync_envelope import ACTION, ATTACHMENT, RECEIVED, parse_envelope
from motcua.domain.sync_view import APPLIED
from motcua.store import replica_peers
from motcua.store.replica import EVERY_WORKSTATION, Replica
from motcua.store.sql import Database
from motcua.sync.dvc import DEFAULT_OPTIONS, DvcClient, DvcOptions, DvcRejected, dossier_progress, dossier_to_dvc
from motcua.sync.dvc_models import DvcFormatError
from motcua.sync.engine import Report
from motcua.sync.upstream import LinkDown

log = logging.getLogger(__name__)

CURSOR = "dvc.cursor"


def dossier_dict(snapshot: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A snapshot (view order, verdicts) as ``dossier_to_dict`` would give it, and its documents."""
    envs = [(parse_envelope(e["envelope"]), e["verdict"]) for e in snapshot["events"]]
    applied = [e for e, v in envs if v == APPLIED]
    received = next((e for e in applied if e.kind == RECEIVED), None)
    if received is None:
        return None
    d = dict(received.data)
    d["status"] = snapshot["status"]
    d["due_at"] = snapshot["due_at"]
    events: list[dict[str, Any]] = [
        {
            "action": "receive",
            "status_after": received.data.get("status", 2),
            "at": received.data.get("received_at"),
            "clerk": received.data.get("received_by", ""),
            "note": "",
            "agency": "",
            "due_after": received.data.get("due_at"),
        }
    ]
    undone = {e.data.get("undoes") for e in applied if e.kind == ACTION and e.data.get("action") == "undo"}
    for e in applied:
        # The portal sees the steps that stand: a step taken back and its undo are the counter's own business.
        if e.kind == ACTION and e.key not in undone and e.data.get("action") != "undo":
            events.append({**e.data, "at": e.at})
    d["events"] = events
    documents = [dict(e.data) for e in applied if e.kind == ATTACHMENT]
    return d, documents


class _Probe:
    """What the runner probes while the portal is down."""

    def __init__(self, client: DvcClient) -> None:
        self._client = client

    def listen(self, on_change: object) -> None:
        return None  # the national portal announces nothing: this link only goes up

    def health(self) -> bool:
        try:
            self._client.login()
        except (ConnectionError, DvcRejected):
            return False
        return True


class DvcEngine:
    """Pushes the centre's changed dossiers to a DongBoHoSoMC endpoint (see module docs)."""

    def __init__(
        self,
        db: Database,
        client: DvcClient,
        clock: Callable[[], datetime],
        page_size: int = 50,
        options: DvcOptions = DEFAULT_OPTIONS,
    ) -> None:
        self.db = db
        self.options = options
        self.client = client
        self.clock = clock
        self.page_size = page_size
        self.upstream = _Probe(client)
        self.report = Report()
        self._replica = Replica(origin="dvc-reader")  # read-only use: the feed and snapshots

    def run_once(self) -> Report:
        report = Report()
        self.report = report
        while True:
            with self.db.read() as sql:
                cursor = int(replica_peers.get_state(sql, CURSOR, "0") or 0)
                page = self._replica.changes(sql, EVERY_WORKSTATION, cursor, self.page_size)
                sent = {s["code"]: int(replica_peers.get_state(sql, f"dvc.sent.{s['code']}", "0") or 0)
                        for s in page.dossiers}  # fmt: skip
            refused: dict[str, str] = {}
            for snap in page.dossiers:
                built = dossier_dict(snap)
                if built is None:
                    continue
                dossier, documents = built
                code = snap["code"]
                try:
                    record = dossier_to_dvc(dossier, documents=documents, options=self.options)
                    self.client.push_dossiers([record], updating=sent[code] > 0)
                    progress = dossier_progress(dossier, options=self.options)[sent[code] :]
                    if progress:
                        self.client.push_progress(progress)
                except ConnectionError as exc:
                    raise LinkDown(str(exc)) from exc
                except (DvcRejected, DvcFormatError) as exc:
                    refused[code] = str(exc)[:300]
                    report.parked += 1
                    continue
                sent[code] = len(dossier["events"])
                report.pushed += 1
            with self.db.write() as sql:
                for code, n in sent.items():
                    replica_peers.set_state(sql, f"dvc.sent.{code}", str(n))
                for code, why in refused.items():
                    replica_peers.set_state(sql, f"dvc.refused.{code}", why)
                replica_peers.set_state(sql, CURSOR, str(page.cursor))
            if not page.more:
                return report
