"""The day's summary (báo cáo tổng hợp ngày): queue, dossiers, timeliness, satisfaction, per counter and clerk.

Computed as of ``as_of`` (the end of the day for a past day, now for today): a dossier's state is what its history
says at that moment, so a summary printed again later says the same thing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from motcua.domain.dossier import Timeliness
from motcua.domain.procedures import Channel
from motcua.domain.queue import TicketState
from motcua.domain.reports.facts import (
    CounterActivity,
    CounterFact,
    DossierFact,
    Outcome,
    RatingFact,
    RatingLevel,
    TicketFact,
)
from motcua.domain.reports.figures import Spread, share
from motcua.domain.status import Action, Status
from motcua.domain.text import fold

HOURS = tuple(range(7, 18))  # the hours the charts show (07:00–17:59); earlier and later fold into the ends


@dataclass(frozen=True, slots=True)
class ServiceRow:
    code: str
    name: str
    issued: int
    served: int
    no_show: int
    waiting: int
    longest_wait_s: float | None
    wait: Spread
    service: Spread


@dataclass(frozen=True, slots=True)
class CounterRow:
    number: int
    name: str
    clerk: str
    activity: CounterActivity
    since: datetime | None
    ticket: str | None
    served: int
    service: Spread
    ratings: int
    satisfied: int


@dataclass(frozen=True, slots=True)
class ClerkRow:
    clerk: str
    received: int
    results_returned: int
    other_steps: int
    ratings: int
    satisfied: int


@dataclass(frozen=True, slots=True)
class SectorRow:
    sector: str
    direct: int
    online: int
    postal: int

    @property
    def total(self) -> int:
        return self.direct + self.online + self.postal


@dataclass(frozen=True, slots=True)
class OverdueRow:
    code: str
    procedure_name: str
    sector: str
    received_at: datetime
    due_at: datetime | None
    days_late: int
    clerk: str
    agency: str
    status: Status


@dataclass(frozen=True, slots=True)
class HourRow:
    hour: int
    tickets: int
    dossiers: int


@dataclass(frozen=True, slots=True)
class RatingSummary:
    very_satisfied: int = 0
    satisfied: int = 0
    dissatisfied: int = 0
    reasons: tuple[tuple[str, int], ...] = ()

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.dissatisfied

    @property
    def satisfied_share(self) -> float | None:
        return share(self.very_satisfied + self.satisfied, self.total)

    @classmethod
    def of(cls, ratings: Iterable[RatingFact]) -> RatingSummary:
        levels: Counter[RatingLevel] = Counter()
        reasons: Counter[str] = Counter()
        for r in ratings:
            levels[r.level] += 1
            reasons.update(r.reasons)
        return cls(
            levels[RatingLevel.VERY_SATISFIED],
            levels[RatingLevel.SATISFIED],
            levels[RatingLevel.DISSATISFIED],
            tuple(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        )


@dataclass(frozen=True, slots=True)
class DailySummary:
    day: date
    as_of: datetime
    centre: str
    # the queue
    tickets_issued: int
    tickets_served: int
    tickets_no_show: int
    tickets_cancelled: int
    tickets_waiting: int
    wait: Spread
    service: Spread
    services: tuple[ServiceRow, ...]
    counters: tuple[CounterRow, ...]
    by_hour: tuple[HourRow, ...]
    # dossiers
    received: int
    received_by_channel: tuple[tuple[Channel, int], ...]
    received_by_sector: tuple[SectorRow, ...]
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    ended_without_result: int
    due_today: int
    overdue: tuple[OverdueRow, ...]
    supplements_pending: int
    transfers_in: int
    transfers_out: int
    clerks: tuple[ClerkRow, ...]
    ratings: RatingSummary
    # the sync, when the caller knows it (the supervisor's workstation and the centre's parked items)
    unsynced: int | None = None
    parked: int | None = None

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def on_time_share(self) -> float | None:
        """Resolved early or on time, of all resolved that day (Decision 766 indicator 2.1)."""
        return share(self.resolved_early + self.resolved_on_time, self.resolved)


def _hour(at: datetime) -> int:
    return min(max(at.hour, HOURS[0]), HOURS[-1])


def _in_day(at: datetime | None, day: date) -> bool:
    return at is not None and at.date() == day


def daily_summary(
    day: date,
    as_of: datetime,
    dossiers: Iterable[DossierFact],
    tickets: Iterable[TicketFact],
    ratings: Iterable[RatingFact],
    counters: Iterable[CounterFact] = (),
    *,
    centre: str = "",
    agency_id: str = "",
    service_names: Mapping[str, str] | None = None,
    counter_names: Mapping[int, str] | None = None,
    unsynced: int | None = None,
    parked: int | None = None,
    agency_names: Mapping[str, str] | None = None,
) -> DailySummary:
    """The summary of ``day`` as things stood at ``as_of`` (at most the day's end).

    Args:
        agency_id: the centre's agency: a transfer *to* it is a transfer in, any other a transfer out.
        agency_names: the names the overdue list prints for agency codes (the centre's own, at least).
        counters: the counters' state now (today's summary only; a past day's has none).
    """
    end = min(as_of, datetime.combine(day, time.max))
    names = dict(service_names or {})
    day_tickets = [t for t in tickets if t.business_day == day and t.issued_at <= end]
    day_ratings = [r for r in ratings if r.at.date() == day and r.at <= end]
    dossier_list = list(dossiers)
    return DailySummary(
        day=day,
        as_of=end,
        centre=centre,
        tickets_issued=sum(1 for t in day_tickets if t.state is not TicketState.CANCELLED),
        tickets_served=sum(1 for t in day_tickets if t.state is TicketState.DONE),
        tickets_no_show=sum(1 for t in day_tickets if t.state is TicketState.NO_SHOW),
        tickets_cancelled=sum(1 for t in day_tickets if t.state is TicketState.CANCELLED),
        tickets_waiting=sum(1 for t in day_tickets if t.state.callable),
        wait=Spread.of(t.wait_s(end) for t in day_tickets if t.called_at is not None),
        service=Spread.of(t.service_s() for t in day_tickets),
        services=_services(day_tickets, names, end),
        counters=_counters(day_tickets, day_ratings, counters, counter_names or {}),
        by_hour=_by_hour(day_tickets, dossier_list, day, end),
        received=sum(1 for d in dossier_list if _received_on(d, day, end)),
        received_by_channel=_by_channel(dossier_list, day, end),
        received_by_sector=_by_sector(dossier_list, day, end),
        **_resolved(dossier_list, day, end),
        due_today=sum(1 for d in dossier_list if _open(d, end) and _in_day(d.due_at(end), day)),
        overdue=_overdue(dossier_list, end, agency_names or {}),
        supplements_pending=sum(
            1 for d in dossier_list if d.was_received_by(end) and d.status_at(end) is Status.SUPPLEMENT_REQUESTED
        ),
        **_transfers(dossier_list, day, end, agency_id),
        clerks=_clerks(dossier_list, day_ratings, day, end),
        ratings=RatingSummary.of(day_ratings),
        unsynced=unsynced,
        parked=parked,
    )


def _received_on(d: DossierFact, day: date, end: datetime) -> bool:
    return d.received_at.date() == day and d.was_received_by(end)


def _open(d: DossierFact, end: datetime) -> bool:
    return d.was_received_by(end) and d.ended(end) is None


def _services(tickets: list[TicketFact], names: dict[str, str], end: datetime) -> tuple[ServiceRow, ...]:
    by_service: dict[str, list[TicketFact]] = defaultdict(list)
    for t in tickets:
        by_service[t.service].append(t)
    rows = []
    for code in sorted(set(by_service) | set(names)):
        ts = by_service.get(code, [])
        waiting = [t.wait_s(end) for t in ts if t.state.callable]
        rows.append(
            ServiceRow(
                code=code,
                name=names.get(code, code),
                issued=sum(1 for t in ts if t.state is not TicketState.CANCELLED),
                served=sum(1 for t in ts if t.state is TicketState.DONE),
                no_show=sum(1 for t in ts if t.state is TicketState.NO_SHOW),
                waiting=len(waiting),
                longest_wait_s=max((w for w in waiting if w is not None), default=None),
                wait=Spread.of(t.wait_s(end) for t in ts if t.called_at is not None),
                service=Spread.of(t.service_s() for t in ts),
            )
        )
    return tuple(rows)


def _counters(
    tickets: list[TicketFact],
    ratings: list[RatingFact],
    now: Iterable[CounterFact],
    names: Mapping[int, str],
) -> tuple[CounterRow, ...]:
    state = {c.number: c for c in now}
    numbers = sorted(set(state) | {t.counter for t in tickets if t.counter is not None} | set(names))
    rows = []
    for n in numbers:
        served = [t for t in tickets if t.counter == n and t.state is TicketState.DONE]
        rated = [r for r in ratings if r.counter == n]
        c = state.get(n)
        rows.append(
            CounterRow(
                number=n,
                name=c.name if c else names.get(n, str(n)),
                clerk=c.clerk if c else "",
                activity=c.activity if c else CounterActivity.CLOSED,
                since=c.since if c else None,
                ticket=c.ticket if c else None,
                served=len(served),
                service=Spread.of(t.service_s() for t in served),
                ratings=len(rated),
                satisfied=sum(1 for r in rated if r.level.satisfied),
            )
        )
    return tuple(rows)


def _by_hour(tickets: list[TicketFact], dossiers: list[DossierFact], day: date, end: datetime) -> tuple[HourRow, ...]:
    t_hours = Counter(_hour(t.issued_at) for t in tickets if t.state is not TicketState.CANCELLED)
    d_hours = Counter(_hour(d.received_at) for d in dossiers if _received_on(d, day, end))
    return tuple(HourRow(h, t_hours[h], d_hours[h]) for h in HOURS)


def _by_channel(dossiers: list[DossierFact], day: date, end: datetime) -> tuple[tuple[Channel, int], ...]:
    counts = Counter(d.channel for d in dossiers if _received_on(d, day, end))
    return tuple((c, counts[c]) for c in Channel)


def _by_sector(dossiers: list[DossierFact], day: date, end: datetime) -> tuple[SectorRow, ...]:
    counts: dict[str, Counter[Channel]] = defaultdict(Counter)
    for d in dossiers:
        if _received_on(d, day, end):
            counts[d.sector][d.channel] += 1
    return tuple(
        SectorRow(s, c[Channel.DIRECT], c[Channel.ONLINE], c[Channel.POSTAL])
        for s, c in sorted(counts.items(), key=lambda kv: (fold(kv[0]), kv[0]))
    )


def _resolved(dossiers: list[DossierFact], day: date, end: datetime) -> dict[str, int]:
    judged: Counter[Timeliness] = Counter()
    without = 0
    for d in dossiers:
        ended = d.ended(end)
        if ended is None or ended[1].date() != day:
            continue
        if ended[0] is Outcome.RESOLVED:
            judged[d.judged(end)] += 1
        else:
            without += 1
    return {
        "resolved_early": judged[Timeliness.EARLY],
        "resolved_on_time": judged[Timeliness.ON_TIME],
        "resolved_late": judged[Timeliness.LATE],
        "ended_without_result": without,
    }


def _overdue(dossiers: list[DossierFact], end: datetime, names: Mapping[str, str]) -> tuple[OverdueRow, ...]:
    rows = []
    for d in dossiers:
        if not _open(d, end) or d.judged(end) not in (Timeliness.OVERDUE, Timeliness.LATE):
            continue
        due = d.due_at(end)
        first = d.effective(end)
        rows.append(
            OverdueRow(
                code=d.code,
                procedure_name=d.procedure_name,
                sector=d.sector,
                received_at=d.received_at,
                due_at=due,
                days_late=max((end.date() - due.date()).days, 0) if due else 0,
                clerk=first[-1].clerk if first else d.received_by,
                agency=names.get(d.holder(end), d.holder(end)),
                status=d.status_at(end),
            )
        )
    rows.sort(key=lambda r: (r.due_at or r.received_at, r.code))
    return tuple(rows)


def _transfers(dossiers: list[DossierFact], day: date, end: datetime, agency_id: str) -> dict[str, int]:
    into = out = 0
    for d in dossiers:
        for e in d.effective(end):
            if e.action is Action.TRANSFER and e.at.date() == day:
                if e.agency and e.agency == agency_id:
                    into += 1
                else:
                    out += 1
    return {"transfers_in": into, "transfers_out": out}


def _clerks(dossiers: list[DossierFact], ratings: list[RatingFact], day: date, end: datetime) -> tuple[ClerkRow, ...]:
    received: Counter[str] = Counter()
    returned: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for d in dossiers:
        for e in d.effective(end):
            if e.at.date() != day:
                continue
            if e.action is Action.RECEIVE:
                received[e.clerk] += 1
            elif e.action is Action.RETURN_RESULT:
                returned[e.clerk] += 1
            else:
                other[e.clerk] += 1
    rated: Counter[str] = Counter(r.clerk for r in ratings if r.clerk)
    happy: Counter[str] = Counter(r.clerk for r in ratings if r.clerk and r.level.satisfied)
    names = sorted(set(received) | set(returned) | set(other) | set(rated))
    return tuple(ClerkRow(n, received[n], returned[n], other[n], rated[n], happy[n]) for n in names)
