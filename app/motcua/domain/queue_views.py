"""What the kiosk, the counter panel and the display board read: small frozen records, free of personal data.

They travel as JSON between the centre server and its clients; :mod:`motcua.domain.queue_codec` converts them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from motcua.domain.queue import Ticket, TicketState
from motcua.domain.queue_config import RatingReason


@dataclass(frozen=True, slots=True)
class IssuedTicket:
    """A ticket just saved by the centre, with what the kiosk shows and prints beside the number.

    Attributes:
        people_ahead: callable tickets that will be called before this one, as things stand.
        estimated_wait_min: from the service's recent service times and the counters open for it.
        replayed: the centre had already saved this request (a retry): the same ticket is returned.
    """

    ticket: Ticket
    service_name: str
    people_ahead: int
    estimated_wait_min: int
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class ServiceView:
    code: str
    name: str
    prefix: str
    open: bool
    waiting: int


@dataclass(frozen=True, slots=True)
class CounterView:
    """A counter as the board shows it: the number it called or serves, if any.

    ``services`` are today's (an administrator may have reassigned the counter for the day); ``clerk`` is the
    username signed in at the counter ("" when nobody is).
    """

    number: int
    name: str
    paused: bool
    services: tuple[str, ...]
    ticket_id: int | None = None
    display: str | None = None
    state: TicketState | None = None
    clerk: str = ""


@dataclass(frozen=True, slots=True)
class QueueEvent:
    """One change of the queue, in the order of the centre's sequence (``seq`` only grows).

    ``kind`` is issued, called, recalled, started, finished, no_show, transferred, cancelled, linked, paused,
    resumed, rated, clerk (someone signed in or out at a counter) or assigned (a counter's services for the day).
    """

    seq: int
    at: datetime
    kind: str
    ticket_id: int | None
    display: str | None
    counter: int | None
    queue: str | None


@dataclass(frozen=True, slots=True)
class Board:
    """The display board: the current number at each counter, the last calls, the waiting counts per service.

    ``seq`` is the last change it includes: a client that hears of a later one reads the board again.
    """

    seq: int
    business_day: date
    at: datetime
    counters: tuple[CounterView, ...]
    last_calls: tuple[QueueEvent, ...]
    services: tuple[ServiceView, ...]


@dataclass(frozen=True, slots=True)
class KioskView:
    """What the kiosk offers: the services (open or closed now), the priority groups of the button, and whether it
    takes ratings (queue.toml ``[rating] kiosk``; False from a centre older than that setting)."""

    centre_name: str
    services: tuple[ServiceView, ...]
    priority_groups: tuple[tuple[str, str], ...]  # (code, label)
    rating: bool = False


@dataclass(frozen=True, slots=True)
class RatingPadView:
    """What a counter's rating pad shows: the reasons it offers, and the number a rating would go to now.

    Never the clerk's name, never anything about the citizen (the number is what they hold on their ticket).

    Attributes:
        reasons: the configured reasons for a "not satisfied" rating (queue.toml ``[rating]``).
        display: the ticket a rating would rate now (None: nothing to rate); ``rated``: it has its rating already.
    """

    counter: int
    counter_name: str
    reasons: tuple[RatingReason, ...]
    display: str | None = None
    rated: bool = False


@dataclass(frozen=True, slots=True)
class TicketRatingView:
    """A ticket the kiosk may rate (today's, finished, not yet rated), as the citizen typed its number.

    Never the clerk's name, nor the dossiers: anyone may type any number at a kiosk.

    Attributes:
        display: the number as printed ("A012", whatever way it was typed).
        counter, counter_name: where it was served; ``service_name``: for what.
        reasons: the configured reasons for a "not satisfied" rating (queue.toml ``[rating]``).
    """

    display: str
    counter: int
    counter_name: str
    service_name: str
    reasons: tuple[RatingReason, ...]


@dataclass(frozen=True, slots=True)
class QueueChanges:
    """The answer to "what changed since N" (``GET /api/v1/changes``).

    ``events`` are those after N up to ``seq``, oldest first; the next question asks since ``seq``. ``snapshot``:
    N could not be answered with changes (its events were archived with their closed day, or N is from another
    database, or too much happened since): ``board`` is then the whole current state and ``events`` is empty —
    show the board, announce nothing of the past. ``board`` is also there when asked for (as of ``seq``).
    """

    seq: int
    snapshot: bool
    events: tuple[QueueEvent, ...]
    board: Board | None = None
