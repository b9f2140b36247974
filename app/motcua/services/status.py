"""What the status bar shows: today's work, what waits to sync, how many dossier numbers are in hand."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.services.context import AppContext
from motcua.store import code_blocks, outbox


@dataclass(frozen=True, slots=True)
class WorkstationStatus:
    received_today: int
    outbox_pending: int
    outbox_parked: int
    codes_left_today: int


class StatusService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def snapshot(self) -> WorkstationStatus:
        db = self.ctx.store.read()
        today = self.ctx.clock().date()
        received = db.execute("SELECT COUNT(*) FROM dossiers WHERE day = ?", [today.isoformat()]).fetchone()[0]
        counts = outbox.counts(db)
        return WorkstationStatus(
            received_today=int(received),
            outbox_pending=counts["pending"],
            outbox_parked=counts["parked"],
            codes_left_today=code_blocks.remaining(db, self.ctx.agency_id, today),
        )
