"""The citizen queue: tickets, their state machine, the business day and the call-next policy. Pure Python.

A ticket is numbered per (centre, business day, issuing service): numbers restart each day and the old days stay
in the history. A ticket that is transferred keeps its number (it is what the citizen holds) and waits again in
its new queue, or for one counter only.

State machine::

    waiting ──call──> called ──start──> serving ──finish──> done
       │                │ ▲ recall         │
       │                │ └─────┘          └──transfer──> transferred ──call──> called …
       │                ├──no-show──> no_show
       │                ├──finish──> done          (served without pressing start)
       │                └──transfer──> transferred
       └──cancel──> cancelled                      (the kiosk could not print it: never shown to anyone)

No personal data is held: a ticket knows its priority *group* ("elderly"), never who holds it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from motcua.domain.errors import MotcuaError, TransitionError
from motcua.domain.queue_config import CounterConfig, QueuePolicy
from motcua.i18n import tr


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"

    @property
    def callable(self) -> bool:
        return self in CALLABLE

    @property
    def active(self) -> bool:
        """At a counter right now (at most one such ticket per counter)."""
        return self in (TicketState.CALLED, TicketState.SERVING)

    @property
    def label(self) -> str:
        return {
            TicketState.WAITING: tr("Đang chờ"),
            TicketState.CALLED: tr("Đã gọi"),
            TicketState.SERVING: tr("Đang phục vụ"),
            TicketState.DONE: tr("Đã xong"),
            TicketState.NO_SHOW: tr("Vắng mặt"),
            TicketState.TRANSFERRED: tr("Đã chuyển"),
            TicketState.CANCELLED: tr("Đã hủy"),
        }[self]


CALLABLE = frozenset({TicketState.WAITING, TicketState.TRANSFERRED})

TRANSITIONS: dict[TicketState, frozenset[TicketState]] = {
    TicketState.WAITING: frozenset({TicketState.CALLED, TicketState.CANCELLED}),
    TicketState.TRANSFERRED: frozenset({TicketState.CALLED, TicketState.CANCELLED}),
    TicketState.CALLED: frozenset(
        {TicketState.CALLED, TicketState.SERVING, TicketState.DONE, TicketState.NO_SHOW, TicketState.TRANSFERRED}
    ),
    TicketState.SERVING: frozenset({TicketState.DONE, TicketState.TRANSFERRED}),
    TicketState.DONE: frozenset(),
    TicketState.NO_SHOW: frozenset(),
    TicketState.CANCELLED: frozenset(),
}


def check_transition(display: str, current: TicketState, target: TicketState) -> None:
    """Raise :class:`TransitionError` unless the state machine allows ``current`` → ``target``."""
    if target not in TRANSITIONS[current]:
        raise TransitionError(
            tr(
                "Số {number} đang ở trạng thái \u201c{state}\u201d, không thể chuyển sang \u201c{target}\u201d",
                number=display,
                state=current.label,
                target=target.label,
            )
        )


@dataclass(frozen=True, slots=True)
class Ticket:
    """A queue ticket as stored; ``service`` numbered it, ``queue`` is where it waits now (after a transfer).

    Attributes:
        uid: the public id printed as the QR code (random: says nothing about the citizen).
        target_counter: set when the ticket was transferred to one counter: only that counter may call it.
        calls: how many times it was called (recalls included).
    """

    id: int
    uid: str
    centre: str
    business_day: date
    service: str
    number: int
    display: str
    queue: str
    priority_group: str | None
    state: TicketState
    issued_at: datetime
    kiosk: str
    counter: int | None = None
    target_counter: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    calls: int = 0
    dossiers: tuple[str, ...] = ()

    @property
    def priority(self) -> bool:
        return self.priority_group is not None


def business_day(now: datetime) -> date:
    """The business day a moment belongs to; numbering restarts when it changes."""
    return now.date()


def display_number(prefix: str, number: int, digits: int = 3) -> str:
    """What the citizen reads: the prefix and the zero-padded number ("A012")."""
    return f"{prefix}{number:0{digits}d}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A callable ticket as call-next sees it: only what the policy needs."""

    ticket_id: int
    queue: str
    priority: bool
    issued_at: datetime
    target_counter: int | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    ticket_id: int
    priority_streak: int  # the counter's run of priority calls after this one
    reason: str  # "targeted", "overdue", "nth", "priority", "regular": for the log and the tests


def choose_next(
    counter: CounterConfig,
    candidates: Sequence[Candidate],
    now: datetime,
    policy: QueuePolicy,
    priority_streak: int,
) -> Choice | None:
    """The ticket a counter calls next, or None when nothing it serves is waiting.

    1. A ticket transferred to this very counter comes first (it has already waited once).
    2. Otherwise the counter takes its services in its order of preference, and serves the first that has anyone
       waiting. Within that service a priority ticket goes first, except that a regular ticket goes first when
       it has waited ``max_regular_wait_min`` or longer, or when the counter has just made
       ``regular_every_nth - 1`` priority calls in a row. Within a kind, the oldest ticket (by issue) goes first.

    Args:
        counter: the calling counter and its services in preference order.
        candidates: callable tickets of today (the store may pass only the oldest of each kind per queue).
        now: the time of the call.
        policy: the centre's bounds.
        priority_streak: priority calls in a row this counter made before this one.
    """
    targeted = [c for c in candidates if c.target_counter == counter.number]
    if targeted:
        pick = min(targeted, key=lambda c: c.ticket_id)
        return Choice(pick.ticket_id, priority_streak + 1 if pick.priority else 0, "targeted")
    free = [c for c in candidates if c.target_counter is None]
    for service in counter.services:
        waiting = [c for c in free if c.queue == service]
        if not waiting:
            continue
        regular = min((c for c in waiting if not c.priority), key=lambda c: c.ticket_id, default=None)
        priority = min((c for c in waiting if c.priority), key=lambda c: c.ticket_id, default=None)
        if priority is None:
            assert regular is not None
            return Choice(regular.ticket_id, 0, "regular")
        if regular is None:
            return Choice(priority.ticket_id, priority_streak + 1, "priority")
        bound = policy.max_regular_wait_min
        if bound > 0 and now - regular.issued_at >= timedelta(minutes=bound):
            return Choice(regular.ticket_id, 0, "overdue")
        if policy.regular_every_nth > 0 and priority_streak + 1 >= policy.regular_every_nth:
            return Choice(regular.ticket_id, 0, "nth")
        return Choice(priority.ticket_id, priority_streak + 1, "priority")
    return None


def estimate_wait_min(
    people_ahead: int, open_counters: int, recent_service_s: Sequence[float], policy: QueuePolicy
) -> int:
    """Estimated minutes until a new ticket is called, from how long the last tickets of its service took.

    With fewer than three recent services the configured default is used: one quick ticket says little.
    """
    if people_ahead <= 0:
        return 0
    recent = [s for s in recent_service_s if s > 0][-policy.recent_window :]
    per_ticket_s = sum(recent) / len(recent) if len(recent) >= 3 else policy.default_service_min * 60.0
    return math.ceil(people_ahead * per_ticket_s / max(1, open_counters) / 60.0)


class ServiceClosedError(MotcuaError):
    """The kiosk asked for a number of a service that is not taking tickets now."""


class CounterPausedError(MotcuaError):
    """A paused counter was asked to call the next citizen."""


class CentreUnreachableError(MotcuaError):
    """The centre server did not answer (after the client's retries); nothing was shown as saved."""


class AccessDeniedError(MotcuaError):
    """The centre server refused this device's token (missing, revoked, or a role that may not do this)."""
