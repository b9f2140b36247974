"""A workstation's own tables (``dossiers``, ``dossier_events``, ``attachments``, the search index) written from
the replica's view of a dossier, inside the transaction that changed the view.

The events are the truth; these tables are what the counter window, search and the printed forms read. A dossier
received at another counter (or routed here from another centre) appears the moment its reception event arrives;
a decision taken upstream moves its status; a change that turned out to conflict is left out of the history the
forms print (the replica keeps it, flagged, for a supervisor).
"""

from __future__ import annotations

from datetime import datetime

from motcua.domain.codes import parse_dossier_code
from motcua.domain.dossier import Event
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, ATTACHMENT, RECEIVED, Envelope
from motcua.domain.sync_view import APPLIED, DossierView
from motcua.store import dossiers
from motcua.store.attachments import relative_path
from motcua.store.clock import from_iso, iso
from motcua.store.serialize import dossier_from_payload
from motcua.store.sql import Sql, sqlite_db


def _event(env: Envelope) -> Event | None:
    if env.kind == RECEIVED:
        d = env.data
        return Event(
            Action.RECEIVE,
            Status(int(d.get("status", int(Status.RECEIVED)))),
            from_iso(d["received_at"]),  # type: ignore[arg-type]
            str(d.get("received_by", "")),
            due_after=from_iso(d.get("due_at")),
        )
    if env.kind == ACTION:
        d = env.data
        return Event(
            Action(d["action"]),
            Status(int(d["status_after"])),
            from_iso(env.at),  # type: ignore[arg-type]
            str(d.get("clerk", "")),
            note=str(d.get("note", "")),
            agency=str(d.get("agency", "")),
            due_after=from_iso(d.get("due_after")),
        )
    return None


def project(sql: Sql, code: str, view: DossierView, envelopes: list[Envelope]) -> None:
    """Rewrite the dossier's rows from ``view`` (``envelopes`` in view order)."""
    db = sqlite_db(sql)
    verdicts = dict(view.order)
    applied = [e for e in envelopes if verdicts.get(e.key) == APPLIED]
    received = next((e for e in applied if e.kind == RECEIVED), None)
    row = db.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()
    now = datetime.now().replace(microsecond=0)
    if row is None:
        if received is None:
            return
        station = received.origin.split("/", 1)[1] if "/" in received.origin else received.origin
        dossier_id = dossiers.insert(
            db, dossier_from_payload(received.data), parse_dossier_code(code).seq, station, now
        )
    else:
        dossier_id = int(row[0])
    db.execute(
        "UPDATE dossiers SET status = ?, due_at = ?, updated_at = ? WHERE id = ?",
        [None if view.status is None else int(view.status), view.due_at, iso(now), dossier_id],
    )
    db.execute("DELETE FROM dossier_events WHERE dossier_id = ?", [dossier_id])
    for env in applied:
        event = _event(env)
        if event is not None:
            dossiers.add_event(db, dossier_id, event)
    for env in applied:
        if env.kind == ATTACHMENT:
            d = env.data
            sha = str(d["sha256"])
            db.execute(
                """INSERT OR IGNORE INTO attachments (dossier_id, component_code, sha256, path, pages, mode, bytes,
                    created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    dossier_id,
                    str(d["component"]),
                    sha,
                    relative_path(sha),
                    max(1, int(d.get("pages") or 1)),
                    d.get("mode") if d.get("mode") in ("bw", "grey", "colour") else "colour",
                    max(1, int(d.get("bytes") or 1)),
                    d.get("created_at") or env.at,
                    str(d.get("created_by", "")),
                ],
            )
