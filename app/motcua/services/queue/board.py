"""The display board and the kiosk's menu, assembled from the configuration and a few indexed reads."""

from __future__ import annotations

from datetime import date, datetime

from sqlite_utils import Database

from motcua.domain.queue import business_day
from motcua.domain.queue_config import END_OF_DAY, QueueConfig, ServiceConfig
from motcua.domain.queue_views import Board, CounterView, KioskView, QueueEvent, ServiceView
from motcua.services.queue.supervision import todays_counters
from motcua.store import queue_ratings
from motcua.store import queue_read as reads


def hours_text(svc: ServiceConfig) -> str:
    """ "07:00–11:30, 13:30–17:00" for messages and the kiosk."""
    return ", ".join(f"{a:%H:%M}–{'24:00' if b == END_OF_DAY else f'{b:%H:%M}'}" for a, b in svc.hours)


def service_views(config: QueueConfig, waiting: dict[str, int], now: datetime) -> tuple[ServiceView, ...]:
    return tuple(ServiceView(s.code, s.name, s.prefix, s.is_open(now), waiting.get(s.code, 0)) for s in config.services)


def build_kiosk_view(config: QueueConfig, waiting: dict[str, int], now: datetime) -> KioskView:
    groups = tuple((g.code, g.label) for g in config.priority_groups)
    return KioskView(config.centre_name, service_views(config, waiting, now), groups)


def distinct_calls(db: Database, centre: str, day: date, limit: int) -> list[QueueEvent]:
    """Today's last ``limit`` numbers called, newest first, each once: a recall moves its number to the top of the
    list instead of listing it twice (and pushing an older number off the board)."""
    if limit <= 0:
        return []
    fetch = limit * 2
    while True:
        events = reads.last_calls(db, centre, day, fetch)
        seen: set[int] = set()
        calls = []
        for e in events:
            key = e.ticket_id if e.ticket_id is not None else -e.seq
            if key not in seen:
                seen.add(key)
                calls.append(e)
        if len(calls) >= limit or len(events) < fetch:
            return calls[:limit]
        fetch *= 2


def build_board(db: Database, config: QueueConfig, now: datetime, last_calls: int) -> Board:
    """The board as of now; ``seq`` is read first, so the content is never older than the sequence it claims."""
    centre = config.centre_id
    seq = reads.latest_seq(db, centre)
    day = business_day(now)
    active = reads.board_tickets(db, centre, day)
    paused = reads.paused_counters(db, centre)
    present = queue_ratings.presence(db, centre)
    counters = []
    for c in todays_counters(db, config, day):  # a counter reassigned for today shows today's services
        t_id, t_display, t_state = active.get(c.number, (None, None, None))
        counters.append(
            CounterView(
                c.number, c.name, c.number in paused, c.services, t_id, t_display, t_state,
                present.get(c.number, ("", now))[0],
            )
        )  # fmt: skip
    calls = distinct_calls(db, centre, day, max(0, min(last_calls, 100)))
    waiting = reads.waiting_counts(db, centre, day)
    return Board(
        seq, day, now.replace(microsecond=0), tuple(counters), tuple(calls), service_views(config, waiting, now)
    )
