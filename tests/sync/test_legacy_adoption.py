"""A workstation database from before the sync (dossiers, their history and scans, an outbox nothing sent) is
adopted on first start: every dossier becomes events in its original order, ready to travel; nothing is lost."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from motcua.config import Settings
from motcua.domain.status import Action, Status
from motcua.domain.sync_envelope import parse_envelope
from motcua.services.context import open_context
from motcua.store import outbox


def test_dossiers_saved_before_the_sync_are_adopted_once_with_their_history(tmp_path: Path, clock) -> None:
    from test_outbox_atomic import _receive

    from motcua.services.catalog import CatalogService
    from motcua.services.reception import ReceptionService

    ctx = open_context(Settings(), tmp_path, clock=clock)
    CatalogService(ctx).ensure_sample()
    svc = ReceptionService(ctx)
    code = _receive(svc)
    svc.act(code, Action.START)
    svc.act(code, Action.RESOLVE)
    ctx.close()
    # Make it look like a pre-sync database: no events, the old kind of outbox rows.
    db = sqlite3.connect(tmp_path / "workstation.sqlite")
    with db:
        db.execute("DELETE FROM rep_events")
        db.execute("DELETE FROM rep_event_documents")
        db.execute("DELETE FROM rep_dossiers")
        db.execute("DELETE FROM rep_state")
        db.execute("DELETE FROM outbox")
        db.execute("DELETE FROM rep_origins")
        db.execute(
            "INSERT INTO outbox (key, kind, entity, payload, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [f"dossier:{code}:v1", "dossier.received", code, json.dumps({"code": code}), "0" * 64, "2026-11-23"],
        )
    db.close()
    ctx = open_context(Settings(), tmp_path, clock=clock)
    try:
        d = ReceptionService(ctx).get(code)
        assert d.status is Status.RESOLVED
        assert [e.action for e in d.events] == [Action.RECEIVE, Action.START, Action.RESOLVE]
        items = outbox.due_items(ctx.store.read(), datetime(2030, 1, 1))
        chain = [parse_envelope(i.payload.decode()) for i in items]
        assert [e.data.get("action", "receive") for e in chain] == ["receive", "start", "resolve"]
        assert [e.prev for e in chain] == [None, chain[0].key, chain[1].key]
        assert all(not i.key.startswith("dossier:") for i in items)  # the old rows are replaced, not sent twice
    finally:
        ctx.close()
    ctx = open_context(Settings(), tmp_path, clock=clock)  # a second start adopts nothing more
    try:
        assert len(outbox.due_items(ctx.store.read(), datetime(2030, 1, 1))) == 3
    finally:
        ctx.close()
