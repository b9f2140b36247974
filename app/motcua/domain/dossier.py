"""A dossier (hồ sơ) received at the counter, its history, and how Decision 766 judges its timeliness."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from motcua.domain.applicant import Address, Applicant
from motcua.domain.fees import FeeLine, Payment
from motcua.domain.procedures import Channel, Territory
from motcua.domain.status import Action, Status
from motcua.i18n import tr


@dataclass(frozen=True, slots=True)
class ReceivedComponent:
    """What the citizen handed over for one component: counts of originals / certified copies / photocopies."""

    code: str
    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0

    @property
    def received(self) -> bool:
        return (self.originals + self.certified_copies + self.photocopies) > 0


@dataclass(frozen=True, slots=True)
class Event:
    """One status change, timestamped and attributed; the history is append-only."""

    action: Action
    status_after: Status
    at: datetime
    clerk: str
    note: str = ""
    agency: str = ""  # for TRANSFER: the competent agency it went to
    due_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Dossier:
    code: str
    procedure_code: str
    procedure_name: str
    applicant: Applicant
    received_at: datetime
    due_at: datetime | None
    status: Status
    received_by: str
    agency_id: str
    channel: Channel = Channel.DIRECT
    sets: int = 1  # số lượng hồ sơ (bộ)
    components: tuple[ReceivedComponent, ...] = ()
    fee_vnd: int = 0
    note: str = ""
    result_delivery: str = ""  # "Đăng ký nhận kết quả tại": counter, post, …
    events: tuple[Event, ...] = field(default_factory=tuple)
    id: int | None = None
    place: Address | None = None  # where the matter is, when the procedure's territory depends on it
    territory: Territory = Territory.NONE
    submitter: Applicant | None = None  # who came to the counter, when not the dossier's owner (``applicant``)
    fees: tuple[FeeLine, ...] = ()
    payment: Payment | None = None

    @property
    def summary(self) -> str:
        return tr("{procedure} — {name}", procedure=self.procedure_name, name=self.applicant.name)

    @property
    def paid_vnd(self) -> int:
        """What was paid of the fees, at reception and later."""
        return self.payment.amount_vnd if self.payment is not None else 0

    @property
    def owed_vnd(self) -> int:
        """What the fees still ask for."""
        return max(self.fee_vnd - self.paid_vnd, 0)


class Timeliness(StrEnum):
    EARLY = "early"  # Trước hạn
    ON_TIME = "on_time"  # Đúng hạn
    LATE = "late"  # Quá hạn
    PENDING = "pending"  # not finished and not yet overdue
    OVERDUE = "overdue"  # not finished and already past the due time

    @property
    def label(self) -> str:
        return tr(
            {
                "early": "Trước hạn",
                "on_time": "Đúng hạn",
                "late": "Quá hạn",
                "pending": "Trong hạn",
                "overdue": "Đã quá hạn",
            }[self.value]
        )


_END_PREFERENCE = (Status.RESOLVED, Status.RETURNED, Status.REFUSED, Status.STOPPED, Status.WITHDRAWN)


def effective_events(events: Sequence[Event]) -> list[Event]:
    """The history without the steps that were undone (and without the undos): what the rules count."""
    kept: list[Event] = []
    for e in events:
        if e.action is Action.UNDO:
            for i in range(len(kept) - 1, 0, -1):  # never the reception (index 0)
                if kept[i].action is not Action.RECEIVE:
                    del kept[i]
                    break
        else:
            kept.append(e)
    return kept


def supplement_pause(events: Sequence[Event], payment_pauses: bool = False) -> tuple[timedelta, int]:
    """Total time the clock stood still — waiting for the citizen's supplements, and for their payment where the
    procedure says so — and how many supplements were requested."""
    total = timedelta()
    requested_at: datetime | None = None
    payment_at: datetime | None = None
    count = 0
    for e in events:
        if e.action is Action.REQUEST_SUPPLEMENT:
            requested_at = e.at
            count += 1
        elif e.action is Action.SUPPLY and requested_at is not None:
            total += e.at - requested_at
            requested_at = None
        elif e.action is Action.REQUEST_PAYMENT and payment_pauses:
            payment_at = e.at
        elif e.action is Action.PAY and payment_at is not None:
            total += e.at - payment_at
            payment_at = None
    return total, count


def end_of_processing(events: Sequence[Event]) -> datetime | None:
    """The time of the first terminal status, "resolved" preferred over "returned" (766 indicator 2.1)."""
    for status in _END_PREFERENCE:
        for e in events:
            if e.status_after is status:
                return e.at
    return None


def timeliness(
    original_due: datetime | None, events: Sequence[Event], now: datetime, payment_pauses: bool = False
) -> Timeliness:
    """Judge a dossier as Decision 766 does.

    The clock stops while a supplement is awaited; more than one supplement request counts as overdue;
    a dossier whose only step after reception is one supplement request counts that request as its end.
    """
    events = effective_events(events)
    pause, requests = supplement_pause(events, payment_pauses)
    end = end_of_processing(events)
    if requests > 1:
        return Timeliness.LATE
    if end is None and requests == 1 and events and events[-1].action is Action.REQUEST_SUPPLEMENT:
        end = events[-1].at
        pause = timedelta()
    if original_due is None:
        return Timeliness.ON_TIME if end is not None else Timeliness.PENDING
    if end is None:
        return Timeliness.OVERDUE if now - pause > original_due else Timeliness.PENDING
    effective = end - pause
    if effective > original_due:
        return Timeliness.LATE
    if effective.date() < original_due.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME
