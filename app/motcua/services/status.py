"""What the status bar shows: today's work, the link to the centre, what waits to sync, dossier numbers in hand."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.domain.fees import DayFees
from motcua.services.context import AppContext
from motcua.services.sync_link import LinkState
from motcua.store import code_blocks, day_totals, outbox
from motcua.store.sql import SqliteSql


@dataclass(frozen=True, slots=True)
class WorkstationStatus:
    received_today: int
    outbox_pending: int
    outbox_parked: int
    codes_left_today: int
    not_at_province: int = 0
    conflicts: int = 0
    link: LinkState | None = None
    fees_today: DayFees = field(default_factory=DayFees)  # this workstation's: what its clerk hands over
    guided_today: int = 0  # citizens guided without a reception (Mẫu 02)


class StatusService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def snapshot(self) -> WorkstationStatus:
        db = self.ctx.store.read()
        today = self.ctx.clock().date()
        received = db.execute("SELECT COUNT(*) FROM dossiers WHERE day = ?", [today.isoformat()]).fetchone()[0]
        counts = outbox.counts(db)
        conflicts = db.execute(
            "SELECT COUNT(*) FROM rep_events WHERE verdict = 'conflict' AND settled_by IS NULL"
        ).fetchone()[0]
        return WorkstationStatus(
            received_today=int(received),
            outbox_pending=counts["pending"],
            outbox_parked=counts["parked"],
            codes_left_today=code_blocks.remaining(db, self.ctx.agency_id, today),
            not_at_province=self.ctx.replica.not_at_root(SqliteSql(db)),
            conflicts=int(conflicts),
            link=self.ctx.sync_link.state() if self.ctx.sync_link is not None else None,
            fees_today=day_totals.fees_on(db, today, self.ctx.station_id),
            guided_today=day_totals.visits_on(db, today),
        )
