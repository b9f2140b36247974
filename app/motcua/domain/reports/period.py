"""The periodic report of dossier handling (month, quarter, year or any range), per sector or per agency.

The columns provincial reports use, for each group of dossiers:

- carried over: received before the period and still open at its start;
- received in the period, online / direct / postal;
- resolved in the period: early / on time / late (Decision 766 judgement: supplements stop the clock, a second
  supplement request makes a dossier late);
- still in progress at the period's end: within time / overdue;
- ended without a result in the period: refused (returned to the citizen), withdrawn, stopped.

Every dossier of a group is in exactly one place on each side:
``carried_over + received == resolved + without_result + in_progress`` (the report checks it for every row).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from motcua.domain.dossier import Timeliness
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Channel
from motcua.domain.reports.facts import DossierFact, Outcome
from motcua.domain.text import fold
from motcua.i18n import tr


class GroupBy(StrEnum):
    SECTOR = "sector"
    AGENCY = "agency"


@dataclass(slots=True)
class PeriodRow:
    """One line of the report (a sector, an agency, or the total)."""

    group: str
    carried_over: int = 0
    received_online: int = 0
    received_direct: int = 0
    received_postal: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    in_progress_on_time: int = 0
    in_progress_overdue: int = 0
    refused: int = 0
    withdrawn: int = 0
    stopped: int = 0

    @property
    def received(self) -> int:
        return self.received_online + self.received_direct + self.received_postal

    @property
    def total(self) -> int:
        """Dossiers to handle in the period: carried over plus received."""
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    @property
    def without_result(self) -> int:
        return self.refused + self.withdrawn + self.stopped

    @property
    def on_time_share(self) -> float | None:
        return (self.resolved_early + self.resolved_on_time) / self.resolved if self.resolved else None

    def add(self, other: PeriodRow) -> None:
        for name in COUNT_COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_COLUMNS = (
    "carried_over",
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_on_time",
    "in_progress_overdue",
    "refused",
    "withdrawn",
    "stopped",
)


@dataclass(frozen=True, slots=True)
class PeriodReport:
    start: date
    end: date
    group_by: GroupBy
    centre: str
    rows: tuple[PeriodRow, ...]
    total: PeriodRow = field(default_factory=lambda: PeriodRow(""))


_RECEIVED_COLUMN = {
    Channel.ONLINE: "received_online",
    Channel.DIRECT: "received_direct",
    Channel.POSTAL: "received_postal",
}
_ENDED_COLUMN = {Outcome.REFUSED: "refused", Outcome.WITHDRAWN: "withdrawn", Outcome.STOPPED: "stopped"}
_RESOLVED_COLUMN = {
    Timeliness.EARLY: "resolved_early",
    Timeliness.ON_TIME: "resolved_on_time",
    Timeliness.LATE: "resolved_late",
}


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(
            tr("Ngày cuối ({end}) trước ngày đầu ({start})", start=start.isoformat(), end=end.isoformat()), "to"
        )
    if (end - start).days > 3 * 366:
        raise ValidationError(tr("Kỳ báo cáo dài quá 3 năm: hãy chọn kỳ ngắn hơn"), "to")


def period_report(
    start: date,
    end: date,
    dossiers: Iterable[DossierFact],
    group_by: GroupBy = GroupBy.SECTOR,
    *,
    centre: str = "",
    agency_names: dict[str, str] | None = None,
    now: datetime | None = None,
) -> PeriodReport:
    """Count each dossier into its group's row; ``now`` caps a period that has not ended yet."""
    check_range(start, end)
    begin = datetime.combine(start, time.min)
    finish = datetime.combine(end, time.max)
    if now is not None:
        finish = min(finish, now)
    names = agency_names or {}
    key: Callable[[DossierFact], str] = (
        (lambda d: d.sector)
        if group_by is GroupBy.SECTOR
        else (lambda d: names.get(d.holder(finish), d.holder(finish)))
    )
    rows: dict[str, PeriodRow] = defaultdict(lambda: PeriodRow(""))
    for d in dossiers:
        if not d.concerns(begin, finish):
            continue
        column_sets = _columns(d, begin, finish)
        if not column_sets:
            continue
        row = rows[key(d)]
        for column in column_sets:
            setattr(row, column, getattr(row, column) + 1)
    out = []
    total = PeriodRow(tr("Tổng cộng"))
    for group in sorted(rows, key=lambda g: (fold(g), g)):  # Vietnamese order: Đất đai before Hộ tịch
        row = rows[group]
        row.group = group
        total.add(row)
        out.append(row)
    return PeriodReport(start, end, group_by, centre, tuple(out), total)


def _columns(d: DossierFact, begin: datetime, finish: datetime) -> list[str]:
    """The two columns a dossier is counted in (where it came from, where it went), or none."""
    if not d.was_received_by(finish):
        return []
    before = begin - timedelta(microseconds=1)
    if d.received_at < begin:
        if not d.was_received_by(before) or d.ended(before) is not None:
            return []  # ended before the period (or never received by then): not this period's business
        source = "carried_over"
    else:
        source = _RECEIVED_COLUMN[d.channel]
    ended = d.ended(finish)
    if ended is None:
        judged = d.judged(finish)
        # A single supplement request still open is judged by 766 at the request: still in progress here.
        late = judged in (Timeliness.OVERDUE, Timeliness.LATE) and d.due_at(finish) is not None
        return [source, "in_progress_overdue" if late else "in_progress_on_time"]
    outcome, _ = ended
    if outcome is Outcome.RESOLVED:
        return [source, _RESOLVED_COLUMN[_resolved_judgement(d, finish)]]
    return [source, _ENDED_COLUMN[outcome]]


def _resolved_judgement(d: DossierFact, finish: datetime) -> Timeliness:
    judged = d.judged(finish)
    return judged if judged in _RESOLVED_COLUMN else Timeliness.ON_TIME


def month_range(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def quarter_range(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, month_range(date(first.year, first.month + 2, 1))[1]


def year_range(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)
