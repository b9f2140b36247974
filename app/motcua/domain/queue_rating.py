"""The rating pad's rules: which ticket a touch on the pad rates, and which reasons go with which level. Pure Python.

A pad sits at one counter and knows nothing of the citizen in front of it; the centre decides what was rated:

1. the ticket being served at the counter (started);
2. else the ticket finished there last, within the configured minutes, if nobody rated it yet: the citizen often
   touches the pad while the clerk already calls the next number;
3. else the ticket only called to the counter (a clerk may serve without pressing "start");
4. else the last finished one even though it was rated: the insert is then refused (one rating per ticket);
5. nothing at all: :class:`NothingToRateError`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from motcua.domain.errors import ConflictError, MotcuaError, ValidationError
from motcua.domain.queue import Ticket, TicketState
from motcua.domain.queue_config import RatingConfig
from motcua.domain.reports.facts import RatingLevel
from motcua.i18n import tr


class NothingToRateError(MotcuaError):
    """No ticket at the counter, and none finished there recently: there is no service to rate."""


class AlreadyRatedError(ConflictError):
    """This ticket's service has been rated already (one rating per ticket)."""


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
