"""Every figure of the daily summary and the periodic report, over a year of a provincial centre, against a count
written here from the history's plans (how each dossier was designed to end), never from the events the reports
read."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from tests.reports.conftest import CENTRE, TODAY, CentreYear

from motcua.bench.report_history import AGENCY, OTHER_AGENCY, History, PlannedDossier, PlannedTicket
from motcua.domain.procedures import Channel
from motcua.domain.reports.daily import DailySummary, daily_summary
from motcua.domain.reports.facts import DossierFact, Outcome
from motcua.domain.reports.period import COUNT_COLUMNS, GroupBy, PeriodReport, PeriodRow, period_report
from motcua.domain.status import Action
from motcua.services.reports import checkpoints
from motcua.store.queue_ratings import ratings_between
from motcua.store.report_facts import dossier_facts, save_settled, ticket_facts

# Days checked in full: today (a working day still going on), the first days of the history, a Monday, a Friday,
# the day after a month's end, and days in the middle.
DAYS = [
    TODAY,
    date(2025, 12, 2),
    date(2026, 3, 2),
    date(2026, 5, 29),
    date(2026, 7, 1),
    date(2026, 9, 15),
    date(2026, 11, 30),
    date(2026, 11, 27),
]


def as_of(h: History, day: date) -> datetime:
    return min(h.now, datetime.combine(day, time.max))


def summary(year: CentreYear, day: date) -> DailySummary:
    h = year.history
    return daily_summary(
        day,
        as_of(h, day),
        dossier_facts(year.workstation.read(), day, day)[0],
        ticket_facts(year.queue.read(), CENTRE, day, day),
        ratings_between(year.queue.read(), CENTRE, day, day),  # as the rating pads saved them
        agency_id=AGENCY,
    )


# -- the independent count ------------------------------------------------------------------------------------


def p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * 9 / 10) - 1]


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def is_open(d: PlannedDossier, at: datetime) -> bool:
    return d.received_at <= at and (d.end_at is None or d.end_at > at)


def current_due(d: PlannedDossier, at: datetime) -> datetime:
    return d.due + d.pause_until(at)


def pending_supplement(d: PlannedDossier, at: datetime) -> bool:
    return any(r <= at and (s is None or s > at) for r, s in d.supplements)


def overdue(d: PlannedDossier, at: datetime) -> bool:
    """Open and late at ``at``: a second supplement request, or the time up with the clock not stopped."""
    if d.requests_by(at) >= 2:
        return True
    pending = [r for r, s in d.supplements if r <= at and (s is None or s > at)]
    if pending:  # the clock stands still from the request: judged at it (late if made after the time was up)
        return pending[0] - d.pause_until(pending[0]) > d.due
    return at - d.pause_until(at) > d.due


def effective_steps(d: PlannedDossier, day: date, at: datetime) -> list[tuple[Action, str]]:
    steps = [s for s in d.steps if s[2] <= at]
    kept: list[tuple[Action, str, datetime]] = []
    for action, _, when, clerk, *_ in steps:
        if action is Action.UNDO:
            kept.pop()
        else:
            kept.append((action, clerk, when))
    return [(a, c) for a, c, w in kept if w.date() == day]


def hour(at: datetime) -> int:
    return min(max(at.hour, 7), 17)


def tickets_on(h: History, day: date) -> list[PlannedTicket]:
    return [t for t in h.tickets if t.day == day]


# -- the daily summary ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_daily_summary_queue_figures(centre_year: CentreYear, day: date) -> None:
    h = centre_year.history
    s = summary(centre_year, day)
    ts = tickets_on(h, day)
    assert ts, "the history has tickets that day"
    live = [t for t in ts if t.state != "cancelled"]
    assert s.tickets_issued == len(live)
    assert s.tickets_served == sum(t.state == "done" for t in ts)
    assert s.tickets_no_show == sum(t.state == "no_show" for t in ts)
    assert s.tickets_cancelled == sum(t.state == "cancelled" for t in ts)
    assert s.tickets_waiting == sum(t.state == "waiting" for t in ts)
    waits = [(t.called_at - t.issued_at).total_seconds() for t in ts if t.called_at]
    services = [
        (t.finished_at - t.started_at).total_seconds()
        for t in ts
        if t.state == "done" and t.finished_at and t.started_at
    ]
    assert s.wait.count == len(waits) and s.wait.mean_s == pytest.approx(mean(waits))
    assert s.wait.p90_s == p90(waits)
    assert s.service.count == len(services) and s.service.mean_s == pytest.approx(mean(services))
    assert s.service.p90_s == p90(services)
    rows = {r.code: r for r in s.services}
    now = as_of(h, day)
    for code in {t.service for t in ts}:
        mine = [t for t in ts if t.service == code]
        row = rows[code]
        assert row.issued == sum(t.state != "cancelled" for t in mine)
        assert row.served == sum(t.state == "done" for t in mine)
        assert row.no_show == sum(t.state == "no_show" for t in mine)
        waiting = [(now - t.issued_at).total_seconds() for t in mine if t.state == "waiting"]
        assert row.waiting == len(waiting)
        assert row.longest_wait_s == (max(waiting) if waiting else None)
        w = [(t.called_at - t.issued_at).total_seconds() for t in mine if t.called_at]
        assert (row.wait.mean_s, row.wait.p90_s) == (pytest.approx(mean(w)) if w else None, p90(w))
    ratings = [r for r in h.ratings if r.at.date() == day and r.at <= now]
    for row in s.counters:
        served = [t for t in ts if t.counter == row.number and t.state == "done"]
        assert row.served == len(served)
        assert row.service.p90_s == p90([(t.finished_at - t.started_at).total_seconds() for t in served])  # type: ignore[operator]
        assert row.ratings == sum(r.counter == row.number for r in ratings)
        assert row.satisfied == sum(r.counter == row.number and r.level.satisfied for r in ratings)
    assert {r.number for r in s.counters} == {t.counter for t in ts if t.counter}
    by_hour = Counter(hour(t.issued_at) for t in live)
    assert [(r.hour, r.tickets) for r in s.by_hour] == [(x, by_hour[x]) for x in range(7, 18)]
    levels = Counter(r.level.value for r in ratings)
    assert (s.ratings.very_satisfied, s.ratings.satisfied, s.ratings.dissatisfied) == (
        levels["very_satisfied"],
        levels["satisfied"],
        levels["dissatisfied"],
    )
    reasons = Counter(code for r in ratings for code in r.reasons)
    assert dict(s.ratings.reasons) == dict(reasons)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_daily_summary_dossier_figures(centre_year: CentreYear, day: date) -> None:
    h = centre_year.history
    s = summary(centre_year, day)
    at = as_of(h, day)
    received = [d for d in h.dossiers if d.received_at.date() == day]
    assert received, "the history received dossiers that day"
    assert s.received == len(received)
    channels = Counter(d.channel for d in received)
    assert dict(s.received_by_channel) == {c: channels[c] for c in Channel}
    sectors = {(r.sector, r.direct, r.online, r.postal) for r in s.received_by_sector}
    assert sectors == {
        (
            sector,
            sum(d.sector == sector and d.channel is Channel.DIRECT for d in received),
            sum(d.sector == sector and d.channel is Channel.ONLINE for d in received),
            sum(d.sector == sector and d.channel is Channel.POSTAL for d in received),
        )
        for sector in {d.sector for d in received}
    }
    ended = [d for d in h.dossiers if d.end_at is not None and d.end_at.date() == day and d.end_at <= at]
    resolved = Counter(d.judged for d in ended if d.outcome is Outcome.RESOLVED)
    assert (s.resolved_early, s.resolved_on_time, s.resolved_late) == (
        resolved["early"],
        resolved["on_time"],
        resolved["late"],
    )
    assert s.ended_without_result == sum(d.outcome is not Outcome.RESOLVED for d in ended)
    open_now = [d for d in h.dossiers if is_open(d, at)]
    assert s.due_today == sum(current_due(d, at).date() == day for d in open_now)
    assert {r.code for r in s.overdue} == {d.code for d in open_now if overdue(d, at)}
    assert s.supplements_pending == sum(pending_supplement(d, at) for d in open_now)
    transfers = [d.transfer for d in h.dossiers if d.transfer and d.transfer[0].date() == day and d.transfer[0] <= at]
    assert s.transfers_in == sum(agency == AGENCY for _, agency in transfers)
    assert s.transfers_out == sum(agency == OTHER_AGENCY for _, agency in transfers)
    by_hour = Counter(hour(d.received_at) for d in received)
    assert [r.dossiers for r in s.by_hour] == [by_hour[x] for x in range(7, 18)]
    steps = [step for d in h.dossiers for step in effective_steps(d, day, at)]
    clerks = {r.clerk: r for r in s.clerks}
    for name in {c for _, c in steps}:
        assert clerks[name].received == sum(a is Action.RECEIVE and c == name for a, c in steps)
        assert clerks[name].results_returned == sum(a is Action.RETURN_RESULT and c == name for a, c in steps)
        assert clerks[name].other_steps == sum(
            a not in (Action.RECEIVE, Action.RETURN_RESULT) and c == name for a, c in steps
        )


def test_overdue_rows_name_the_agency_holding_and_days_late(centre_year: CentreYear) -> None:
    h = centre_year.history
    s = summary(centre_year, TODAY)
    plans = {d.code: d for d in h.dossiers}
    assert len(s.overdue) > 20
    for row in s.overdue:
        d = plans[row.code]
        holder = d.transfer[1] if d.transfer else d.agency_id
        assert row.agency == holder
        assert row.due_at == current_due(d, h.now)
        assert row.days_late == max((TODAY - row.due_at.date()).days, 0)  # type: ignore[union-attr]


def test_today_summary_ignores_what_happens_after_now(centre_year: CentreYear) -> None:
    """Asked at 15:00, the day's summary is as it stood then; the history holds nothing later (planned, cut)."""
    s = summary(centre_year, TODAY)
    assert s.as_of == centre_year.history.now
    assert s.tickets_waiting > 0 or s.tickets_issued > 0


# -- the periodic report --------------------------------------------------------------------------------------


def expected_rows(h: History, start: date, end: date, group_by: GroupBy) -> dict[str, PeriodRow]:
    begin = datetime.combine(start, time.min)
    finish = min(h.now, datetime.combine(end, time.max))
    rows: dict[str, PeriodRow] = {}
    for d in h.dossiers:
        if d.received_at > finish:
            continue
        if d.received_at < begin:
            if d.end_at is not None and d.end_at < begin:
                continue
            source = "carried_over"
        else:
            source = {Channel.ONLINE: "received_online", Channel.DIRECT: "received_direct"}.get(
                d.channel, "received_postal"
            )
        if d.end_at is not None and d.end_at <= finish:
            if d.outcome is Outcome.RESOLVED:
                target = f"resolved_{d.judged}"
            else:
                target = {Outcome.REFUSED: "refused", Outcome.WITHDRAWN: "withdrawn", Outcome.STOPPED: "stopped"}[
                    d.outcome  # type: ignore[index]
                ]
        else:
            target = "in_progress_overdue" if overdue(d, finish) else "in_progress_on_time"
        if group_by is GroupBy.SECTOR:
            key = d.sector
        else:
            holder = d.transfer[1] if d.transfer and d.transfer[0] <= finish else d.agency_id
            key = "Centre" if holder == AGENCY else holder
        row = rows.setdefault(key, PeriodRow(key))
        for column in (source, target):
            setattr(row, column, getattr(row, column) + 1)
    return rows


PERIODS = [
    (date(2026, 11, 1), date(2026, 11, 30)),  # a month
    (date(2026, 7, 1), date(2026, 9, 30)),  # a quarter
    (date(2025, 12, 2), TODAY),  # the whole year, up to now
    (date(2026, 2, 10), date(2026, 6, 17)),  # any range
    (date(2026, 11, 16), date(2026, 12, 31)),  # a period not over yet
]


@pytest.mark.parametrize("group_by", list(GroupBy))
@pytest.mark.parametrize(("start", "end"), PERIODS, ids=lambda d: str(d))
def test_period_report_against_the_plans(centre_year: CentreYear, start: date, end: date, group_by: GroupBy) -> None:
    h = centre_year.history
    expected = expected_rows(h, start, end, group_by)
    # cold (every history read, the final states kept), then warm (only the histories the report needs)
    for _ in ("cold", "warm"):
        facts = period_facts(centre_year, start, end)
        report = period_report(start, end, facts, group_by, agency_names={AGENCY: "Centre"}, now=h.now)
        check_rows(report, expected)


def period_facts(year: CentreYear, start: date, end: date) -> list[DossierFact]:
    facts, fresh = dossier_facts(year.workstation.read(), start, end, checkpoints(start, end, year.history.now))
    with year.workstation.write() as db:
        save_settled(db, fresh)
    return facts


def check_rows(report: PeriodReport, expected: dict[str, PeriodRow]) -> None:
    got = {r.group: r for r in report.rows}
    assert set(got) == set(expected)
    for key, row in expected.items():
        assert [getattr(got[key], c) for c in COUNT_COLUMNS] == [getattr(row, c) for c in COUNT_COLUMNS], key
    total = PeriodRow("")
    for row in expected.values():
        total.add(row)
    assert [getattr(report.total, c) for c in COUNT_COLUMNS] == [getattr(total, c) for c in COUNT_COLUMNS]
    # every dossier is in one place on each side
    assert report.total.total == report.total.resolved + report.total.without_result + report.total.in_progress
    assert report.total.resolved > 0 and report.total.in_progress_overdue > 0


def test_the_history_is_a_realistic_year(centre_year: CentreYear) -> None:
    """What the figures above are checked on: every status and channel, late and early, supplements, transfers."""
    h = centre_year.history
    working = {t.day for t in h.tickets}
    assert len(working) > 250
    assert 280 <= len(h.dossiers) / len(working) <= 320
    assert 380 <= len(h.tickets) / len(working) <= 420
    assert {d.channel for d in h.dossiers} == set(Channel)
    assert {d.outcome for d in h.dossiers} == {*Outcome, None}
    assert {d.judged for d in h.dossiers if d.outcome is Outcome.RESOLVED} == {"early", "on_time", "late"}
    assert sum(len(d.supplements) == 2 for d in h.dossiers) > 100
    assert sum(d.transfer is not None for d in h.dossiers) > 1000
    assert len(h.ratings) > 10_000
    assert timedelta(0) < max(d.due - d.received_at for d in h.dossiers)


def test_the_index_asks_the_queue_for_ratings_only_a_year_at_a_time(centre_year: CentreYear) -> None:
    """A 766 estimate over 20 months takes the ratings in two requests of at most 366 days, without tickets."""
    from motcua.domain.reports.facts import QueueSnapshot
    from motcua.services.reports import ratings_between as ratings_of_range

    asked: list[tuple[date, date, bool]] = []

    class Queue:
        def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
            asked.append((start, end, tickets))
            assert (end - start).days < 366
            return QueueSnapshot(ratings=tuple(ratings_between(centre_year.queue.read(), CENTRE, start, end)))

    got = ratings_of_range(Queue(), date(2025, 4, 1), date(2026, 11, 30))
    assert [a[2] for a in asked] == [False, False]
    assert asked[0][0] == date(2025, 4, 1) and asked[-1][1] == date(2026, 11, 30)
    assert asked[1][0] == asked[0][1] + timedelta(days=1)
    assert len(got) == sum(1 for r in centre_year.history.ratings if r.at.date() <= date(2026, 11, 30))


def test_a_long_report_reads_only_the_histories_it_needs(centre_year: CentreYear) -> None:
    start, end = date(2025, 12, 2), TODAY
    period_facts(centre_year, start, end)  # keeps every final state
    facts, fresh = dossier_facts(
        centre_year.workstation.read(), start, end, checkpoints(start, end, centre_year.history.now)
    )
    assert fresh == []
    without = sum(1 for f in facts if not f.events)
    assert without > 0.9 * len(facts), (without, len(facts))


def test_a_kept_final_state_that_is_out_of_date_is_not_trusted(tmp_path: Path) -> None:
    """A dossier that changes after its final state was kept (here its resolution is undone) is read again."""
    from motcua.bench.report_history import plan_history, write_dossiers
    from motcua.store.db import Store
    from motcua.store.schema import migrate_workstation

    h = plan_history(TODAY, days=15, per_day=30, tickets_per_day=40)
    store = Store(tmp_path / "workstation.sqlite", migrate_workstation)
    with store.write() as db:
        write_dossiers(db, h)
    start, end = TODAY - timedelta(days=14), TODAY
    points = checkpoints(start, end, h.now)

    def resolved() -> int:
        facts, fresh = dossier_facts(store.read(), start, end, points)
        with store.write() as db:
            save_settled(db, fresh)
        return period_report(start, end, facts, now=h.now).total.resolved

    before = resolved()
    assert resolved() == before  # from the kept states
    d = next(p for p in h.dossiers if p.outcome is Outcome.RESOLVED and p.returned_at is None)
    with store.write() as db:
        row = db.execute("SELECT id, MAX(seq) FROM dossier_events WHERE dossier_id = ?", [d.id]).fetchone()
        db.execute(
            "INSERT INTO dossier_events (dossier_id, seq, action, status_after, at, clerk) "
            "VALUES (?, ?, 'undo', 4, ?, 'canbo01')",
            [d.id, row[1] + 1, (h.now - timedelta(minutes=5)).isoformat(sep=" ")],
        )
    assert resolved() == before - 1
    store.close()


@pytest.mark.parametrize("month", [date(2026, 3, 1), date(2026, 11, 1)], ids=str)
def test_the_766_estimate_of_a_month_against_the_plans(centre_year: CentreYear, month: date) -> None:
    from motcua.domain.reports.period import month_range
    from motcua.domain.reports.service_index import index_by_month

    h = centre_year.history
    first, last = month_range(month)
    facts = period_facts(centre_year, first, last)
    (m,) = index_by_month(first, last, facts, [], now=h.now)
    scores = {s.indicator.code: (s.numerator, s.denominator) for s in m.scores}
    begin, finish = datetime.combine(first, time.min), datetime.combine(last, time.max)
    resolved = [d for d in h.dossiers if d.outcome is Outcome.RESOLVED and begin <= d.end_at <= finish]  # type: ignore[operator]
    late = [d for d in resolved if d.judged == "late"]
    received = [d for d in h.dossiers if begin <= d.received_at <= finish]
    digitized = [d for d in received if d.digitized]
    assert scores["2.1"] == (len(resolved) - len(late), len(resolved))
    assert scores["3.3"] == (sum(d.channel is Channel.ONLINE for d in received), len(received))
    assert scores["4.2"] == (len(digitized), len(received))
    assert scores["4.3"] == (sum(d.reused for d in digitized), len(digitized))
    assert (m.late, m.late_with_apology) == (len(late), sum(d.apology for d in late))
    assert m.late > 0 and 0 < m.late_with_apology < m.late
