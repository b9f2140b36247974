"""The supervisor's sync repairs: parked changes put back in line, conflicts settled only where the centre is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.domain.accounts import Role, Session
from motcua.domain.errors import MotcuaError, ValidationError
from motcua.services.sync_repair import SyncRepair
from motcua.store import outbox


def test_parked_changes_go_back_in_line_for_a_supervisor_only(ctx) -> None:
    now = ctx.clock()
    with ctx.store.write() as db:
        outbox.enqueue(db, "k1", "t", "e", {"n": 1}, now)
        item = outbox.due_items(db, now)[0]
        for _ in range(outbox.MAX_ATTEMPTS_BEFORE_PARKING):
            outbox.mark_failed(db, item.id, "HTTP 422: refused", now)
    repair = SyncRepair(ctx)
    assert [p.last_error for p in repair.parked()] == ["HTTP 422: refused"]
    ctx.session = Session("an.nv", "Nguyễn Văn An", Role.CLERK)
    with pytest.raises(MotcuaError):
        repair.retry([])
    assert len(repair.parked()) == 1
    ctx.session = Session("binh.tt", "Trần Thị Bình", Role.SUPERVISOR)
    assert repair.retry([]) == 1
    assert repair.parked() == []
    with ctx.store.write() as db:
        assert [i.key for i in outbox.due_items(db, now + timedelta(days=1))] == ["k1"]


def test_without_the_centre_here_conflicts_are_settled_there(ctx) -> None:
    repair = SyncRepair(ctx, None)
    assert repair.conflicts() is None
    with pytest.raises(ValidationError):
        repair.settle("any", "note")
