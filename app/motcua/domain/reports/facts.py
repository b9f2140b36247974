"""The records a report is computed from: free of anything the reports do not print (no applicant, no ID number).

The store layer fills them (``motcua.store.report_facts``): dossiers from the workstation database (a supervisor's
workstation holds every dossier of its centre), tickets, ratings and counters from the centre's queue.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from motcua.domain.dossier import Event, Timeliness, effective_events, timeliness
from motcua.domain.procedures import Channel
from motcua.domain.queue import TicketState
from motcua.domain.status import Action, Status
from motcua.i18n import tr

# The statuses that end a dossier's handling without a result (returned to the citizen, withdrawn, stopped).
WITHOUT_RESULT = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)


class Outcome(StrEnum):
    RESOLVED = "resolved"  # a result (Đã xử lý xong / Đã trả kết quả)
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"


_OUTCOME_OF = {
    Status.RESOLVED: Outcome.RESOLVED,
    Status.RETURNED: Outcome.RESOLVED,
    Status.REFUSED: Outcome.REFUSED,
    Status.WITHDRAWN: Outcome.WITHDRAWN,
    Status.STOPPED: Outcome.STOPPED,
}


@dataclass(frozen=True, slots=True)
class Settled:
    """What a dossier's whole history says, as of its last step: kept by the store beside the dossier, so that a
    long report reads the history only of the dossiers whose state it asks at an earlier time.

    Attributes:
        last_at: the time of its last step (its state is this from then on).
        end: how and when its handling ended (None: still open).
        judgement: the Decision 766 judgement of an ended dossier (None while open).
    """

    last_at: datetime | None
    status: Status
    end: tuple[Outcome, datetime] | None
    judgement: Timeliness | None
    due_at: datetime | None
    holder: str


@dataclass(frozen=True)
class DossierFact:
    """A dossier as the reports see it.

    Attributes:
        agency_id: the agency that received it (its code's).
        original_due_at: the appointment printed on the receipt (what on-time is judged against).
        events: the whole history, undone steps included (``effective`` leaves them out); empty when the store gave
            ``settled`` instead (only asked about after its last step).
        settled: its state after its last step, when the store had it; else computed from ``events``.
        digitized: its components carry scanned files; ``reused``: one of them re-used an earlier dossier's file.
        result_digitized: an electronic result is attached (not recorded by this version: always False).
        apology: a Mẫu 04 apology letter was printed for it.
    """

    code: str
    procedure_code: str
    procedure_name: str
    sector: str
    agency_id: str
    channel: Channel
    received_at: datetime
    original_due_at: datetime | None
    status: Status
    received_by: str
    events: tuple[Event, ...] = ()
    digitized: bool = False
    reused: bool = False
    result_digitized: bool = False
    apology: bool = False
    fee_vnd: int = 0
    settled: Settled | None = None

    # Not slots: what follows from the whole history is computed once per dossier and kept in the instance's
    # __dict__ (a year's report asks ~10 times per dossier; functools.cached_property takes a lock each time).
    @property
    def _whole(self) -> tuple[Event, ...]:
        memo = self.__dict__
        if "_w" not in memo:
            if self.settled is not None and not self.events:
                raise LookupError(f"{self.code}: the history was not read")  # a loader's mistake, not the user's
            memo["_w"] = tuple(effective_events(self.events))
        return memo["_w"]

    @property
    def final(self) -> Settled:
        """Its state after its last step (from the store, or computed once from the history)."""
        memo = self.__dict__
        if "_f" not in memo:
            memo["_f"] = self.settled if self.settled is not None else self._settle()
        return memo["_f"]

    def _settle(self) -> Settled:
        whole = self._whole
        last = max((e.at for e in self.events), default=None)
        end = self._ended(whole)
        judgement = timeliness(self.original_due_at, whole, last) if end is not None and last is not None else None
        return Settled(
            last,
            whole[-1].status_after if whole else self.status,
            end,
            judgement,
            _due(self.original_due_at, whole),
            _holder(self.agency_id, whole),
        )

    def effective(self, as_of: datetime | None = None) -> Sequence[Event]:
        """The history without undone steps, up to ``as_of`` (inclusive)."""
        if as_of is None or self._at(as_of) is not None:
            return self._whole
        return effective_events([e for e in self.events if e.at <= as_of])

    def _at(self, as_of: datetime | None) -> Settled | None:
        """The final state when ``as_of`` sees the whole history (then it answers), else None."""
        f: Settled = self.__dict__.get("_f") or self.final
        return f if as_of is None or f.last_at is None or f.last_at <= as_of else None

    def ended(self, as_of: datetime | None = None) -> tuple[Outcome, datetime] | None:
        """How and when its handling ended by ``as_of`` (see :meth:`_ended`)."""
        f = self._at(as_of)
        return f.end if f is not None else self._ended(self.effective(as_of))

    @staticmethod
    def _ended(events: Sequence[Event]) -> tuple[Outcome, datetime] | None:
        """How and when its handling ended: with a result (the first "resolved", or a return that follows no
        stop), else at the first refusal, withdrawal or stop."""
        stopped = False
        for e in events:
            stopped = stopped or e.status_after is Status.STOPPED
            # a stopped dossier's papers handed back (status 10 after 8) are not a result
            if e.status_after is Status.RESOLVED or (e.status_after is Status.RETURNED and not stopped):
                return Outcome.RESOLVED, e.at
        for e in events:
            if e.status_after in WITHOUT_RESULT:
                return _OUTCOME_OF[e.status_after], e.at
        return None

    @property
    def closed_at(self) -> datetime | None:
        """When its handling ended, as things stand (None: still open)."""
        end = self.final.end
        return end[1] if end else None

    def concerns(self, begin: datetime, finish: datetime) -> bool:
        """Whether anything of ``begin``–``finish`` can be about it: received by the end, not ended before."""
        return self.received_at <= finish and (self.closed_at is None or self.closed_at >= begin)

    def status_at(self, as_of: datetime) -> Status:
        f = self._at(as_of)
        if f is not None:
            return f.status
        events = self.effective(as_of)
        return events[-1].status_after if events else self.status

    def due_at(self, as_of: datetime | None = None) -> datetime | None:
        """The appointment in force at ``as_of``: moved by supplements and extensions, else the original one."""
        f = self._at(as_of)
        return f.due_at if f is not None else _due(self.original_due_at, self.effective(as_of))

    def judged(self, as_of: datetime) -> Timeliness:
        """On time, early, late (ended) or within time / overdue (still open), as Decision 766 judges it."""
        f = self._at(as_of)
        if f is not None and f.judgement is not None:
            return f.judgement
        return timeliness(self.original_due_at, self.effective(as_of), as_of)

    def holder(self, as_of: datetime | None = None) -> str:
        """The agency handling it: the last one it was transferred to, else the one that received it."""
        f = self._at(as_of)
        return f.holder if f is not None else _holder(self.agency_id, self.effective(as_of))

    def was_received_by(self, as_of: datetime) -> bool:
        if self.received_at > as_of:
            return False
        f = self._at(as_of)
        return (f.status if f is not None else self.status_at(as_of)) is not Status.NEW_ONLINE

    def needs_history(self, checkpoints: Sequence[datetime]) -> bool:
        """Whether a report asking at ``checkpoints`` (sorted) needs its history: it is still open (its judgement
        moves with the time asked), or some checkpoint falls between its reception and its last step."""
        s = self.final
        if s.end is None or s.last_at is None:
            return True
        i = bisect_left(checkpoints, self.received_at)  # checkpoints are sorted: the first not before reception
        return i < len(checkpoints) and checkpoints[i] < s.last_at


def _due(original: datetime | None, events: Sequence[Event]) -> datetime | None:
    due = original
    for e in events:
        if e.due_after is not None:
            due = e.due_after
    return due


def _holder(agency: str, events: Sequence[Event]) -> str:
    for e in events:
        if e.action is Action.TRANSFER and e.agency:
            agency = e.agency
    return agency


@dataclass(frozen=True, slots=True)
class TicketFact:
    """One queue ticket of the day (tickets hold no personal data)."""

    id: int
    business_day: date
    service: str
    display: str
    state: TicketState
    issued_at: datetime
    counter: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    priority_group: str | None = None
    dossiers: tuple[str, ...] = ()

    def wait_s(self, now: datetime) -> float | None:
        """Seconds from the kiosk to the first call; still waiting: until ``now``; never called: None."""
        if self.called_at is not None:
            return max((self.called_at - self.issued_at).total_seconds(), 0.0)
        if self.state in (TicketState.WAITING, TicketState.TRANSFERRED):
            return max((now - self.issued_at).total_seconds(), 0.0)
        return None

    def service_s(self) -> float | None:
        """Seconds at the counter (started, or called when the clerk never pressed start, to finished)."""
        begin = self.started_at or self.called_at
        if self.state is not TicketState.DONE or begin is None or self.finished_at is None:
            return None
        return max((self.finished_at - begin).total_seconds(), 0.0)


class RatingLevel(StrEnum):
    """The three choices of the rating pad (the scale provincial systems report on)."""

    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    DISSATISFIED = "dissatisfied"

    @property
    def label(self) -> str:
        return {
            RatingLevel.VERY_SATISFIED: tr("Rất hài lòng"),
            RatingLevel.SATISFIED: tr("Hài lòng"),
            RatingLevel.DISSATISFIED: tr("Không hài lòng"),
        }[self]

    @property
    def satisfied(self) -> bool:
        return self is not RatingLevel.DISSATISFIED


@dataclass(frozen=True, slots=True)
class RatingFact:
    """A citizen's rating of one service at a counter: tied to the ticket, its dossiers and the clerk serving.

    ``reasons`` are codes of the configured list (for a "not satisfied" rating only).
    """

    at: datetime
    level: RatingLevel
    counter: int
    ticket_id: int | None = None
    service: str = ""
    clerk: str = ""
    dossiers: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


class CounterActivity(StrEnum):
    SERVING = "serving"  # a citizen at the counter (called or served)
    PAUSED = "paused"
    IDLE = "idle"  # open, nobody at it
    CLOSED = "closed"  # nobody signed in


@dataclass(frozen=True, slots=True)
class CounterFact:
    """A counter right now: who is signed in, what it does and since when."""

    number: int
    name: str
    services: tuple[str, ...]
    activity: CounterActivity
    since: datetime | None = None
    clerk: str = ""
    ticket: str | None = None


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """What the queue says about a range of business days (and, for today, the counters now)."""

    tickets: tuple[TicketFact, ...] = ()
    ratings: tuple[RatingFact, ...] = ()
    counters: tuple[CounterFact, ...] = ()
    service_names: tuple[tuple[str, str], ...] = ()
    # Dossiers given an apology letter (Mẫu 04) at any counter of the centre, as its audit log holds them: a
    # supervisor's PC on the LAN receives the dossiers but not the other counters' audit entries.
    apologies: tuple[str, ...] = ()
