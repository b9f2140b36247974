"""A provincial centre's history for the report tests and benchmarks: a year of ~300 dossiers and ~400 tickets a
working day, written straight into a workstation database and a queue database.

Every dossier's fate is *planned* first (how it ends, and whether early, on time or late by construction), then
its events are written from the plan. The tests count the reports' figures from the plans with their own simple
rules, never from the events the reports read: two independent ways to the same number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlite_utils import Database

from motcua.domain.codes import format_dossier_code
from motcua.domain.procedures import Channel
from motcua.domain.reports.facts import Outcome, RatingLevel
from motcua.domain.status import Action, Status
from motcua.domain.text import fold
from motcua.store.clock import iso
from motcua.store.replica_peers import set_state
from motcua.store.sql import SqliteSql

AGENCY = "000.25.38.H38"
OTHER_AGENCY = "000.26.11.H38"  # another centre of the province: dossiers transferred out, and in from it
REASONS = ("wait", "attitude", "guidance", "slow")

# (code, name, sector, working days; 0 = the same day, next working day after 15:00)
PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh", "Hộ tịch", 0),
    ("1.001022", "Đăng ký kết hôn", "Hộ tịch", 0),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 0),
    ("1.000656", "Đăng ký khai tử", "Hộ tịch", 0),
    ("2.000815", "Chứng thực bản sao từ bản chính", "Chứng thực", 0),
    ("2.000884", "Chứng thực chữ ký", "Chứng thực", 0),
    ("1.004227", "Đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", 3),
    ("2.000575", "Thay đổi nội dung đăng ký hộ kinh doanh", "Thành lập và hoạt động của hộ kinh doanh", 3),
    ("1.003005", "Đăng ký đất đai lần đầu", "Đất đai", 15),
    ("1.004269", "Chuyển nhượng quyền sử dụng đất", "Đất đai", 10),
    ("1.001009", "Cấp đổi giấy chứng nhận quyền sử dụng đất", "Đất đai", 7),
    ("1.010932", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", 15),
    ("1.009972", "Trợ cấp xã hội hằng tháng", "Bảo trợ xã hội", 7),
    ("1.001776", "Hỗ trợ chi phí mai táng", "Bảo trợ xã hội", 3),
    ("1.005130", "Xác nhận hộ nghèo, hộ cận nghèo", "Giảm nghèo", 5),
    ("2.002165", "Cấp giấy chứng nhận ưu đãi người có công", "Người có công", 10),
    ("1.003596", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", 7),
    ("1.001055", "Đăng ký tạm trú", "Đăng ký, quản lý cư trú", 3),
    ("1.008004", "Cấp phép khai thác nước", "Tài nguyên nước", 10),
    ("1.000775", "Đăng ký kế hoạch bảo vệ môi trường", "Môi trường", 10),
)
SERVICES = (
    ("HT", "Hộ tịch, chứng thực"),
    ("DD", "Đất đai"),
    ("KD", "Kinh doanh"),
    ("XH", "Lao động, xã hội"),
    ("CT", "Cư trú"),
    ("TH", "Lĩnh vực khác"),
)
COUNTERS = tuple(range(1, 11))
CLERKS = tuple(f"canbo{i:02d}" for i in range(1, 15))
MORNING, EVENING = time(7, 30), time(17, 0)


@dataclass
class PlannedDossier:
    """One dossier's designed fate (the truth the tests count from)."""

    id: int
    code: str
    agency_id: str
    procedure: tuple[str, str, str, int]
    channel: Channel
    received_at: datetime
    due: datetime
    received_by: str
    refused_at_reception: bool = False
    supplements: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    transfer: tuple[datetime, str] | None = None
    outcome: Outcome | None = None
    end_at: datetime | None = None
    judged: str = ""  # early / on_time / late, for a resolved dossier, by construction
    returned_at: datetime | None = None
    steps: list[tuple[Action, Status, datetime, str, str, datetime | None]] = field(default_factory=list)
    digitized: bool = False
    reused: bool = False
    apology: bool = False

    @property
    def sector(self) -> str:
        return self.procedure[2]

    def pause_until(self, at: datetime) -> timedelta:
        """The supplements completed by ``at``: the time the clock stood still."""
        return sum((s - r for r, s in self.supplements if s is not None and s <= at), timedelta())

    def requests_by(self, at: datetime) -> int:
        return sum(1 for r, _ in self.supplements if r <= at)


@dataclass
class PlannedTicket:
    id: int
    day: date
    service: str
    number: int
    state: str
    issued_at: datetime
    counter: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    dossiers: list[str] = field(default_factory=list)


@dataclass
class PlannedRating:
    at: datetime
    level: RatingLevel
    counter: int
    ticket_id: int
    service: str
    clerk: str
    dossiers: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass
class History:
    first_day: date
    today: date
    now: datetime  # "now" on the last day: later plans are not written
    dossiers: list[PlannedDossier]
    tickets: list[PlannedTicket]
    ratings: list[PlannedRating]
    clerk_at: dict[tuple[date, int], str]

    @property
    def days(self) -> list[date]:
        return sorted({t.day for t in self.tickets} | {d.received_at.date() for d in self.dossiers})


def working_days(first: date, last: date) -> list[date]:
    out, d = [], first
    while d <= last:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def _next_working(d: date, n: int = 1) -> date:
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def _due(received: datetime, days: int) -> datetime:
    if days == 0:
        day = received.date() if received.time() <= time(15, 0) else _next_working(received.date())
        return datetime.combine(day, time(16, 30))
    return datetime.combine(_next_working(received.date(), days), received.time())


def _work_time(
    rng: random.Random, day: date, after: datetime | None = None, before: datetime | None = None
) -> datetime:
    lo = datetime.combine(day, MORNING)
    hi = datetime.combine(day, EVENING)
    if after is not None:
        lo = max(lo, after)
    if before is not None:
        hi = min(hi, before)
    if hi <= lo:
        return lo
    return lo + timedelta(seconds=rng.randint(0, int((hi - lo).total_seconds())))


def plan_history(
    today: date, days: int = 365, per_day: int = 300, tickets_per_day: int = 400, seed: int = 7
) -> History:
    """Plan ``days`` calendar days up to ``today`` (its working days only), "now" being 15:00 on ``today``."""
    rng = random.Random(seed)
    first = today - timedelta(days=days - 1)
    now = datetime.combine(today, time(15, 0))
    dossiers: list[PlannedDossier] = []
    tickets: list[PlannedTicket] = []
    ratings: list[PlannedRating] = []
    clerk_at: dict[tuple[date, int], str] = {}
    for day in working_days(first, today):
        staff = rng.sample(CLERKS, len(COUNTERS))
        for counter, clerk in zip(COUNTERS, staff, strict=True):
            clerk_at[day, counter] = clerk
        day_tickets = _plan_tickets(rng, day, tickets_per_day, len(tickets), now)
        tickets += day_tickets
        n = rng.randint(per_day - 30, per_day + 30)
        served = [t for t in day_tickets if t.state == "done"]
        for seq in range(1, n + 1):
            d = _plan_dossier(rng, len(dossiers) + 1, day, seq, served, clerk_at, now)
            if d is not None:
                dossiers.append(d)
        ratings += _plan_ratings(rng, day_tickets, clerk_at)
    return History(first, today, now, dossiers, tickets, ratings, clerk_at)


def _plan_tickets(rng: random.Random, day: date, n: int, first_id: int, now: datetime) -> list[PlannedTicket]:
    out = []
    numbers: dict[str, int] = {}
    busy_until = {c: datetime.combine(day, MORNING) for c in COUNTERS}
    issued = sorted(_work_time(rng, day, before=datetime.combine(day, time(16, 45))) for _ in range(n))
    for at in issued:
        if at > now:
            break
        service = rng.choices([s for s, _ in SERVICES], weights=[40, 15, 10, 12, 15, 8])[0]
        numbers[service] = numbers.get(service, 0) + 1
        t = PlannedTicket(first_id + len(out) + 1, day, service, numbers[service], "waiting", at)
        out.append(t)
        if rng.random() < 0.01:
            t.state = "cancelled"
            continue
        counter = min(COUNTERS, key=lambda c: (busy_until[c], c))
        called = max(at + timedelta(seconds=rng.randint(30, 600)), busy_until[counter])
        if called > now:
            continue  # still waiting at "now"
        t.counter, t.called_at = counter, called
        if rng.random() < 0.05:
            t.state = "no_show"
            busy_until[counter] = called + timedelta(minutes=1)
            continue
        started = called + timedelta(seconds=rng.randint(20, 120))
        finished = started + timedelta(seconds=rng.randint(180, 1500))
        busy_until[counter] = finished
        if started > now:
            t.state = "called"
        elif finished > now:
            t.state, t.started_at = "serving", started
        else:
            t.state, t.started_at, t.finished_at = "done", started, finished
    return out


def _plan_dossier(
    rng: random.Random,
    ident: int,
    day: date,
    seq: int,
    served: list[PlannedTicket],
    clerk_at: dict[tuple[date, int], str],
    now: datetime,
) -> PlannedDossier | None:
    channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POSTAL], weights=[60, 35, 5])[0]
    ticket = rng.choice(served) if channel is Channel.DIRECT and served else None
    if ticket is not None and ticket.started_at is not None and ticket.finished_at is not None:
        received = ticket.started_at + (ticket.finished_at - ticket.started_at) / 2
        clerk = clerk_at[day, ticket.counter or 1]
    else:
        received = _work_time(rng, day)
        clerk = clerk_at[day, rng.choice(COUNTERS)]
        ticket = None
    received = received.replace(microsecond=0)
    if received > now:
        return None
    procedure = rng.choice(PROCEDURES)
    transfer_in = rng.random() < 0.02
    agency = OTHER_AGENCY if transfer_in else AGENCY
    d = PlannedDossier(
        ident,
        format_dossier_code(agency, day, seq + (5000 if transfer_in else 0)),
        agency,
        procedure,
        channel,
        received,
        _due(received, procedure[3]),
        clerk,
    )
    if ticket is not None:
        ticket.dossiers.append(d.code)
    steps = d.steps
    steps.append((Action.RECEIVE, Status.RECEIVED, received, clerk, "", None))
    fate = rng.random()
    if fate < 0.02:
        d.refused_at_reception = True
        at = received + timedelta(minutes=rng.randint(2, 15))
        steps.append((Action.REFUSE, Status.REFUSED, at, clerk, "", None))
        d.outcome, d.end_at = Outcome.REFUSED, at
        return _cut(d, now)
    back = rng.choice(CLERKS)
    started = received + timedelta(minutes=rng.randint(5, 60))
    steps.append((Action.START, Status.PROCESSING, started, back, "", None))
    cursor = started
    if transfer_in:
        d.transfer = (started + timedelta(minutes=5), AGENCY)
    elif rng.random() < 0.05:
        d.transfer = (started + timedelta(minutes=5), OTHER_AGENCY)
    if d.transfer is not None:
        steps.append((Action.TRANSFER, Status.PROCESSING, d.transfer[0], back, d.transfer[1], None))
        cursor = d.transfer[0]
    if rng.random() < 0.03:  # a mistaken step taken back
        steps.append((Action.REQUEST_PAYMENT, Status.PAYMENT_REQUESTED, cursor + timedelta(minutes=1), back, "", None))
        steps.append((Action.UNDO, Status.PROCESSING, cursor + timedelta(minutes=2), back, "", None))
        cursor += timedelta(minutes=2)
    kind = rng.random()
    n_supplements = 0
    if kind < 0.10:
        n_supplements = 1
    elif kind < 0.104:
        n_supplements = 2
    pending_forever = 0.104 <= kind < 0.107
    for _ in range(n_supplements):
        request = cursor + timedelta(minutes=rng.randint(10, 240))
        supplied = request + timedelta(hours=rng.randint(2, 96))
        d.supplements.append((request, supplied))
        pause = d.pause_until(request) + (supplied - request)
        steps.append((Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, request, back, "", None))
        steps.append((Action.SUPPLY, Status.PROCESSING, supplied, back, "", d.due + pause))
        cursor = supplied
    if pending_forever:
        request = cursor + timedelta(minutes=rng.randint(10, 120))
        if request < d.due:
            d.supplements.append((request, None))
            steps.append((Action.REQUEST_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED, request, back, "", None))
        return _cut(d, now)
    ending = rng.random()
    if ending < 0.02:
        at = cursor + timedelta(minutes=rng.randint(30, 600))
        steps.append((Action.WITHDRAW, Status.WITHDRAWN, at, back, "", None))
        d.outcome, d.end_at = Outcome.WITHDRAWN, at
        return _cut(d, now)
    if ending < 0.03:
        at = cursor + timedelta(minutes=rng.randint(30, 600))
        steps.append((Action.STOP, Status.STOPPED, at, back, "", None))
        d.outcome, d.end_at = Outcome.STOPPED, at
        back_at = at + timedelta(days=1)
        steps.append((Action.RETURN_RESULT, Status.RETURNED, back_at, back, "", None))
        return _cut(d, now)
    if ending < 0.032:
        return _cut(d, now)  # never resolved: open, and overdue once its time is up
    pause = d.pause_until(cursor)
    wanted = rng.choices(["early", "on_time", "late"], weights=[60, 39, 1])[0]  # Lào Cai resolves 99.4 % on time
    if n_supplements == 2:
        wanted = "late"  # a second supplement request counts as late (Decision 766)
    floor = cursor - pause + timedelta(minutes=10)  # the effective end may not come before the work so far
    effective = _effective_end(rng, wanted, d.due, floor)
    if effective is None:
        wanted = "on_time"
        effective = _effective_end(rng, wanted, d.due, floor)
    if effective is None:
        wanted = "late"
        effective = _effective_end(rng, wanted, d.due, floor)
    assert effective is not None
    end = effective + pause
    d.outcome, d.end_at, d.judged = Outcome.RESOLVED, end, wanted
    steps.append((Action.RESOLVE, Status.RESOLVED, end, back, "", None))
    d.returned_at = end + timedelta(hours=rng.randint(1, 72))
    steps.append((Action.RETURN_RESULT, Status.RETURNED, d.returned_at, clerk, "", None))
    d.digitized = channel is not Channel.POSTAL and rng.random() < 0.7
    d.reused = d.digitized and rng.random() < 0.2
    d.apology = wanted == "late" and rng.random() < 0.6
    return _cut(d, now)


def _effective_end(rng: random.Random, wanted: str, due: datetime, floor: datetime) -> datetime | None:
    """A time judged ``wanted`` against ``due``, not before ``floor``, or None when none exists."""
    if wanted == "early":
        last = datetime.combine(due.date() - timedelta(days=1), time(16, 59))
        if last <= floor:
            return None
        return floor + timedelta(seconds=rng.randint(0, int(min((last - floor).total_seconds(), 4 * 86400))))
    if wanted == "on_time":
        lo = max(floor, datetime.combine(due.date(), time(0, 0)))
        hi = due
        if hi <= lo:
            return None
        return lo + timedelta(seconds=rng.randint(0, int((hi - lo).total_seconds())))
    return max(due, floor) + timedelta(seconds=rng.randint(60, 5 * 86400))


def _cut(d: PlannedDossier, now: datetime) -> PlannedDossier:
    """Keep what has happened by ``now``: later steps are not written, and the truth forgets them too."""
    d.steps = [s for s in d.steps if s[2] <= now]
    if d.end_at is not None and d.end_at > now:
        d.outcome, d.end_at, d.judged = None, None, ""
    if d.returned_at is not None and d.returned_at > now:
        d.returned_at = None
    d.supplements = [(r, s if s is not None and s <= now else None) for r, s in d.supplements if r <= now]
    if d.transfer is not None and d.transfer[0] > now:
        d.transfer = None
    if d.outcome is None:
        d.apology = False
    return d


def _plan_ratings(
    rng: random.Random, tickets: list[PlannedTicket], clerk_at: dict[tuple[date, int], str]
) -> list[PlannedRating]:
    out = []
    for t in tickets:
        if t.state != "done" or t.finished_at is None or rng.random() >= 0.35:
            continue
        level = rng.choices(list(RatingLevel), weights=[72, 24, 4])[0]
        reasons = tuple(sorted(rng.sample(REASONS, rng.randint(1, 2)))) if level is RatingLevel.DISSATISFIED else ()
        counter = t.counter or 1
        out.append(
            PlannedRating(
                t.finished_at + timedelta(seconds=20),
                level,
                counter,
                t.id,
                t.service,
                clerk_at[t.day, counter],
                tuple(t.dossiers),
                reasons,
            )
        )
    return out


def _status_of(d: PlannedDossier) -> Status:
    status = Status.RECEIVED
    kept: list[Status] = []
    for action, after, *_ in d.steps:
        if action is Action.UNDO:
            kept.pop()
            status = kept[-1] if kept else Status.RECEIVED
        else:
            kept.append(after)
            status = after
    return status


def write_dossiers(db: Database, history: History, batch: int = 20_000) -> None:
    """The planned dossiers, their events and attachments, and the procedures they name (one transaction)."""
    stamp = iso(history.now)
    db.conn.executemany(
        """INSERT OR REPLACE INTO procedures (code, name, name_fold, sector, sector_fold, level, agency, active, data,
                updated_at) VALUES (?, ?, ?, ?, ?, '2', ?, 1, '{}', ?)""",
        [(c, n, fold(n), s, fold(s), AGENCY, stamp) for c, n, s, _ in PROCEDURES],
    )
    rows, events, files, audits = [], [], [], []
    for d in history.dossiers:
        status = _status_of(d)
        due = d.due
        for s in d.steps:
            if s[5] is not None:
                due = s[5]
        last = max(s[2] for s in d.steps)
        rows.append(
            (
                d.id,
                d.code,
                d.agency_id,
                d.received_at.date().isoformat(),
                int(d.code.split("-")[-1]),
                d.procedure[0],
                d.procedure[1],
                "1",
                "Công dân",
                "",
                "",
                "{}",
                d.channel.value,
                iso(d.received_at),
                iso(d.due),
                iso(due),
                int(status),
                d.received_by,
                "Q01",
                iso(last),
            )
        )
        for seq, (action, after, at, clerk, agency, due_after) in enumerate(d.steps, start=1):
            events.append((d.id, seq, action.value, int(after), iso(at), clerk, agency, iso(due_after)))
        if d.digitized and d.steps:
            sha = f"{d.id:064x}"
            files.append(
                (
                    d.id,
                    "TP1",
                    sha,
                    f"files/{sha[:2]}/{sha}.pdf",
                    2,
                    "grey",
                    1000,
                    iso(d.received_at),
                    d.received_by,
                    None,
                )
            )
            if d.reused:
                files.append(
                    (d.id, "TP2", sha[:-1] + "f", "files/re.pdf", 1, "grey", 900, iso(d.received_at), d.received_by, 1)
                )
        if d.apology:
            audits.append((iso(d.end_at), d.received_by, "Q01", "issue_apology", d.code, "{}"))
        if len(rows) >= batch:
            _flush(db, rows, events, files)
            rows, events, files = [], [], []
    _flush(db, rows, events, files)
    db.conn.executemany(
        "INSERT INTO audit_log (at, actor, station_id, action, entity, detail) VALUES (?, ?, ?, ?, ?, ?)", audits
    )
    # The reports read the tables a workstation projects from the sync's events; the events themselves are not
    # written (a year of them would only slow the build), so the app must not adopt these rows as pre-sync ones.
    set_state(SqliteSql(db), "legacy.adopted", "1")


def _flush(
    db: Database, rows: list[tuple[object, ...]], events: list[tuple[object, ...]], files: list[tuple[object, ...]]
) -> None:
    db.conn.executemany(
        """INSERT INTO dossiers (id, code, agency_id, day, seq, procedure_code, procedure_name, applicant_kind,
                applicant_name, applicant_id_number, applicant_phone, applicant, channel, received_at,
                original_due_at, due_at, status, received_by, station_id, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        rows,
    )
    db.conn.executemany(
        """INSERT INTO dossier_events (dossier_id, seq, action, status_after, at, clerk, agency, due_after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        events,
    )
    db.conn.executemany(
        """INSERT INTO attachments (dossier_id, component_code, sha256, path, pages, mode, bytes, created_at,
                created_by, reused_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        files,
    )


def write_tickets(db: Database, history: History, centre: str) -> None:
    """The planned tickets and their dossier links, in the queue database."""
    db.conn.executemany(
        """INSERT INTO queue_tickets (id, uid, centre, business_day, service, number, display, queue, state, issued_at,
                kiosk, counter, called_at, started_at, finished_at, calls)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'K1', ?, ?, ?, ?, ?)""",
        [
            (
                t.id,
                f"h{t.id}",
                centre,
                t.day.isoformat(),
                t.service,
                t.number,
                f"{t.service}{t.number:03d}",
                t.service,
                t.state,
                iso(t.issued_at),
                t.counter,
                iso(t.called_at),
                iso(t.started_at),
                iso(t.finished_at),
                1 if t.called_at else 0,
            )
            for t in history.tickets
        ],
    )
    db.conn.executemany(
        "INSERT INTO queue_ticket_dossiers (ticket_id, dossier_code, linked_at) VALUES (?, ?, ?)",
        [(t.id, code, iso(t.finished_at or t.issued_at)) for t in history.tickets for code in t.dossiers],
    )


def write_ratings(db: Database, history: History, centre: str) -> None:
    """The planned ratings, in the queue database (as the rating pads would have saved them)."""
    from motcua.domain.reports.facts import RatingFact
    from motcua.store.queue_ratings import insert_rating

    for r in history.ratings:
        fact = RatingFact(r.at, r.level, r.counter, r.ticket_id, r.service, r.clerk, r.dossiers, r.reasons)
        insert_rating(db, centre, r.at.date(), fact)
