"""How dates, times and money are written for a Vietnamese reader (and in English when it is chosen)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from motcua.i18n import tr

if TYPE_CHECKING:
    from motcua.domain.dossier import Dossier

_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def weekday(d: date) -> str:
    return tr(_WEEKDAYS[d.weekday()])


def short_date(d: date | None) -> str:
    return "" if d is None else d.strftime("%d/%m/%Y")


def short_datetime(dt: datetime | None) -> str:
    return "" if dt is None else dt.strftime("%H:%M %d/%m/%Y")


def due_phrase(dt: datetime) -> str:
    """ "9 giờ 30 phút, Thứ Sáu 27/11/2026" for the counter screen."""
    return tr(
        "{h} giờ {m:02d} phút, {weekday} {date}",
        h=dt.hour,
        m=dt.minute,
        weekday=weekday(dt.date()),
        date=short_date(dt),
    )


def money(vnd: int) -> str:
    """``"70.000 đồng"``: Vietnamese groups thousands with dots."""
    return tr("{amount} đồng", amount=f"{vnd:,}".replace(",", "."))


def money_in_words(vnd: int) -> str:
    """``"Mười bốn nghìn đồng"``: the amount as a receipt writes it out in full ("Số tiền bằng chữ")."""
    from num2words import num2words  # imported here: only the fee papers need it

    words = str(num2words(vnd, lang="vi"))
    return tr("{words} đồng", words=words[:1].upper() + words[1:])


def fee_state(d: Dossier) -> str:
    """The fee and where it stands, as the receipt and the dossier say it: "14.000 đồng (đã nộp: Tiền mặt)",
    "14.000 đồng (đã nộp 5.000 đồng: Tiền mặt)" or "14.000 đồng (chưa nộp)"."""
    if d.payment is None:
        return tr("{amount} (chưa nộp)", amount=money(d.fee_vnd))
    if not d.owed_vnd:
        return tr("{amount} (đã nộp: {method})", amount=money(d.fee_vnd), method=d.payment.method.label)
    return tr(
        "{amount} (đã nộp {paid}: {method})",
        amount=money(d.fee_vnd),
        paid=money(d.payment.amount_vnd),
        method=d.payment.method.label,
    )
