"""The supervisor's figures: the day's summary, the periodic report and the service index, from the centre's data.

Dossiers come from this workstation's database (a supervisor's workstation receives every dossier of its centre
through the sync; a one-PC centre's database is the only one). The queue's tickets, the ratings and the counters'
state come from the centre's queue through a :class:`QueueFacts` (the queue database on this PC, or the centre
server over HTTP).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Protocol

from motcua.collector import collected_after
from motcua.domain.reports.daily import DailySummary, daily_summary
from motcua.domain.reports.facts import DossierFact, QueueSnapshot, RatingFact
from motcua.domain.reports.period import GroupBy, PeriodReport, check_range, month_range, period_report
from motcua.domain.reports.service_index import (
    DEFAULT_INDICATORS,
    IndexMonth,
    Indicator,
    index_by_month,
    months_between,
)
from motcua.services.context import AppContext
from motcua.store.report_facts import dossier_facts, save_settled


class QueueFacts(Protocol):
    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        """Tickets (unless not wanted) and ratings of the business days ``start``–``end``; the counters now."""
        ...


class NoQueue:
    """A centre without a queue (or a report made where the queue cannot be reached): dossiers only."""

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        return QueueSnapshot()


log = logging.getLogger(__name__)

QUEUE_MAX_DAYS = 366  # the most the queue answers in one request


def ratings_between(queue: QueueFacts, start: date, end: date) -> list[RatingFact]:
    """The ratings of a range of any length, asked a year at a time."""
    return _index_facts(queue, start, end)[0]


def _index_facts(queue: QueueFacts, start: date, end: date) -> tuple[list[RatingFact], set[str]]:
    """What the 766 estimate needs from the queue: the ratings of the range (a year a request) and the dossiers
    given an apology letter at any counter (every answer carries them all; the last is kept)."""
    out: list[RatingFact] = []
    apologies: set[str] = set()
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=QUEUE_MAX_DAYS - 1))
        snap = queue.snapshot(first, last, tickets=False)
        out += snap.ratings
        apologies = set(snap.apologies)
        first = last + timedelta(days=1)
    return out, apologies


def checkpoints(start: date, end: date, now: datetime, *, months: bool = False) -> list[datetime]:
    """The times a periodic report (and, with ``months``, its months' 766 estimate) asks the dossiers' state at."""
    points = [datetime.combine(start, time.min) - timedelta(microseconds=1), datetime.combine(end, time.max)]
    if months:
        points += [datetime.combine(month_range(m)[1], time.max) for m in months_between(start, end)]
    return sorted({min(p, now) for p in points})


def _with_apologies(dossiers: list[DossierFact], elsewhere: set[str]) -> list[DossierFact]:
    """The dossiers, those given an apology letter at another counter marked too: the centre's audit log has them (a
    supervisor's PC on the LAN receives the dossiers, not the other counters' audit entries)."""
    if not elsewhere:
        return dossiers
    return [replace(d, apology=True) if not d.apology and d.code in elsewhere else d for d in dossiers]


class ReportService:
    def __init__(
        self,
        ctx: AppContext,
        queue: QueueFacts | None = None,
        indicators: tuple[Indicator, ...] = DEFAULT_INDICATORS,
    ) -> None:
        self.ctx = ctx
        self.queue: QueueFacts = queue or NoQueue()
        self.indicators = indicators

    def dossiers(self, start: date, end: date, checkpoints: Sequence[datetime] | None = None) -> list[DossierFact]:
        """The dossiers of a report (see :func:`~motcua.store.report_facts.dossier_facts`); the final states it had
        to compute are kept for the next report (a failure to keep them only costs that report time)."""
        facts, fresh = dossier_facts(self.ctx.store.read(), start, end, checkpoints)
        if fresh:
            try:
                with self.ctx.store.write() as db:
                    save_settled(db, fresh)
            except sqlite3.Error as exc:  # e.g. a read-only copy of the database: the report is still right
                log.warning("report: final states not kept: %s", exc)
        return facts

    def daily(self, day: date, *, unsynced: int | None = None, parked: int | None = None) -> DailySummary:
        """The summary of ``day`` as it stands now (a past day: as it stood at its end)."""
        now = self.ctx.clock()
        as_of = min(now, datetime.combine(day, time.max))
        snap = self.queue.snapshot(day, day)
        settings = self.ctx.settings
        return daily_summary(
            day,
            as_of,
            self.dossiers(day, day),
            snap.tickets,
            snap.ratings,
            snap.counters if day == now.date() else (),
            centre=settings.centre.name,
            agency_id=self.ctx.agency_id,
            service_names=dict(snap.service_names),
            unsynced=unsynced,
            parked=parked,
            agency_names={self.ctx.agency_id: settings.centre.name},
        )

    def period(self, start: date, end: date, group_by: GroupBy = GroupBy.SECTOR) -> PeriodReport:
        check_range(start, end)
        with collected_after():  # ~400,000 small records, none cyclic: no collector pass in the middle
            return self._period(start, end, self.dossiers(start, end, self._checkpoints(start, end)), group_by)

    def period_with_index(
        self, start: date, end: date, group_by: GroupBy = GroupBy.SECTOR, *, by_sector: bool = False
    ) -> tuple[PeriodReport, list[IndexMonth]]:
        """The periodic report and the 766 estimate of its months, from one reading of the dossiers."""
        check_range(start, end)
        first = start.replace(day=1)
        rated, apologies = _index_facts(self.queue, first, end)
        with collected_after():  # ~400,000 small records, none cyclic: no collector pass in the middle
            dossiers = self.dossiers(first, end, self._checkpoints(start, end, months=True))
            index = self._index(first, end, _with_apologies(dossiers, apologies), rated, by_sector)
            return self._period(start, end, dossiers, group_by), index

    def service_index(self, start: date, end: date, *, by_sector: bool = False) -> list[IndexMonth]:
        check_range(start, end)
        first = start.replace(day=1)
        rated, apologies = _index_facts(self.queue, first, end)
        with collected_after():  # ~400,000 small records, none cyclic: no collector pass in the middle
            dossiers = self.dossiers(first, end, self._checkpoints(first, end, months=True))
            return self._index(first, end, _with_apologies(dossiers, apologies), rated, by_sector)

    def _checkpoints(self, start: date, end: date, *, months: bool = False) -> list[datetime]:
        return checkpoints(start, end, self.ctx.clock(), months=months)

    def _period(self, start: date, end: date, dossiers: list[DossierFact], group_by: GroupBy) -> PeriodReport:
        return period_report(
            start,
            end,
            dossiers,
            group_by,
            centre=self.ctx.settings.centre.name,
            agency_names={self.ctx.agency_id: self.ctx.settings.centre.name},
            now=self.ctx.clock(),
        )

    def _index(
        self, first: date, end: date, dossiers: list[DossierFact], rated: list[RatingFact], by_sector: bool
    ) -> list[IndexMonth]:
        return index_by_month(
            first, end, dossiers, rated, by_sector=by_sector, indicators=self.indicators, now=self.ctx.clock()
        )
