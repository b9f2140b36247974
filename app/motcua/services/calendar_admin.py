"""The admin-editable calendar table: extra days off and swapped working Saturdays, on top of the law."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motcua.domain.accounts import Permission, require
from motcua.domain.errors import ValidationError
from motcua.domain.text import nfc
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.store import audit


@dataclass(frozen=True, slots=True)
class CalendarDay:
    day: date
    working: bool
    label: str


class CalendarAdmin:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def set_day(self, day: date, working: bool, label: str = "") -> None:
        """Declare a day off (working=False) or a working day (a Saturday worked in exchange)."""
        require(self.ctx.role, Permission.EDIT_CALENDAR)
        kind = "work" if working else "off"
        with self.ctx.store.write() as db:
            db.execute(
                "INSERT INTO calendar_overrides (day, kind, label) VALUES (?, ?, ?) "
                "ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, label = excluded.label",
                [day.isoformat(), kind, nfc(label)],
            )
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action=f"calendar_{kind}",
                entity=f"calendar:{day.isoformat()}",
                at=self.ctx.clock(),
                label=label,
            )
        self.ctx.reload_calendar()

    def clear_day(self, day: date) -> None:
        require(self.ctx.role, Permission.EDIT_CALENDAR)
        with self.ctx.store.write() as db:
            cur = db.execute("DELETE FROM calendar_overrides WHERE day = ?", [day.isoformat()])
            if cur.rowcount == 0:
                raise ValidationError(
                    tr("Ngày {day} không có trong bảng điều chỉnh lịch", day=day.strftime("%d/%m/%Y"))
                )
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action="calendar_clear",
                entity=f"calendar:{day.isoformat()}",
                at=self.ctx.clock(),
            )
        self.ctx.reload_calendar()

    def year(self, year: int) -> list[CalendarDay]:
        """Every non-working weekday and every working weekend day of a year, with its reason."""
        cal = self.ctx.calendar
        labels = dict(
            self.ctx.store.read()
            .execute("SELECT day, label FROM calendar_overrides WHERE label != '' AND day LIKE ?", [f"{year}-%"])
            .fetchall()
        )
        out = []
        d = date(year, 1, 1)
        while d.year == year:
            working = cal.is_working_day(d)
            if working == (d.weekday() >= 5):
                default = cal.holiday_name(d) or (tr("Ngày làm việc bù") if working else "")
                out.append(CalendarDay(d, working, labels.get(d.isoformat(), default)))
            d = date.fromordinal(d.toordinal() + 1)
        return out
