"""The working-day calendar and the appointment date (ngày hẹn trả) of a dossier.

The statutory calendar comes from the ``holidays`` package (Vietnam: Tết Dương lịch, five days of lunar Tết,
Giỗ Tổ Hùng Vương, 30/4, 1/5, two days of Quốc khánh, observed days "nghỉ bù", and the swapped working
Saturdays "làm bù" that the government has already decreed). On top of it sits an admin-maintained table of
overrides (:class:`CalendarOverrides`): extra days off announced by the province and extra working days. An
override always wins over the package, because the annual notice of the Ministry of Home Affairs can differ
from the package's rule-based estimate for future years.

Time is measured in *working time*: the morning and afternoon periods of :class:`WorkingHours` on working
days. The rules follow the provincial one-stop systems in production (reference: domain-vn.md §4.1):

* A reception outside working time counts from the next moment the counter is open: after closing → the
  next working morning; before opening → opening time; during lunch → the afternoon start; on a day off →
  the next working morning.
* ``N`` working days = ``N × hours_per_day`` working hours from the normalised reception time (8 h = 1 day
  with the default hours), so the due time keeps the reception's clock time.
* Working periods are half-open for a *start* (a reception at 11:30 or 17:00 counts from the next period)
  but closed for an *end*: a duration that uses up a period exactly ends at 11:30 or 17:00 of that day, not
  at the start of the next period. Both are the same instant in working time; the closed end is what a
  citizen expects to read on the receipt ("Sau 17 giờ 00 phút" on the last day rather than "Sau 7 giờ 00
  phút" on the next one).

Rounding: durations are converted to whole seconds (so ``0.1`` day is exactly 48 minutes, without float
noise) and the due instant keeps the reception's exact clock time, seconds included; it is **not** rounded
to the hour. Provincial systems differ here (the Thanh Hóa sample prints "9 giờ 32 phút" received, due
"Sau 9 giờ 00 phút" five working days later, i.e. truncated to the hour), but truncating cuts the
agency's statutory time short (rounding up would promise the citizen more than the statute), and
Decision 766 judges on-time against this instant. Printed forms show hours and minutes
(:func:`format_due`); since they read "Sau …" ("after"), dropping the seconds on paper is harmless.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta, tzinfo
from datetime import time as clock
from typing import TYPE_CHECKING, Protocol

from motcua.domain.errors import MotcuaError, ValidationError
from motcua.domain.procedures import ProcessingTime, TimeUnit
from motcua.i18n import tr

_ONE_DAY = timedelta(days=1)
# A year holds at most ~120 days off; two years of consecutive days off mean a broken override table or
# country code, and looping for ever would freeze the counter.
_MAX_DAYS_OFF_IN_A_ROW = 2 * 366

if TYPE_CHECKING:
    from holidays import HolidayBase

HOLIDAY_LANGUAGE = "vi"
KNOWN_COUNTRY = "VN"  # the package is known to have it: checked when first needed, not at start


def parse_clock(value: str | clock, field_name: str = "time") -> clock:
    """Parse a wall-clock time written ``"HH:MM"`` (as in the settings and the procedure catalog).

    Args:
        value: ``"HH:MM"`` (``"HH:MM:SS"`` is accepted too) or an already parsed :class:`datetime.time`.
        field_name: the name reported in the error, for the UI to focus the right field.

    Returns:
        The naive time of day.

    Raises:
        ValidationError: the text is not a time of day.
    """
    if isinstance(value, clock):
        parsed = value
    else:
        try:
            parsed = clock.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(tr("Giờ không hợp lệ: {value} (dạng HH:MM)", value=value), field_name) from None
    if parsed.tzinfo is not None:
        # Working hours are local wall-clock times; a zone here would make comparisons ambiguous.
        raise ValidationError(tr("Giờ không hợp lệ: {value} (dạng HH:MM)", value=value), field_name)
    return parsed


def _parse_dates(values: Iterable[str | date], field_name: str) -> frozenset[date]:
    parsed: set[date] = set()
    for value in values:
        if isinstance(value, datetime):
            parsed.add(value.date())
        elif isinstance(value, date):
            parsed.add(value)
        else:
            try:
                parsed.add(date.fromisoformat(str(value).strip()))
            except ValueError:
                raise ValidationError(
                    tr("Ngày không hợp lệ: {value} (dạng YYYY-MM-DD)", value=value), field_name
                ) from None
    return frozenset(parsed)


def _duration(hours: float) -> timedelta:
    """Hours as a timedelta rounded to the second, so that float noise never shows on a receipt."""
    return timedelta(seconds=round(hours * 3600))


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The counter's opening hours: a morning and an afternoon period (default 07:00–11:30, 13:30–17:00).

    Attributes:
        morning_start: opening time.
        morning_end: start of the lunch break.
        afternoon_start: end of the lunch break.
        afternoon_end: closing time.
    """

    morning_start: clock = clock(7, 0)
    morning_end: clock = clock(11, 30)
    afternoon_start: clock = clock(13, 30)
    afternoon_end: clock = clock(17, 0)

    def __post_init__(self) -> None:
        order = (self.morning_start, self.morning_end, self.afternoon_start, self.afternoon_end)
        if any(t.tzinfo is not None for t in order):
            raise ValidationError(tr("Giờ làm việc phải là giờ địa phương, không kèm múi giờ"), "calendar")
        # An empty lunch break (morning_end == afternoon_start) is allowed; empty periods are not, because
        # the period walk would never advance through them.
        if not (order[0] < order[1] <= order[2] < order[3]):
            raise ValidationError(
                tr("Giờ làm việc không hợp lệ: cần giờ mở cửa < nghỉ trưa ≤ làm chiều < đóng cửa"), "calendar"
            )

    @classmethod
    def parse(cls, morning_start: str, morning_end: str, afternoon_start: str, afternoon_end: str) -> WorkingHours:
        """Build from ``"HH:MM"`` strings as written in the settings file.

        Raises:
            ValidationError: a time is malformed or the four times are out of order.
        """
        return cls(
            parse_clock(morning_start, "morning_start"),
            parse_clock(morning_end, "morning_end"),
            parse_clock(afternoon_start, "afternoon_start"),
            parse_clock(afternoon_end, "afternoon_end"),
        )

    @property
    def hours_per_day(self) -> float:
        """Working hours in one working day (8.0 with the default hours)."""
        return _hours(self.day_length)

    @property
    def day_length(self) -> timedelta:
        """:attr:`hours_per_day` as an exact timedelta."""
        return _span(self.morning_start, self.morning_end) + _span(self.afternoon_start, self.afternoon_end)

    def periods(self, day: date, zone: tzinfo | None = None) -> tuple[tuple[datetime, datetime], ...]:
        """The two working periods of ``day`` as (start, end) datetimes, whether or not it is a working day."""
        return (
            (datetime.combine(day, self.morning_start, zone), datetime.combine(day, self.morning_end, zone)),
            (datetime.combine(day, self.afternoon_start, zone), datetime.combine(day, self.afternoon_end, zone)),
        )


def _span(a: clock, b: clock) -> timedelta:
    anchor = date(2000, 1, 1)
    return datetime.combine(anchor, b) - datetime.combine(anchor, a)


@dataclass(frozen=True, slots=True)
class CalendarOverrides:
    """The admin-editable table on top of the statutory calendar (like ``NgayNghi`` in provincial systems).

    Attributes:
        days_off: extra days off announced by the province (or the government, ahead of the package).
        working_days: extra working days, e.g. a Saturday worked in exchange ("làm bù"), or a package
            holiday the centre does not observe.
    """

    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    labels: tuple[tuple[date, str], ...] = ()  # why, where the announcement says (Tết swap, làm bù …)

    def label(self, d: date) -> str:
        return dict(self.labels).get(d, "")

    def __post_init__(self) -> None:
        both = self.days_off & self.working_days
        if both:
            listed = ", ".join(d.strftime("%d/%m/%Y") for d in sorted(both))
            raise ValidationError(tr("Ngày vừa là ngày nghỉ vừa là ngày làm việc: {dates}", dates=listed), "calendar")


class CalendarSettingsLike(Protocol):
    """What :meth:`WorkingCalendar.from_settings` reads (``motcua.config.CalendarSettings`` has it)."""

    @property
    def morning_start(self) -> str: ...
    @property
    def morning_end(self) -> str: ...
    @property
    def afternoon_start(self) -> str: ...
    @property
    def afternoon_end(self) -> str: ...
    @property
    def same_day_cutoff(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def extra_days_off(self) -> Iterable[str]: ...
    @property
    def extra_working_days(self) -> Iterable[str]: ...


DEFAULT_HOURS = WorkingHours()
NO_OVERRIDES = CalendarOverrides()


class WorkingCalendar:
    """Working days and working time of one centre, and the appointment dates computed from them.

    The statutory holidays are loaded lazily, one year at a time, together with the neighbouring years:
    a day off can be substituted for a Saturday of the next or previous year (31/12/2018 for 5/1/2019),
    and the package only knows such a swap once both years are loaded (vacanza/holidays#2196). Each year
    is then reduced to a frozen set of its days off, so :meth:`is_working_day` is a dictionary and a set
    lookup. The object is safe to share between threads.
    """

    def __init__(
        self,
        hours: WorkingHours = DEFAULT_HOURS,
        overrides: CalendarOverrides = NO_OVERRIDES,
        country: str = "VN",
        same_day_cutoff: str | clock = "15:00",
    ) -> None:
        """Create a calendar.

        Args:
            hours: the counter's opening hours.
            overrides: the admin table of extra days off and extra working days.
            country: ISO 3166 code for the ``holidays`` package.
            same_day_cutoff: the centre's default cut-off for same-day procedures, used when a procedure's
                :attr:`ProcessingTime.cutoff` is empty.

        Raises:
            ValidationError: the country is unknown or the cut-off is malformed.
        """
        self.hours = hours
        self.overrides = overrides
        self.country = country
        self.same_day_cutoff = parse_clock(same_day_cutoff, "same_day_cutoff")
        self._package: HolidayBase | None = None
        self._package_lock = threading.Lock()
        if country != KNOWN_COUNTRY:
            self._package_calendar()  # an unknown country is refused now, not at the first appointment date
        self._days_off: dict[int, frozenset[date]] = {}
        # Holiday names of the loaded years, copied out so that readers never touch the package object,
        # which is not thread-safe while another year is being populated.
        self._names: dict[date, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, s: CalendarSettingsLike) -> WorkingCalendar:
        """Build from a settings object (duck-typed, e.g. ``motcua.config.CalendarSettings``).

        Args:
            s: has ``morning_start``, ``morning_end``, ``afternoon_start``, ``afternoon_end`` and
                ``same_day_cutoff`` as ``"HH:MM"`` strings, ``country`` as an ISO code, and
                ``extra_days_off`` / ``extra_working_days`` as lists of ISO dates.

        Raises:
            ValidationError: a value is malformed.
        """
        hours = WorkingHours.parse(s.morning_start, s.morning_end, s.afternoon_start, s.afternoon_end)
        overrides = CalendarOverrides(
            days_off=_parse_dates(s.extra_days_off, "extra_days_off"),
            working_days=_parse_dates(s.extra_working_days, "extra_working_days"),
        )
        return cls(hours, overrides, country=s.country, same_day_cutoff=s.same_day_cutoff)

    # ------------------------------------------------------------------ days

    def _load_year(self, year: int) -> frozenset[date]:
        with self._lock:
            cached = self._days_off.get(year)
            if cached is not None:
                return cached
            h = self._package_calendar()
            for y in (year - 1, year, year + 1):
                if MINYEAR <= y <= MAXYEAR and y not in h.years:
                    _ = date(y, 1, 1) in h  # populates year y (expand=True), with its cross-year swaps
            off: set[date] = set()
            d = date(year, 1, 1)
            while d.year == year:
                if not h.is_working_day(d):
                    off.add(d)
                name = h.get(d)
                if name:
                    self._names[d] = str(name)
                if d == date.max:
                    break
                d += _ONE_DAY
            off |= {x for x in self.overrides.days_off if x.year == year}
            off -= self.overrides.working_days
            frozen = frozenset(off)
            self._days_off[year] = frozen
            return frozen

    def is_working_day(self, d: date) -> bool:
        """Whether the counter works on ``d``.

        Weekends and public holidays (including observed and substituted days) are days off; the swapped
        working Saturdays the package knows are working days; the overrides win over both.
        """
        if isinstance(d, datetime):  # a datetime never equals a date in a set; accept it anyway
            d = d.date()
        off = self._days_off.get(d.year)
        if off is None:
            off = self._load_year(d.year)
        return d not in off

    def holiday_name(self, d: date) -> str | None:
        """The name of the holiday on ``d``, or ``None`` for a working day or an ordinary weekend day.

        Names come from the ``holidays`` package in Vietnamese (several holidays on one day are joined by
        ``"; "``); an extra day off from the overrides gets a generic translated label.
        """
        if isinstance(d, datetime):
            d = d.date()
        if self.is_working_day(d):  # also loads the year, and with it self._names
            return None
        name = self._names.get(d)
        if name:
            return name
        if d in self.overrides.days_off:
            return self.overrides.label(d) or tr("Ngày nghỉ theo thông báo của địa phương")
        return None

    def _is_weekend(self, d: date) -> bool:
        return d.weekday() in self._package_calendar().weekend

    def _package_calendar(self) -> HolidayBase:
        """The ``holidays`` package's calendar, made on first use: loading the package takes a tenth of a second
        that the counter window should not wait for before anyone asks for a date."""
        package = self._package
        if package is not None:
            return package
        with self._package_lock:
            if self._package is None:
                self._package = self._make_package()
            return self._package

    def _make_package(self) -> HolidayBase:
        import holidays

        try:
            # years=() loads nothing yet; expand=True: touching a date of a new year populates that year.
            probe = holidays.country_holidays(self.country, years=(), expand=True)
        except NotImplementedError:
            raise ValidationError(tr("Mã quốc gia không được hỗ trợ: {value}", value=self.country), "country") from None
        # Vietnamese names where the package has them; other countries keep their default language.
        return (
            holidays.country_holidays(self.country, language=HOLIDAY_LANGUAGE, years=(), expand=True)
            if HOLIDAY_LANGUAGE in probe.supported_languages
            else probe
        )

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``.

        Raises:
            MotcuaError: no working day within two years (a broken override table).
        """
        if isinstance(d, datetime):
            d = d.date()
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            d += _ONE_DAY
            if self.is_working_day(d):
                return d
        raise MotcuaError(tr("Không tìm thấy ngày làm việc nào sau ngày {date}", date=d.strftime("%d/%m/%Y")))

    # ------------------------------------------------------------------ working time

    def _periods_from(self, at: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working periods in order, starting with the first one that ends after ``at``."""
        day = at.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        while True:
            for start, end in self.hours.periods(day, at.tzinfo):
                if end > at:
                    yield start, end
            day = self.next_working_day(day)

    def normalise_reception(self, at: datetime) -> datetime:
        """The moment the clock starts for something received at ``at``.

        Inside working time ``at`` is returned unchanged; otherwise the start of the next working period:
        after closing (17:00 included) → the next working morning, before opening → opening time, during
        lunch (11:30 included) → the afternoon start, on a day off → the next working morning.
        """
        start, _ = next(self._periods_from(at))
        return max(start, at)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """The instant ``hours`` of working time after ``start``.

        The walk starts from :meth:`normalise_reception` of ``start`` and crosses lunch breaks, evenings,
        weekends and holidays. A duration that ends exactly at the end of a period returns that end (11:30,
        17:00) rather than the start of the next period. ``hours`` is rounded to the second.

        Raises:
            ValidationError: ``hours`` is negative.
        """
        if hours < 0:
            raise ValidationError(tr("Thời gian giải quyết không được âm"), "hours")
        remaining = _duration(hours)
        for period_start, period_end in self._periods_from(start):
            cur = max(period_start, start)
            available = period_end - cur
            if remaining <= available:
                return cur + remaining
            remaining -= available
        raise AssertionError("unreachable: _periods_from never ends")  # pragma: no cover

    def working_hours_between(self, a: datetime, b: datetime) -> float:
        """Working hours from ``a`` to ``b``; negative when ``b`` is before ``a`` (e.g. hours overdue)."""
        if b < a:
            return -self.working_hours_between(b, a)
        total = timedelta()
        for start, end in self._periods_from(a):
            if start >= b:
                break
            total += min(end, b) - max(start, a)
        return _hours(total)

    def _onto_working_time(self, at: datetime) -> datetime:
        """Move a due instant off a day off (same clock time) and clamp its clock time into opening hours.

        Before opening → opening time; during lunch → the afternoon start (the first moment the result can
        be collected); after closing → closing time of that same day (the date is what the citizen reads).
        """
        day = at.date()
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        h = self.hours
        t = at.time()
        if t < h.morning_start:
            t = h.morning_start
        elif h.morning_end < t < h.afternoon_start:
            t = h.afternoon_start
        elif t > h.afternoon_end:
            t = h.afternoon_end
        return datetime.combine(day, t, at.tzinfo)

    # ------------------------------------------------------------------ appointment dates

    def due_date(self, received_at: datetime, time: ProcessingTime) -> datetime:
        """The appointment date and time (ngày hẹn trả) of a dossier received at ``received_at``.

        * ``WORKING_DAYS``: ``amount × hours_per_day`` working hours from the normalised reception time;
          fractions allowed (0.5 day = 4 h with the default hours).
        * ``HOURS``: ``amount`` working hours.
        * ``SAME_DAY``: received before the cut-off (``time.cutoff``, or the centre's default when that is
          empty) → closing time of the same working day; at or after the cut-off → closing time of the next
          working day. The reception is normalised first, so a reception after closing or on a day off
          counts as the next working morning (→ closing time that day) and one before opening counts as
          opening time (→ closing time the same day).
        * ``CALENDAR_DAYS``: ``amount`` calendar days from the normalised reception time. With
          ``skip_holidays`` the days off that fall on weekdays (holidays, observed and substituted days,
          override days off) are not counted, weekends are — so a holiday is skipped once even when it is
          observed on the Monday after. A fraction is added as wall-clock time. The result is never left on
          a day off: it moves to the next working day, keeping its clock time clamped into opening hours.

        Args:
            received_at: when the dossier was received (naive local time, or aware — kept as given).
            time: the procedure's processing time.

        Returns:
            The due instant, on a working day, within opening hours.

        Raises:
            ValidationError: a negative amount or a malformed cut-off.
        """
        if time.amount < 0:
            raise ValidationError(tr("Thời gian giải quyết không được âm"), "amount")
        try:
            unit = TimeUnit(time.unit)  # also accepts the plain string stored in the database
        except ValueError:
            raise ValidationError(tr("Đơn vị thời gian không hợp lệ: {value}", value=time.unit), "unit") from None
        if unit is TimeUnit.WORKING_DAYS:
            return self.add_working_hours(received_at, time.amount * self.hours.hours_per_day)
        if unit is TimeUnit.HOURS:
            return self.add_working_hours(received_at, time.amount)
        if unit is TimeUnit.SAME_DAY:
            return self._same_day(received_at, time.cutoff)
        return self._calendar_days(received_at, time.amount, skip_holidays=time.skip_holidays)

    def _same_day(self, received_at: datetime, cutoff_text: str) -> datetime:
        cutoff = parse_clock(cutoff_text, "cutoff") if cutoff_text else self.same_day_cutoff
        start = self.normalise_reception(received_at)
        day = start.date()
        if start.time() >= cutoff:
            day = self.next_working_day(day)
        return datetime.combine(day, self.hours.afternoon_end, received_at.tzinfo)

    def _calendar_days(self, received_at: datetime, amount: float, *, skip_holidays: bool) -> datetime:
        start = self.normalise_reception(received_at)
        whole = int(amount)
        if skip_holidays:
            day = start.date()
            counted = 0
            while counted < whole:
                day += _ONE_DAY
                if self._is_weekend(day) or self.is_working_day(day):
                    counted += 1
            due = datetime.combine(day, start.timetz())
        else:
            due = start + timedelta(days=whole)
        due += _duration((amount - whole) * 24)
        return self._onto_working_time(due)

    def resume_after_pause(self, due: datetime, paused_at: datetime, resumed_at: datetime) -> datetime:
        """The new due instant after a supplement pause (yêu cầu bổ sung → bổ sung xong).

        The clock stops while the citizen completes the dossier, so the due instant moves later by the
        working time between ``paused_at`` and ``resumed_at`` (a weekend inside the pause adds nothing) and
        is walked forward in working time from the old due instant, which puts it back onto working time.

        Raises:
            ValidationError: ``resumed_at`` is before ``paused_at``.
        """
        if resumed_at < paused_at:
            raise ValidationError(tr("Thời điểm bổ sung xong trước thời điểm yêu cầu bổ sung"), "resumed_at")
        stopped = self.working_hours_between(paused_at, resumed_at)
        if _duration(stopped) == timedelta():
            # Keep a due at 17:00 as it is instead of re-normalising it to the next morning.
            return due
        return self.add_working_hours(due, stopped)


def format_due(due: datetime) -> str:
    """The due instant as printed on Mẫu 01, e.g. ``"Sau 9 giờ 32 phút, ngày 03/11/2023"``.

    Seconds are dropped: "Sau" (after) a minute that has already started is still true.
    """
    return tr(
        "Sau {hour} giờ {minute} phút, ngày {date}",
        hour=due.hour,
        minute=f"{due.minute:02d}",
        date=due.strftime("%d/%m/%Y"),
    )


__all__ = [
    "DEFAULT_HOURS",
    "NO_OVERRIDES",
    "CalendarOverrides",
    "CalendarSettingsLike",
    "WorkingCalendar",
    "WorkingHours",
    "format_due",
    "parse_clock",
]
