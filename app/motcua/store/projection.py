"""A workstation's own tables (``dossiers``, ``dossier_events``, ``attachments``, the search index) written from
the replica's view of a dossier, inside the transaction that changed the view.

The events are the truth; these tables are what the counter window, search and the printed forms read. A dossier
received at another counter (or routed here from another centre) appears the moment its reception event arrives;
a decision taken upstream moves its status; a change that turned out to conflict is left out of the history the
forms print (the replica keeps it, flagged, for a supervisor).
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from motcua.domain.codes import parse_dossier_code
from motcua.domain.dossier import Event
from motcua.domain.fees import with_later_payments
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import ACTION, ATTACHMENT, PAID, RECEIVED, Envelope
from motcua.domain.sync_view import APPLIED, DossierView
from motcua.store import attachments, dossiers
from motcua.store.attachments import relative_path
from motcua.store.clock import from_iso, iso
from motcua.store.replica import Replica
from motcua.store.replica_docs import register
from motcua.store.replica_peers import get_state, set_state
from motcua.store.serialize import dossier_from_payload, event_to_dict, received_payload
from motcua.store.sql import Sql, SqliteSql, sqlite_db


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
    paid = [dict(e.data) for e in applied if e.kind == PAID]
    if paid and received is not None:
        payment = with_later_payments(dossier_from_payload(received.data).payment, paid)
        assert payment is not None  # later payments exist
        db.execute(
            "UPDATE dossiers SET details = json_set(details, '$.payment', json(?)) WHERE id = ?",
            [
                json.dumps(
                    {"method": payment.method.value, "amount_vnd": payment.amount_vnd, "reference": payment.reference},
                    ensure_ascii=False,
                ),
                dossier_id,
            ],
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


def adopt_legacy(db: Database, replica: Replica, now: datetime) -> int:
    """Dossiers saved by a version without the sync (their changes sat in an outbox nothing sent) become events
    now, in their original order, so that they travel like everything else; the old outbox rows go.

    Returns:
        How many dossiers were adopted (0 on every later start).
    """
    sql = SqliteSql(db)
    if get_state(sql, "legacy.adopted"):
        return 0
    codes = [
        r[0]
        for r in db.execute(
            "SELECT code FROM dossiers WHERE code NOT IN (SELECT DISTINCT dossier FROM rep_events) ORDER BY id"
        ).fetchall()
    ]
    for code in codes:
        d = dossiers.get(db, code)
        events = list(d.events)
        first = events[0] if events else None
        # As it was at reception: its later status and due date come from the events after it.
        as_received = replace(
            d,
            status=first.status_after if first else d.status,
            due_at=first.due_after if first else d.due_at,
        )
        data = received_payload(as_received)
        replica.record_local(sql, kind=RECEIVED, dossier=code, data=data, now=now, at=d.received_at)
        for e in events[1:]:
            data = event_to_dict(e)
            data.pop("at")
            replica.record_local(sql, kind=ACTION, dossier=code, data=data, now=now, at=e.at)
        for att in attachments.for_dossier(db, code):
            if (replica.documents_dir or Path()).joinpath(att.path).is_file():
                register(sql, att.sha256, att.size, "local", now)
            replica.record_local(
                sql, kind=ATTACHMENT, dossier=code, data=attachments.event_data(db, att), documents=(att.sha256,),
                now=now, at=att.created_at,
            )  # fmt: skip
    if codes:
        db.execute("DELETE FROM outbox WHERE origin IS NULL")  # the pre-sync items, replaced by the events above
    set_state(sql, "legacy.adopted", "1")
    return len(codes)
