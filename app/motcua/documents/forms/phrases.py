"""Dates, times and amounts written the way Vietnamese administrative documents write them."""

from __future__ import annotations

from datetime import date, datetime

from motcua.domain.applicant import Applicant
from motcua.domain.formatting import short_date
from motcua.i18n import tr

# A run of dots for a value filled in by hand ("Quyển số: ……").
BLANK = "……………"


def _day(d: date) -> str:
    # Decree 30/2020 (Phụ lục I): days below 10 and the months January and February take a leading zero.
    return f"{d.day:02d}"


def _month(d: date) -> str:
    return f"{d.month:02d}" if d.month <= 2 else str(d.month)


def date_phrase(d: date) -> str:
    """``"ngày 27 tháng 10 năm 2023"``."""
    return tr("ngày {day} tháng {month} năm {year}", day=_day(d), month=_month(d), year=d.year)


def time_phrase(dt: datetime | None) -> str:
    """``"9 giờ 32 phút, ngày 27 tháng 10 năm 2023"``; a fill-in-by-hand line when the time is unknown."""
    if dt is None:
        return tr("…… giờ …… phút, ngày …… tháng …… năm ……")
    return tr(
        "{hour} giờ {minute} phút, {date}",
        hour=dt.hour,
        minute=f"{dt.minute:02d}",
        date=date_phrase(dt.date()),
    )


def place_date(place: str, d: date) -> str:
    """``"Bảo Thắng, ngày 27 tháng 10 năm 2023"`` (the dateline under the national motto)."""
    return tr("{place}, {date}", place=place, date=date_phrase(d))


def short_time_phrase(dt: datetime | None) -> str:
    """``"9 giờ 00 phút, ngày 03/11/2023"`` (the thermal receipt, where lines are short)."""
    if dt is None:
        return tr("chưa xác định")
    return tr(
        "{hour} giờ {minute} phút, ngày {date}",
        hour=dt.hour,
        minute=f"{dt.minute:02d}",
        date=short_date(dt.date()),
    )


def you(owner: Applicant) -> str:
    """How a form speaks to the dossier's owner: "Ông" or "Bà" when the card says which, "Ông/Bà" otherwise, and
    "Quý tổ chức" to an organisation (never "Ông/Bà" to a company)."""
    return owner.salutation() or tr("Quý tổ chức")


def addressee(owner: Applicant) -> str:
    """ "Ông Đặng Hồng Bảo" after "Kính gửi:"; an organisation by its name alone."""
    salutation = owner.salutation()
    return f"{salutation} {owner.name}" if salutation else owner.name
