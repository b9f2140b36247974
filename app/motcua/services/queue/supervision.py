"""The supervisors' side of the queue: ratings, who is signed in at each counter, a counter's services for the
day, and the snapshot a report is computed from.

The functions take the ``db`` of the write (or a reader) the :class:`~motcua.services.queue.service.QueueService`
opened, so that each use case stays one transaction with its event and its idempotency record.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from sqlite_utils import Database

from motcua.domain.errors import MotcuaError, NotFoundError, ValidationError
from motcua.domain.queue import Ticket, business_day, display_number
from motcua.domain.queue_config import CounterConfig, QueueConfig
from motcua.domain.queue_rating import (
    AlreadyRatedError,
    NothingToRateError,
    checked_reasons,
    kiosk_ticket,
    public_rating,
    ticket_to_rate,
    typed_number,
)
from motcua.domain.queue_views import CounterView, RatingPadView, TicketRatingView
from motcua.domain.reports.facts import CounterActivity, CounterFact, QueueSnapshot, RatingFact, RatingLevel
from motcua.i18n import tr
from motcua.store import queue_ratings as ratings
from motcua.store import queue_read as reads
from motcua.store import queue_repo as repo
from motcua.store.report_facts import apology_codes, ticket_facts

MAX_REPORT_DAYS = 366  # a year, leap day included: longer ranges are refused (one request, one answer in memory)
MAX_CLERK = 64


def counter_config(config: QueueConfig, number: int) -> CounterConfig:
    cfg = config.counter(number)
    if cfg is None:
        raise NotFoundError(tr("Không có quầy số {n}", n=number))
    return cfg


def todays_counters(db: Database, config: QueueConfig, day: date) -> tuple[CounterConfig, ...]:
    """The counters with the services they serve on ``day``: an administrator's assignment wins over queue.toml."""
    assigned = ratings.assignments(db, config.centre_id, day)
    return tuple(
        dataclasses.replace(c, services=assigned[c.number]) if c.number in assigned else c for c in config.counters
    )


def todays_counter(db: Database, config: QueueConfig, day: date, number: int) -> CounterConfig:
    """One counter with the services it serves on ``day`` (one indexed read, not every counter's)."""
    cfg = counter_config(config, number)
    assigned = ratings.assignments(db, config.centre_id, day)
    return dataclasses.replace(cfg, services=assigned[number]) if number in assigned else cfg


def open_counters(db: Database, config: QueueConfig, day: date, service: str) -> int:
    """How many counters serve ``service`` on ``day`` and are not paused (the wait estimate on every ticket)."""
    paused = reads.paused_counters(db, config.centre_id)
    assigned = ratings.assignments(db, config.centre_id, day)
    serving = config.serving(service)
    if assigned:  # rare: an administrator moved counters for the day
        serving = (serving - assigned.keys()) | {n for n, codes in assigned.items() if service in codes}
    return len(serving) - len(paused & serving)


def counter_view(db: Database, config: QueueConfig, number: int, now: datetime) -> CounterView:
    """One counter as the board shows it, read inside the caller's transaction."""
    cfg = todays_counter(db, config, business_day(now), number)
    paused, _ = repo.counter_row(db, config.centre_id, number)
    t = repo.active_ticket(db, config.centre_id, number)
    clerk = ratings.presence(db, config.centre_id).get(number, ("", now))[0]
    return CounterView(
        number,
        cfg.name,
        paused,
        cfg.services,
        t.id if t else None,
        t.display if t else None,
        t.state if t else None,
        clerk,
    )


# -- ratings ---------------------------------------------------------------------------------------------------
def _candidates(db: Database, config: QueueConfig, counter: int, now: datetime) -> tuple[Ticket | None, Ticket | None]:
    active = repo.active_ticket(db, config.centre_id, counter)
    if active is not None and active.business_day < business_day(now):
        active = None  # left open when yesterday ended: not what the citizen at the pad now was served
    finished = ratings.last_finished(db, config.centre_id, counter, now, config.rating.window_min)
    return active, finished


def _save(
    db: Database,
    config: QueueConfig,
    now: datetime,
    t: Ticket,
    counter: int,
    clerk: str,
    level: RatingLevel,
    codes: tuple[str, ...],
) -> RatingFact:
    """Insert the rating of ``t`` served at ``counter`` (one per ticket) and its "rated" event."""
    fact = RatingFact(
        at=now.replace(microsecond=0),
        level=level,
        counter=counter,
        ticket_id=t.id,
        service=t.queue,  # the service it was served for here (a transfer moves a ticket to another queue)
        clerk=clerk,
        dossiers=ratings.dossier_codes(db, t.id),
        reasons=codes,
    )
    try:
        ratings.insert_rating(db, config.centre_id, t.business_day, fact)
    except sqlite3.IntegrityError:  # the unique index: a pad or a kiosk raced another for the same ticket
        raise AlreadyRatedError(tr("Lượt phục vụ số {number} đã được đánh giá", number=t.display)) from None
    repo.add_event(db, config.centre_id, now, "rated", t, counter)
    return fact


def rate(
    db: Database, config: QueueConfig, now: datetime, counter: int, level: RatingLevel, reasons: Sequence[str]
) -> RatingFact:
    """Save a citizen's rating of the service at ``counter`` (the ticket is chosen by the centre).

    Raises:
        NotFoundError: no such counter. ValidationError: reasons that do not go with ``level`` or are unknown.
        NothingToRateError: nobody is or was just served there. AlreadyRatedError: that ticket has its rating.
    """
    counter_config(config, counter)
    codes = checked_reasons(level, reasons, config.rating)
    active, finished = _candidates(db, config, counter, now)
    t = ticket_to_rate(active, finished, lambda i: ratings.is_rated(db, i), counter)
    if ratings.is_rated(db, t.id):
        raise AlreadyRatedError(tr("Lượt phục vụ số {number} đã được đánh giá", number=t.display))
    clerk = ratings.served_by(db, t.id) or ratings.presence(db, config.centre_id).get(counter, ("", now))[0]
    return _save(db, config, now, t, counter, clerk, level, codes)


def rating_view(db: Database, config: QueueConfig, counter: int, now: datetime) -> RatingPadView:
    cfg = counter_config(config, counter)
    reasons = config.rating.reasons
    active, finished = _candidates(db, config, counter, now)
    try:
        t = ticket_to_rate(active, finished, lambda i: ratings.is_rated(db, i), counter)
    except NothingToRateError:
        return RatingPadView(counter, cfg.name, reasons)
    return RatingPadView(counter, cfg.name, reasons, t.display, ratings.is_rated(db, t.id))


# -- the kiosk: a rating by the number typed --------------------------------------------------------------------
def typed_ticket(db: Database, config: QueueConfig, now: datetime, typed: str) -> Ticket:
    """Today's ticket whose number the citizen typed at the kiosk, finished and not yet rated.

    Raises:
        MotcuaError: the centre takes no rating at its kiosks (queue.toml ``[rating] kiosk = false``).
        ValidationError: not a ticket number. NotFoundError: no such ticket today. NotFinishedError: not served
        to the end. AlreadyRatedError: rated already.
    """
    if not config.rating.kiosk:
        raise MotcuaError(tr("Trung tâm không nhận đánh giá tại ki-ốt"))
    prefix, number = typed_number(typed)
    svc = next((s for s in config.services if s.prefix == prefix), None)
    display = display_number(prefix, number, svc.digits if svc else 3)
    t = None if svc is None else ratings.ticket_of_day(db, config.centre_id, business_day(now), svc.code, number)
    return kiosk_ticket(t, display, t is not None and ratings.is_rated(db, t.id))


def ticket_rating_view(db: Database, config: QueueConfig, now: datetime, typed: str) -> TicketRatingView:
    t = typed_ticket(db, config, now, typed)
    assert t.counter is not None  # (kiosk_ticket refuses a ticket served nowhere)
    cfg = config.counter(t.counter)
    svc = config.service(t.queue)
    return TicketRatingView(
        t.display,
        t.counter,
        cfg.name if cfg else tr("Quầy {n}", n=t.counter),
        svc.name if svc else t.queue,
        config.rating.reasons,
    )


def rate_ticket(
    db: Database, config: QueueConfig, now: datetime, typed: str, level: RatingLevel, reasons: Sequence[str]
) -> RatingFact:
    """Save a rating typed at the kiosk; the answer names neither the clerk nor the dossiers (they are saved).

    Raises:
        as :func:`typed_ticket`, and ValidationError: reasons that do not go with ``level`` or are unknown.
    """
    codes = checked_reasons(level, reasons, config.rating)
    t = typed_ticket(db, config, now, typed)
    assert t.counter is not None
    # Who served it was stamped when it finished; whoever is signed in at that counter now served someone else.
    return public_rating(_save(db, config, now, t, t.counter, ratings.served_by(db, t.id), level, codes))


# -- presence and the day's services --------------------------------------------------------------------------
def clean_clerk(clerk: str | None) -> str | None:
    """A username as stored (NFC, trimmed); None or blank: nobody.

    Raises:
        ValidationError: too long, or with control characters.
    """
    if clerk is None or not clerk.strip():
        return None
    name = unicodedata.normalize("NFC", clerk.strip())
    if len(name) > MAX_CLERK or not name.isprintable():
        raise ValidationError(tr("Tên đăng nhập của cán bộ không hợp lệ"), "clerk")
    return name


def set_clerk(db: Database, config: QueueConfig, now: datetime, counter: int, clerk: str | None) -> CounterView:
    """Record who is signed in at ``counter``; the same clerk again changes nothing (their "since" is kept)."""
    current = ratings.presence(db, config.centre_id).get(counter)
    if (current[0] if current else None) != clerk:
        ratings.set_presence(db, config.centre_id, counter, clerk, now)
        repo.add_event(db, config.centre_id, now, "clerk", None, counter)
    return counter_view(db, config, counter, now)


def checked_services(config: QueueConfig, services: Sequence[str]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(str(s) for s in services))
    if not codes:
        raise ValidationError(tr("Hãy chọn ít nhất một dịch vụ cho quầy"), "services")
    unknown = [c for c in codes if config.service(c) is None]
    if unknown:
        raise ValidationError(tr("Không có dịch vụ {code}", code=", ".join(unknown)), "services")
    return codes


def assign_services(
    db: Database, config: QueueConfig, now: datetime, counter: int, services: tuple[str, ...]
) -> CounterView:
    ratings.set_assignment(db, config.centre_id, business_day(now), counter, services, now)
    repo.add_event(db, config.centre_id, now, "assigned", None, counter)
    return counter_view(db, config, counter, now)


# -- the supervisor's snapshot --------------------------------------------------------------------------------
def check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(tr("Ngày kết thúc trước ngày bắt đầu"), "to")
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        raise ValidationError(tr("Khoảng thời gian dài quá {days} ngày", days=MAX_REPORT_DAYS), "to")


def counter_facts(db: Database, config: QueueConfig, now: datetime) -> tuple[CounterFact, ...]:
    """Every counter now: serving (since the call), else closed (nobody signed in), paused or idle (since the
    clerk signed in)."""
    day = business_day(now)
    present = ratings.presence(db, config.centre_id)
    paused = reads.paused_counters(db, config.centre_id)
    active = reads.active_tickets(db, config.centre_id, day)
    out = []
    for c in todays_counters(db, config, day):
        clerk, since = present.get(c.number, ("", None))
        t = active.get(c.number)
        if t is not None:
            activity, since = CounterActivity.SERVING, t.called_at
        elif not clerk:
            activity = CounterActivity.CLOSED
        else:
            activity = CounterActivity.PAUSED if c.number in paused else CounterActivity.IDLE
        out.append(CounterFact(c.number, c.name, c.services, activity, since, clerk, t.display if t else None))
    return tuple(out)


def snapshot(
    db: Database, config: QueueConfig, now: datetime, start: date, end: date, tickets: bool = True
) -> QueueSnapshot:
    """``tickets=False``: ratings and counters only (a year's 766 estimate needs no ticket)."""
    check_range(start, end)
    return QueueSnapshot(
        tickets=tuple(ticket_facts(db, config.centre_id, start, end)) if tickets else (),
        ratings=tuple(ratings.ratings_between(db, config.centre_id, start, end)),
        counters=counter_facts(db, config, now),
        service_names=tuple((s.code, s.name) for s in config.services),
        apologies=apology_codes(db),
    )
