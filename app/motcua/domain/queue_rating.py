"""The rating rules: which ticket a touch on a counter's pad rates, which ticket a number typed at the kiosk rates,
which reasons go with which level, and how many wrong numbers a kiosk may try. Pure Python.

A pad sits at one counter and knows nothing of the citizen in front of it; the centre decides what was rated:

1. the ticket being served at the counter (started);
2. else the ticket finished there last, within the configured minutes, if nobody rated it yet: the citizen often
   touches the pad while the clerk already calls the next number;
3. else the ticket only called to the counter (a clerk may serve without pressing "start");
4. else the last finished one even though it was rated: the insert is then refused (one rating per ticket);
5. nothing at all: :class:`NothingToRateError`.

At the kiosk the citizen types the number printed on their ticket instead: only a ticket of today, finished
(``done``) and not yet rated, may be rated there (:func:`kiosk_ticket`). The number is short and runs in order, so
each kiosk may try only a few wrong numbers in a row (:class:`WrongTries`).
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
from collections.abc import Callable, Sequence

from motcua.domain.errors import ConflictError, MotcuaError, NotFoundError, ValidationError
from motcua.domain.numbers import SEPARATORS, ascii_digits
from motcua.domain.queue import Ticket, TicketState
from motcua.domain.queue_config import RatingConfig
from motcua.domain.reports.facts import RatingFact, RatingLevel
from motcua.i18n import tr

WRONG_TRIES = 5  # wrong numbers a kiosk may try in a row: a citizen mistypes once or twice, a script far more
WRONG_TRY_EVERY_S = 30.0  # …then one more every this many seconds (120 an hour: not a day's numbers)
MAX_TYPED = 32  # characters of a typed number looked at; a ticket number has at most 2 letters and 6 digits
_TYPED = re.compile(r"([A-Z]{1,2})([0-9]{1,6})")


class NothingToRateError(MotcuaError):
    """No ticket at the counter, and none finished there recently: there is no service to rate."""


class AlreadyRatedError(ConflictError):
    """This ticket's service has been rated already (one rating per ticket)."""


class NotFinishedError(ConflictError):
    """The ticket typed at the kiosk exists today but its service is not finished (or never took place)."""


class TooManyTriesError(MotcuaError):
    """This kiosk tried too many wrong ticket numbers lately; ``retry_after_s``: when it may try again."""

    def __init__(self, message: str, retry_after_s: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def ticket_to_rate(
    active: Ticket | None, finished: Ticket | None, is_rated: Callable[[int], bool], counter: int
) -> Ticket:
    """The ticket a rating at ``counter`` is for (see the module's rules).

    Args:
        active: the ticket called or served at the counter now.
        finished: the ticket finished there last within the rating window.
        is_rated: whether a ticket id already has its rating.
        counter: for the message.

    Raises:
        NothingToRateError: neither ticket exists.
    """
    if active is not None and active.state is TicketState.SERVING:
        return active
    if finished is not None and not is_rated(finished.id):
        return finished
    if active is not None:
        return active
    if finished is not None:
        return finished
    raise NothingToRateError(tr("Hiện chưa có lượt phục vụ nào ở quầy {counter} để đánh giá", counter=counter))


def checked_reasons(level: RatingLevel, reasons: Sequence[str], config: RatingConfig) -> tuple[str, ...]:
    """The reason codes of a rating, each once, in the order given.

    Raises:
        ValidationError: reasons on a satisfied rating (they are complaints), or a code not in the configured list.
    """
    codes = tuple(dict.fromkeys(str(r) for r in reasons))
    if codes and level.satisfied:
        raise ValidationError(tr("Chỉ đánh giá \u201cKhông hài lòng\u201d mới kèm lý do"), "reasons")
    unknown = [c for c in codes if config.reason(c) is None]
    if unknown:
        raise ValidationError(tr("Không có lý do đánh giá {codes}", codes=", ".join(unknown)), "reasons")
    return codes


# -- the kiosk: a number typed by the citizen -----------------------------------------------------------------
def typed_number(text: str) -> tuple[str, int]:
    """The prefix and number of a ticket number typed any way: "a 12", "Ａ０１２", "ht-012" → ("A", 12), ("HT", 12).

    Raises:
        ValidationError: not one or two letters followed by digits.
    """
    plain = "".join(ch for ch in ascii_digits(text[:MAX_TYPED]) if ch not in SEPARATORS).upper()
    found = _TYPED.fullmatch(plain)
    if found is None:
        raise ValidationError(tr("Số thứ tự gồm chữ cái và chữ số in trên phiếu, ví dụ A012: hãy nhập lại"), "display")
    return found[1], int(found[2])


def kiosk_ticket(ticket: Ticket | None, display: str, rated: bool) -> Ticket:
    """The ticket a rating typed at the kiosk is for: today's ticket ``display``, finished and not yet rated.

    Args:
        ticket: today's ticket of that number, if any (the caller looked it up by its service and number).
        display: the number as printed (for the messages).
        rated: whether that ticket has its rating already.

    Raises:
        NotFoundError: no such ticket today. NotFinishedError: not served to the end (waiting, at a counter,
        transferred), or never served (no-show, withdrawn). AlreadyRatedError: rated already (here or at the pad).
    """
    if ticket is None:
        raise NotFoundError(tr("Hôm nay không có số thứ tự {number}", number=display))
    if ticket.state in (TicketState.NO_SHOW, TicketState.CANCELLED):
        raise NotFinishedError(tr("Số {number} không được phục vụ nên không thể đánh giá", number=display))
    if ticket.state is not TicketState.DONE or ticket.counter is None:
        raise NotFinishedError(
            tr("Số {number} chưa được phục vụ xong: xin đánh giá sau khi làm xong việc tại quầy", number=display)
        )
    if rated:
        raise AlreadyRatedError(tr("Lượt phục vụ số {number} đã được đánh giá", number=display))
    return ticket


def public_rating(fact: RatingFact) -> RatingFact:
    """A rating as a kiosk may be told it: without the clerk who served, and without the dossiers (a kiosk is a
    public screen, and anyone may type any number on it)."""
    return dataclasses.replace(fact, clerk="", dossiers=())


class WrongTries:
    """The wrong ticket numbers each kiosk may still try: ``burst`` in a row, then one more every ``every_s``.

    A ticket number is short and today's numbers run in order, so a script at a kiosk could otherwise try them all
    and rate other citizens' services; a citizen who mistypes once or twice never notices. Kept in memory (a
    restart forgives), for at most ``size`` kiosks; thread-safe (the server answers on several threads).
    """

    def __init__(self, burst: int = WRONG_TRIES, every_s: float = WRONG_TRY_EVERY_S, size: int = 256) -> None:
        self.burst = burst
        self.every_s = every_s
        self.size = size
        self._left: dict[str, tuple[float, float]] = {}  # kiosk → (tries left, when counted)
        self._lock = threading.Lock()

    def _now_left(self, kiosk: str, now: float) -> float:
        left, at = self._left.get(kiosk, (float(self.burst), now))
        return min(float(self.burst), left + max(0.0, now - at) / self.every_s)  # a clock set back gives nothing

    def check(self, kiosk: str, now: float) -> None:
        """Raises :class:`TooManyTriesError` when ``kiosk`` has no try left at ``now`` (seconds)."""
        with self._lock:
            left = self._now_left(kiosk, now)
        if left < 1.0 - 1e-9:
            wait = (1.0 - left) * self.every_s
            raise TooManyTriesError(
                tr(
                    "Đã nhập sai số thứ tự quá nhiều lần; xin thử lại sau {s} giây hoặc hỏi cán bộ hướng dẫn",
                    s=math.ceil(wait),
                ),
                wait,
            )

    def missed(self, kiosk: str, now: float) -> None:
        """Count one wrong number of ``kiosk``."""
        with self._lock:
            left = max(0.0, self._now_left(kiosk, now) - 1.0)
            self._left.pop(kiosk, None)  # re-inserted last: the dict's order is the order of the last wrong number
            self._left[kiosk] = (left, now)
            if len(self._left) > self.size:
                del self._left[next(iter(self._left))]  # the kiosk counted longest ago
