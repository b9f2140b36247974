"""The one interface the kiosk, the counter panel and the display board code against.

Two implementations: :class:`motcua.services.queue.service.QueueService` works on the centre database in this
process (a one-PC centre, and the centre server itself); ``motcua.sync.queue_client.HttpQueueClient`` talks to a
centre server over HTTP. Both raise the same errors (subclasses of :class:`~motcua.domain.errors.MotcuaError` whose
message is ready to show), and both return the same frozen records from :mod:`motcua.domain.queue_views`.

Every write takes an optional ``key`` (idempotency key): a request repeated with the same key is carried out once
and answered again with the first result; the HTTP client makes one per call and reuses it on its retries.

Counter operations name the counter *and* the ticket the clerk sees, so that a stale screen cannot finish or
transfer the wrong citizen: the centre refuses with a :class:`~motcua.domain.errors.ConflictError`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Protocol

from motcua.domain.device_health import SILENT_AFTER_S, DeviceHealth, DeviceRole, PaperState
from motcua.domain.queue import Ticket
from motcua.domain.queue_views import (
    Board,
    CounterView,
    IssuedTicket,
    KioskView,
    QueueEvent,
    RatingPadView,
    TicketRatingView,
)
from motcua.domain.reports.facts import QueueSnapshot, RatingFact, RatingLevel


class Closeable(Protocol):
    def close(self) -> None: ...


class QueueApi(Protocol):
    # -- kiosk ------------------------------------------------------------------------------------------
    def kiosk_view(self) -> KioskView:
        """The services (open now or not, with waiting counts) and the priority groups of the button."""
        ...

    def issue_ticket(
        self, service: str, priority_group: str | None = None, *, kiosk: str = "", key: str | None = None
    ) -> IssuedTicket:
        """Save a new ticket (nothing is printed here: see :class:`motcua.services.queue.kiosk.KioskService`).

        Raises:
            ServiceClosedError: outside the service's hours or days.
            NotFoundError / ValidationError: unknown service or priority group.
            MotcuaError: the day's number range is used up.
        """
        ...

    def cancel_ticket(self, ticket_id: int, *, key: str | None = None) -> Ticket:
        """Withdraw a waiting ticket that could not be printed (it was never shown to anyone)."""
        ...

    # -- counter ----------------------------------------------------------------------------------------
    def call_next(self, counter: int, *, key: str | None = None) -> Ticket | None:
        """Call the next citizen to ``counter`` (None: nobody waiting for its services).

        A ticket the counter was serving is finished first; a ticket only called (not started) must be started,
        marked no-show or transferred before, else :class:`ConflictError`. A paused counter raises
        :class:`CounterPausedError`.
        """
        ...

    def recall(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket: ...

    def start(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket: ...

    def finish(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket: ...

    def no_show(self, counter: int, ticket_id: int, *, key: str | None = None) -> Ticket: ...

    def transfer(
        self,
        counter: int,
        ticket_id: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        key: str | None = None,
    ) -> Ticket:
        """Send the citizen to another service's queue and/or to one counter; the ticket keeps its number."""
        ...

    def link_dossier(self, counter: int, ticket_id: int, dossier_code: str, *, key: str | None = None) -> Ticket: ...

    def pause(self, counter: int, *, key: str | None = None) -> CounterView: ...

    def resume(self, counter: int, *, key: str | None = None) -> CounterView: ...

    # -- ratings, presence, the day's services ----------------------------------------------------------
    def rate(
        self, counter: int, level: RatingLevel, reasons: Sequence[str] = (), *, key: str | None = None
    ) -> RatingFact:
        """A citizen's rating at ``counter``'s pad, of the ticket the centre picks (:mod:`motcua.domain.queue_rating`).

        ``service``, ``clerk`` and ``dossiers`` are filled by the centre, never by the pad.

        Raises:
            NothingToRateError: nobody is served there, and nobody was in the last minutes.
            AlreadyRatedError: that ticket has its rating (a :class:`ConflictError`, HTTP 409).
            ValidationError: reasons on a satisfied rating, or a reason code not in queue.toml ``[rating]``.
        """
        ...

    def rating_view(self, counter: int) -> RatingPadView:
        """What ``counter``'s pad shows: the reasons offered and the number a rating would go to now."""
        ...

    def ticket_rating_view(self, display: str, *, kiosk: str = "") -> TicketRatingView:
        """The ticket a citizen typed at the kiosk, if they may rate it: today's, finished, not yet rated.

        ``display`` is the number as typed ("a 12", "Ａ０１２" and "A012" are one number). Every refusal counts as a
        wrong try of ``kiosk`` (over HTTP: the calling device); after a few in a row the kiosk must wait.

        Raises:
            ValidationError: not a ticket number. NotFoundError: no such ticket today.
            NotFinishedError: not served to the end, or never served (a :class:`ConflictError`, HTTP 409).
            AlreadyRatedError: rated already, here or at the counter's pad.
            TooManyTriesError: too many wrong numbers from this kiosk lately (HTTP 429).
            MotcuaError: the centre takes no rating at its kiosks (queue.toml ``[rating] kiosk = false``).
        """
        ...

    def rate_ticket(
        self,
        display: str,
        level: RatingLevel,
        reasons: Sequence[str] = (),
        *,
        kiosk: str = "",
        key: str | None = None,
    ) -> RatingFact:
        """Rate the service of the ticket typed at the kiosk (checked as in :meth:`ticket_rating_view`).

        The rating is saved with the ticket's counter, service, dossiers and the clerk who served it, but the
        answer carries neither the clerk (``""``) nor the dossiers (``()``): a kiosk is a public screen.

        Raises:
            as :meth:`ticket_rating_view`, and ValidationError: reasons that do not go with ``level``.
        """
        ...

    def set_clerk(self, counter: int, clerk: str | None, *, key: str | None = None) -> CounterView:
        """Who is signed in at ``counter`` (a username; None when the clerk signs out or the app closes)."""
        ...

    def assign_services(self, counter: int, services: Sequence[str], *, key: str | None = None) -> CounterView:
        """Give ``counter`` these services, in this order of preference, for today only (queue.toml again tomorrow).

        Raises:
            ValidationError: an empty list or an unknown service.
        """
        ...

    def snapshot(self, start: date, end: date, tickets: bool = True) -> QueueSnapshot:
        """Tickets and ratings of the business days ``start``–``end``, and every counter now (for the reports);
        ``tickets=False`` leaves the tickets out (a year of them is large, and the 766 estimate needs none).

        Raises:
            ValidationError: ``end`` before ``start``, or more than 366 days.
        """
        ...

    # -- devices' health --------------------------------------------------------------------------------
    def report_health(
        self,
        role: DeviceRole,
        printer: PaperState,
        version: str,
        *,
        device: str = "",
        counter: int | None = None,
    ) -> DeviceHealth:
        """This device is alive, with its printer's paper and its version (a heartbeat, every minute or so).

        ``device`` and ``counter`` are the caller's in process; over HTTP they are the token's (a device cannot
        report as another). No queue event and no idempotency key: the report is an upsert, a repeat is harmless.

        Raises:
            ValidationError: an unknown role or paper state, no device name, a name or version too long.
        """
        ...

    def device_health(self, silent_after_s: float = SILENT_AFTER_S) -> list[DeviceHealth]:
        """Every device the centre heard from, each with its age and ``silent`` when not heard for longer than
        ``silent_after_s`` (by the centre's clock)."""
        ...

    # -- reads ------------------------------------------------------------------------------------------
    def board(self, last_calls: int = 10) -> Board:
        """Every counter's current number, today's last calls (newest first), waiting counts per service."""
        ...

    def ticket(self, ticket_id: int) -> Ticket: ...

    def events(self, after: int, limit: int = 200, kinds: Sequence[str] = ()) -> list[QueueEvent]:
        """Changes after sequence ``after``, oldest first (a display announces the "called"/"recalled" ones)."""
        ...

    def latest_seq(self) -> int: ...

    # -- push -------------------------------------------------------------------------------------------
    def subscribe(self, on_change: Callable[[int], None]) -> Closeable:
        """Call ``on_change(seq)`` (on a background thread) whenever the queue may have changed.

        Re-read what you show; numbers only grow but may skip, and one may repeat after a reconnection.
        """
        ...
