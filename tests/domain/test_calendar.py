"""Working-day calendar and appointment dates (ngày hẹn trả).

Every expected date below was worked out by hand from a wall calendar (1/1/2026 is a Thursday, 1/1/2027 a
Friday) and the holiday list of ``holidays`` 0.109 for Vietnam; the comments show the reasoning.
"""

from __future__ import annotations

import random
import time as clock_time
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import holidays
import pytest

from motcua.config import CalendarSettings
from motcua.domain.calendar import (
    CalendarOverrides,
    WorkingCalendar,
    WorkingHours,
    format_due,
    parse_clock,
)
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import ProcessingTime, TimeUnit


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def wd(amount: float) -> ProcessingTime:
    return ProcessingTime(amount, TimeUnit.WORKING_DAYS)


def cd(amount: float, *, skip_holidays: bool = True) -> ProcessingTime:
    return ProcessingTime(amount, TimeUnit.CALENDAR_DAYS, skip_holidays=skip_holidays)


SAME_DAY = ProcessingTime(0, TimeUnit.SAME_DAY)


# ---------------------------------------------------------------- working hours


def test_default_hours_make_an_eight_hour_day() -> None:
    # 07:00–11:30 is 4.5 h, 13:30–17:00 is 3.5 h.
    assert WorkingHours().hours_per_day == 8.0


def test_custom_hours_and_their_day_length() -> None:
    hours = WorkingHours.parse("07:30", "11:30", "13:00", "16:30")  # 4 h + 3.5 h
    assert hours.hours_per_day == 7.5
    cal = WorkingCalendar(hours)
    # One working day = one day's working time, so the clock time is kept: Mon 10:00 → Tue 10:00.
    assert cal.due_date(datetime(2026, 1, 5, 10), wd(1)) == datetime(2026, 1, 6, 10)


@pytest.mark.parametrize(
    "times",
    [
        ("11:30", "07:00", "13:30", "17:00"),  # morning backwards
        ("07:00", "11:30", "11:00", "17:00"),  # afternoon starts before lunch
        ("07:00", "11:30", "13:30", "13:30"),  # empty afternoon
    ],
)
def test_working_hours_out_of_order_are_rejected(times: tuple[str, str, str, str]) -> None:
    with pytest.raises(ValidationError):
        WorkingHours.parse(*times)


@pytest.mark.parametrize("text", ["7h", "25:00", "", "07:60"])
def test_parse_clock_rejects_garbage(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_clock(text)


def test_parse_clock_accepts_hh_mm() -> None:
    assert parse_clock(" 07:05 ") == time(7, 5)


# ---------------------------------------------------------------- statutory days


def test_tet_2026_days_off(cal: WorkingCalendar) -> None:
    # The package lays Tết 2026 out as Mon 16/2 … Fri 20/2 (Giao thừa … Mùng bốn).
    assert cal.is_working_day(date(2026, 2, 13))  # Friday before
    for day in range(16, 21):
        assert not cal.is_working_day(date(2026, 2, day)), day
    assert cal.is_working_day(date(2026, 2, 23))  # Monday after
    assert cal.holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_tet_2026_due_date(cal: WorkingCalendar) -> None:
    # Fri 13/2 10:00 + 2 days: Mon 16 … Fri 20 Tết, Sat 21 / Sun 22 weekend → day 1 = Mon 23, day 2 = Tue 24.
    assert cal.due_date(datetime(2026, 2, 13, 10), wd(2)) == datetime(2026, 2, 24, 10)


def test_reception_during_tet_counts_from_the_first_morning_after(cal: WorkingCalendar) -> None:
    # An online dossier submitted on Wed 18/2/2026 starts at Mon 23/2 07:00; one day ends at 17:00 that day.
    assert cal.normalise_reception(datetime(2026, 2, 18, 10)) == datetime(2026, 2, 23, 7)
    assert cal.due_date(datetime(2026, 2, 18, 10), wd(1)) == datetime(2026, 2, 23, 17)


def test_tet_2027_days_off(cal: WorkingCalendar) -> None:
    # 4/2/2027 (Thu, 29 Tết) … 10/2/2027 (Wed, Mùng năm); Sat 6 and Sun 7 are inside the break.
    assert cal.is_working_day(date(2027, 2, 3))
    for day in range(4, 11):
        assert not cal.is_working_day(date(2027, 2, day)), day
    assert cal.is_working_day(date(2027, 2, 11))
    assert cal.next_working_day(date(2027, 2, 3)) == date(2027, 2, 11)
    # Wed 3/2 09:00 + 1 day → Thu 11/2 09:00.
    assert cal.due_date(datetime(2027, 2, 3, 9), wd(1)) == datetime(2027, 2, 11, 9)


def test_national_day_2026_with_substituted_monday(cal: WorkingCalendar) -> None:
    # 2026: Mon 31/8 is off in exchange for Sat 22/8, then Tue 1/9 and Wed 2/9.
    assert cal.is_working_day(date(2026, 8, 28))
    for d in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not cal.is_working_day(d), d
    assert cal.is_working_day(date(2026, 9, 3))
    assert cal.holiday_name(date(2026, 9, 2)) == "Quốc khánh"
    assert "22/08/2026" in (cal.holiday_name(date(2026, 8, 31)) or "")
    # Fri 28/8 10:00 + 2 days: Sat 29, Sun 30, Mon 31, Tue 1, Wed 2 off → Thu 3/9 (1), Fri 4/9 (2).
    assert cal.due_date(datetime(2026, 8, 28, 10), wd(2)) == datetime(2026, 9, 4, 10)


def test_national_day_2027(cal: WorkingCalendar) -> None:
    # 2027: Thu 2/9 and Fri 3/9.
    assert cal.is_working_day(date(2027, 9, 1))
    assert not cal.is_working_day(date(2027, 9, 2))
    assert not cal.is_working_day(date(2027, 9, 3))
    assert cal.next_working_day(date(2027, 9, 1)) == date(2027, 9, 6)


def test_hung_vuong_2026_observed_on_monday(cal: WorkingCalendar) -> None:
    # 10/3 âm lịch = Sun 26/4/2026, observed on Mon 27/4.
    assert not cal.is_working_day(date(2026, 4, 26))
    assert not cal.is_working_day(date(2026, 4, 27))
    assert cal.holiday_name(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert cal.is_working_day(date(2026, 4, 28))
    # Fri 24/4 10:00 + 1 day → Tue 28/4 10:00.
    assert cal.due_date(datetime(2026, 4, 24, 10), wd(1)) == datetime(2026, 4, 28, 10)


def test_swapped_working_saturday_2026(cal: WorkingCalendar) -> None:
    assert date(2026, 8, 22).weekday() == 5
    assert cal.is_working_day(date(2026, 8, 22))
    assert cal.holiday_name(date(2026, 8, 22)) is None
    # Fri 21/8 10:00 + 1 day → Sat 22/8 10:00, the Saturday worked in exchange.
    assert cal.due_date(datetime(2026, 8, 21, 10), wd(1)) == datetime(2026, 8, 22, 10)


def test_culture_day_2026_as_the_package_says(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"


def test_plain_days_have_no_holiday_name(cal: WorkingCalendar) -> None:
    assert cal.holiday_name(date(2026, 1, 5)) is None  # a Monday
    assert cal.holiday_name(date(2026, 1, 10)) is None  # an ordinary Saturday
    assert cal.holiday_name(date(2027, 2, 6)) == "Tết Nguyên Đán"  # a Saturday inside Tết


@pytest.mark.parametrize(
    ("first", "then", "expected_then"),
    [
        # 31/12/2018 was given off in exchange for Sat 5/1/2019: a swap across the year boundary.
        (date(2019, 1, 5), date(2018, 12, 31), False),
        (date(2018, 12, 31), date(2019, 1, 5), True),
        # 2/1/2015 off in exchange for Sat 27/12/2014.
        (date(2014, 12, 27), date(2015, 1, 2), False),
        (date(2015, 1, 2), date(2014, 12, 27), True),
    ],
)
def test_swaps_across_a_year_boundary_whatever_year_is_asked_first(
    first: date, then: date, expected_then: bool
) -> None:
    cal = WorkingCalendar()  # fresh: nothing loaded yet
    assert cal.is_working_day(first) is (not expected_then)
    assert cal.is_working_day(then) is expected_then


def test_is_working_day_accepts_a_datetime(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(datetime(2026, 2, 17, 9))
    assert cal.is_working_day(datetime(2026, 2, 23, 9))


def test_next_working_day_is_strictly_after(cal: WorkingCalendar) -> None:
    assert cal.next_working_day(date(2026, 1, 5)) == date(2026, 1, 6)
    assert cal.next_working_day(date(2026, 1, 9)) == date(2026, 1, 12)  # Fri → Mon
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)  # over Tết


def test_is_working_day_is_fast(cal: WorkingCalendar) -> None:
    start = date(2024, 1, 1).toordinal()
    days = [date.fromordinal(start + i % 1500) for i in range(100_000)]
    for d in days[:1500]:  # load the years first: the budget is for the steady state
        cal.is_working_day(d)
    t0 = clock_time.perf_counter()
    for d in days:
        cal.is_working_day(d)
    assert clock_time.perf_counter() - t0 < 0.5


def test_unknown_country_is_rejected() -> None:
    with pytest.raises(ValidationError):
        WorkingCalendar(country="XX")


# ---------------------------------------------------------------- overrides


def test_extra_day_off_from_the_province() -> None:
    cal = WorkingCalendar(overrides=CalendarOverrides(days_off=frozenset({date(2026, 3, 2)})))
    assert not cal.is_working_day(date(2026, 3, 2))
    assert cal.holiday_name(date(2026, 3, 2)) == "Ngày nghỉ theo thông báo của địa phương"
    # Fri 27/2 10:00 + 1 day: Sat, Sun, Mon 2/3 off → Tue 3/3 10:00.
    assert cal.due_date(datetime(2026, 2, 27, 10), wd(1)) == datetime(2026, 3, 3, 10)


def test_extra_working_saturday() -> None:
    cal = WorkingCalendar(overrides=CalendarOverrides(working_days=frozenset({date(2026, 3, 7)})))
    assert cal.is_working_day(date(2026, 3, 7))
    # Fri 6/3 10:00 + 1 day → Sat 7/3 10:00.
    assert cal.due_date(datetime(2026, 3, 6, 10), wd(1)) == datetime(2026, 3, 7, 10)


def test_override_working_day_wins_over_a_package_holiday() -> None:
    cal = WorkingCalendar(overrides=CalendarOverrides(working_days=frozenset({date(2026, 11, 24)})))
    assert cal.is_working_day(date(2026, 11, 24))
    assert cal.holiday_name(date(2026, 11, 24)) is None


def test_a_date_cannot_be_both_off_and_working() -> None:
    d = frozenset({date(2026, 3, 7)})
    with pytest.raises(ValidationError):
        CalendarOverrides(days_off=d, working_days=d)


@dataclass
class _Settings:
    morning_start: str = "07:30"
    morning_end: str = "11:30"
    afternoon_start: str = "13:30"
    afternoon_end: str = "17:30"
    same_day_cutoff: str = "11:00"
    country: str = "VN"
    extra_days_off: list[str] = field(default_factory=lambda: ["2026-03-02"])
    extra_working_days: list[str] = field(default_factory=lambda: ["2026-03-07"])


def test_from_settings_duck_types_any_object() -> None:
    cal = WorkingCalendar.from_settings(_Settings())
    assert cal.hours == WorkingHours(time(7, 30), time(11, 30), time(13, 30), time(17, 30))
    assert cal.overrides == CalendarOverrides(frozenset({date(2026, 3, 2)}), frozenset({date(2026, 3, 7)}))
    assert cal.same_day_cutoff == time(11, 0)
    assert not cal.is_working_day(date(2026, 3, 2))
    assert cal.is_working_day(date(2026, 3, 7))


def test_from_settings_with_the_real_settings_class() -> None:
    cal = WorkingCalendar.from_settings(CalendarSettings(extra_days_off=["2026-03-02"]))
    assert cal.hours == WorkingHours()
    assert not cal.is_working_day(date(2026, 3, 2))


def test_from_settings_rejects_a_bad_date() -> None:
    with pytest.raises(ValidationError) as err:
        WorkingCalendar.from_settings(_Settings(extra_days_off=["02/03/2026"]))
    assert err.value.field == "extra_days_off"


# ---------------------------------------------------------------- reception time


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (datetime(2026, 1, 5, 9, 32), datetime(2026, 1, 5, 9, 32)),  # inside the morning: unchanged
        (datetime(2026, 1, 5, 6, 15), datetime(2026, 1, 5, 7, 0)),  # before opening → opening
        (datetime(2026, 1, 5, 12, 10), datetime(2026, 1, 5, 13, 30)),  # lunch → afternoon start
        (datetime(2026, 1, 5, 11, 30), datetime(2026, 1, 5, 13, 30)),  # the lunch break starts at 11:30
        (datetime(2026, 1, 5, 16, 59), datetime(2026, 1, 5, 16, 59)),
        (datetime(2026, 1, 5, 17, 0), datetime(2026, 1, 6, 7, 0)),  # closing → next working morning
        (datetime(2026, 1, 5, 17, 45), datetime(2026, 1, 6, 7, 0)),
        (datetime(2026, 1, 9, 17, 30), datetime(2026, 1, 12, 7, 0)),  # Friday evening → Monday
        (datetime(2026, 1, 10, 9, 0), datetime(2026, 1, 12, 7, 0)),  # Saturday → Monday
        (datetime(2026, 2, 15, 9, 0), datetime(2026, 2, 23, 7, 0)),  # Sunday before Tết → after Tết
    ],
)
def test_normalise_reception(cal: WorkingCalendar, received: datetime, expected: datetime) -> None:
    assert cal.normalise_reception(received) == expected


def test_reception_after_closing_counts_from_next_morning(cal: WorkingCalendar) -> None:
    # Mon 5/1 17:45 → Tue 6/1 07:00; 8 h = 4.5 h morning + 3.5 h afternoon → Tue 17:00 (not Wed 07:00).
    assert cal.due_date(datetime(2026, 1, 5, 17, 45), wd(1)) == datetime(2026, 1, 6, 17)


def test_reception_at_lunch_counts_from_the_afternoon(cal: WorkingCalendar) -> None:
    # Tue 6/1 12:00 → 13:30, + 2 h → 15:30.
    assert cal.due_date(datetime(2026, 1, 6, 12), ProcessingTime(2, TimeUnit.HOURS)) == datetime(2026, 1, 6, 15, 30)


def test_reception_before_opening_counts_from_opening(cal: WorkingCalendar) -> None:
    # Tue 6/1 06:30 → 07:00, + 1 h → 08:00.
    assert cal.due_date(datetime(2026, 1, 6, 6, 30), ProcessingTime(1, TimeUnit.HOURS)) == datetime(2026, 1, 6, 8)


# ---------------------------------------------------------------- working days and hours


def test_the_thanh_hoa_sample_keeps_the_exact_time(cal: WorkingCalendar) -> None:
    # Received Fri 27/10/2023 9:32, 5 days: Mon 30, Tue 31, Wed 1/11, Thu 2, Fri 3/11 → 9:32 (the sample
    # receipt printed 9:00, truncated to the hour; we keep the minute, see the module docstring).
    due = cal.due_date(datetime(2023, 10, 27, 9, 32), wd(5))
    assert due == datetime(2023, 11, 3, 9, 32)
    assert format_due(due) == "Sau 9 giờ 32 phút, ngày 03/11/2023"


def test_seconds_are_kept_but_not_printed(cal: WorkingCalendar) -> None:
    due = cal.due_date(datetime(2026, 1, 5, 9, 5, 41), wd(1))
    assert due == datetime(2026, 1, 6, 9, 5, 41)
    assert format_due(due) == "Sau 9 giờ 05 phút, ngày 06/01/2026"


def test_working_hours_cross_lunch(cal: WorkingCalendar) -> None:
    # Mon 10:00: 1.5 h to 11:30, the other 1.5 h from 13:30 → 15:00.
    assert cal.add_working_hours(datetime(2026, 1, 5, 10), 3) == datetime(2026, 1, 5, 15)


def test_working_hours_cross_the_evening(cal: WorkingCalendar) -> None:
    # Mon 16:00: 1 h to 17:00, 1 h from Tue 07:00 → 08:00.
    assert cal.due_date(datetime(2026, 1, 5, 16), ProcessingTime(2, TimeUnit.HOURS)) == datetime(2026, 1, 6, 8)


def test_working_hours_ending_at_a_period_end_stay_there(cal: WorkingCalendar) -> None:
    assert cal.add_working_hours(datetime(2026, 1, 5, 10), 1.5) == datetime(2026, 1, 5, 11, 30)
    assert cal.add_working_hours(datetime(2026, 1, 5, 13, 30), 3.5) == datetime(2026, 1, 5, 17)


def test_zero_hours_gives_the_normalised_reception(cal: WorkingCalendar) -> None:
    assert cal.add_working_hours(datetime(2026, 1, 5, 17, 30), 0) == datetime(2026, 1, 6, 7)


def test_negative_amounts_are_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValidationError):
        cal.add_working_hours(datetime(2026, 1, 5, 10), -1)
    with pytest.raises(ValidationError):
        cal.due_date(datetime(2026, 1, 5, 10), wd(-1))


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0.5, datetime(2026, 1, 5, 15, 0)),  # 4 h from Mon 09:00: 2.5 h to 11:30, 1.5 h from 13:30
        (1.5, datetime(2026, 1, 6, 15, 0)),  # Tue 09:00 after 8 h, then the same 4 h
        (0.1, datetime(2026, 1, 5, 9, 48)),  # 0.8 h = 48 min exactly, no float noise
        (0.25, datetime(2026, 1, 5, 11, 0)),  # 2 h
    ],
)
def test_fractional_working_days(cal: WorkingCalendar, amount: float, expected: datetime) -> None:
    assert cal.due_date(datetime(2026, 1, 5, 9), wd(amount)) == expected


def test_unit_given_as_plain_string(cal: WorkingCalendar) -> None:
    # As read back from the database before being turned into the enum.
    t = ProcessingTime(1, "working_days")  # type: ignore[arg-type]
    assert cal.due_date(datetime(2026, 1, 5, 9), t) == datetime(2026, 1, 6, 9)
    with pytest.raises(ValidationError):
        cal.due_date(datetime(2026, 1, 5, 9), ProcessingTime(1, "fortnights"))  # type: ignore[arg-type]


def test_time_zone_aware_reception_keeps_its_zone(cal: WorkingCalendar) -> None:
    ict = timezone(timedelta(hours=7))
    due = cal.due_date(datetime(2026, 2, 13, 10, tzinfo=ict), wd(2))
    assert due == datetime(2026, 2, 24, 10, tzinfo=ict)
    assert due.tzinfo is ict


# ---------------------------------------------------------------- same day


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (datetime(2026, 1, 6, 14, 59), datetime(2026, 1, 6, 17)),  # before the 15:00 cut-off
        (datetime(2026, 1, 6, 15, 0), datetime(2026, 1, 7, 17)),  # at the cut-off → next working day
        (datetime(2026, 1, 6, 12, 0), datetime(2026, 1, 6, 17)),  # lunch counts as 13:30 < 15:00
        (datetime(2026, 1, 6, 6, 30), datetime(2026, 1, 6, 17)),  # before opening counts as 07:00
        (datetime(2026, 1, 9, 15, 30), datetime(2026, 1, 12, 17)),  # Friday after the cut-off → Monday
        (datetime(2026, 1, 9, 17, 30), datetime(2026, 1, 12, 17)),  # Friday after closing → Monday
        (datetime(2026, 1, 10, 9, 0), datetime(2026, 1, 12, 17)),  # Saturday → Monday
        (datetime(2026, 2, 13, 15, 1), datetime(2026, 2, 23, 17)),  # Friday before Tết → after Tết
    ],
)
def test_same_day(cal: WorkingCalendar, received: datetime, expected: datetime) -> None:
    assert cal.due_date(received, SAME_DAY) == expected


def test_same_day_with_a_procedure_cutoff(cal: WorkingCalendar) -> None:
    t = ProcessingTime(0, TimeUnit.SAME_DAY, cutoff="11:00")
    assert cal.due_date(datetime(2026, 1, 6, 10, 59), t) == datetime(2026, 1, 6, 17)
    assert cal.due_date(datetime(2026, 1, 6, 11, 0), t) == datetime(2026, 1, 7, 17)


def test_same_day_empty_cutoff_uses_the_centre_default() -> None:
    cal = WorkingCalendar(same_day_cutoff="10:00")
    t = ProcessingTime(0, TimeUnit.SAME_DAY, cutoff="")
    assert cal.due_date(datetime(2026, 1, 6, 9, 59), t) == datetime(2026, 1, 6, 17)
    assert cal.due_date(datetime(2026, 1, 6, 10, 0), t) == datetime(2026, 1, 7, 17)


def test_same_day_malformed_cutoff(cal: WorkingCalendar) -> None:
    with pytest.raises(ValidationError):
        cal.due_date(datetime(2026, 1, 6, 9), ProcessingTime(0, TimeUnit.SAME_DAY, cutoff="3pm"))


# ---------------------------------------------------------------- calendar days


@pytest.mark.parametrize("skip", [True, False])
def test_calendar_days_landing_on_a_sunday_move_to_monday(cal: WorkingCalendar, skip: bool) -> None:
    # Mon 5/1 09:00 + 6 days = Sun 11/1 → Mon 12/1 09:00.
    assert cal.due_date(datetime(2026, 1, 5, 9), cd(6, skip_holidays=skip)) == datetime(2026, 1, 12, 9)


def test_calendar_days_over_tet_without_skipping(cal: WorkingCalendar) -> None:
    # Thu 12/2 + 10 = Sun 22/2 → Mon 23/2.
    assert cal.due_date(datetime(2026, 2, 12, 9), cd(10, skip_holidays=False)) == datetime(2026, 2, 23, 9)


def test_calendar_days_over_tet_skipping_holidays(cal: WorkingCalendar) -> None:
    # Counted: Fri 13 (1), Sat 14 (2), Sun 15 (3), [Mon 16 … Fri 20 Tết skipped], Sat 21 (4), Sun 22 (5),
    # Mon 23 (6), Tue 24 (7), Wed 25 (8), Thu 26 (9), Fri 27 (10).
    assert cal.due_date(datetime(2026, 2, 12, 9), cd(10)) == datetime(2026, 2, 27, 9)


def test_calendar_days_skip_a_weekend_holiday_only_once(cal: WorkingCalendar) -> None:
    # Hùng Vương 2026 is Sun 26/4 (a weekend day, counted) observed Mon 27/4 (skipped):
    # Sat 25 (1), Sun 26 (2), Tue 28 (3), Wed 29 (4).
    assert cal.due_date(datetime(2026, 4, 24, 9), cd(4)) == datetime(2026, 4, 29, 9)
    # Without skipping: Fri 24 + 4 = Tue 28.
    assert cal.due_date(datetime(2026, 4, 24, 9), cd(4, skip_holidays=False)) == datetime(2026, 4, 28, 9)


def test_calendar_days_start_from_the_normalised_reception(cal: WorkingCalendar) -> None:
    # Fri 9/1 18:00 → Mon 12/1 07:00; + 3 days → Thu 15/1 07:00.
    assert cal.due_date(datetime(2026, 1, 9, 18), cd(3)) == datetime(2026, 1, 15, 7)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0.25, datetime(2026, 1, 5, 15, 0)),  # 09:00 + 6 h
        (0.125, datetime(2026, 1, 5, 13, 30)),  # 09:00 + 3 h = 12:00, lunch → 13:30
        (0.5, datetime(2026, 1, 5, 17, 0)),  # 21:00 is clamped to closing time that day
    ],
)
def test_fractional_calendar_days_are_clamped_into_opening_hours(
    cal: WorkingCalendar, amount: float, expected: datetime
) -> None:
    assert cal.due_date(datetime(2026, 1, 5, 9), cd(amount)) == expected


# ---------------------------------------------------------------- between and pause


def test_working_hours_between_across_a_weekend(cal: WorkingCalendar) -> None:
    # Fri 9/1 15:00–17:00 (2 h) + Mon 12/1 07:00–09:00 (2 h).
    a, b = datetime(2026, 1, 9, 15), datetime(2026, 1, 12, 9)
    assert cal.working_hours_between(a, b) == 4.0
    assert cal.working_hours_between(b, a) == -4.0
    assert cal.working_hours_between(a, a) == 0.0


def test_working_hours_between_other_spans(cal: WorkingCalendar) -> None:
    assert cal.working_hours_between(datetime(2026, 1, 5, 7), datetime(2026, 1, 12, 7)) == 40.0  # one week
    assert cal.working_hours_between(datetime(2026, 2, 13, 7), datetime(2026, 2, 23, 7)) == 8.0  # over Tết
    assert cal.working_hours_between(datetime(2026, 1, 5, 11, 45), datetime(2026, 1, 5, 13)) == 0.0  # lunch
    assert cal.working_hours_between(datetime(2026, 1, 5, 12), datetime(2026, 1, 5, 14)) == 0.5
    assert cal.working_hours_between(datetime(2026, 1, 10, 8), datetime(2026, 1, 11, 16)) == 0.0  # weekend


def test_supplement_pause_moves_the_due_date(cal: WorkingCalendar) -> None:
    # Mon 5/1 09:00 + 5 days → Mon 12/1 09:00. Paused Tue 6/1 10:00 → Thu 8/1 10:00 = 16 working hours,
    # so the due instant moves two working days: Wed 14/1 09:00.
    due = cal.due_date(datetime(2026, 1, 5, 9), wd(5))
    assert due == datetime(2026, 1, 12, 9)
    assert cal.resume_after_pause(due, datetime(2026, 1, 6, 10), datetime(2026, 1, 8, 10)) == datetime(2026, 1, 14, 9)


def test_supplement_pause_over_a_weekend_counts_working_time_only(cal: WorkingCalendar) -> None:
    # Fri 9/1 16:00 → Mon 12/1 08:00 = 1 h + 1 h; Mon 12/1 09:00 + 2 h → 11:00.
    new = cal.resume_after_pause(datetime(2026, 1, 12, 9), datetime(2026, 1, 9, 16), datetime(2026, 1, 12, 8))
    assert new == datetime(2026, 1, 12, 11)


def test_supplement_pause_from_a_closing_time_due(cal: WorkingCalendar) -> None:
    # A same-day due at Tue 17:00, paused for 2 working hours → Wed 09:00.
    due = datetime(2026, 1, 6, 17)
    assert cal.resume_after_pause(due, datetime(2026, 1, 6, 9), datetime(2026, 1, 6, 11)) == datetime(2026, 1, 7, 9)


def test_pause_outside_working_time_changes_nothing(cal: WorkingCalendar) -> None:
    due = datetime(2026, 1, 6, 17)
    assert cal.resume_after_pause(due, datetime(2026, 1, 10, 9), datetime(2026, 1, 11, 9)) == due


def test_pause_must_not_end_before_it_starts(cal: WorkingCalendar) -> None:
    with pytest.raises(ValidationError):
        cal.resume_after_pause(datetime(2026, 1, 12, 9), datetime(2026, 1, 8, 10), datetime(2026, 1, 6, 10))


# ---------------------------------------------------------------- property


def test_due_dates_for_random_receptions(cal: WorkingCalendar) -> None:
    """Random receptions 2025–2027: due on a working day, in opening hours, exactly 8N working hours later.

    The date is also checked against the package's own working-day arithmetic (``get_nth_working_day``),
    which shares the holiday data but none of our code.
    """
    oracle = holidays.country_holidays("VN", years=range(2024, 2029))
    h = cal.hours
    rng = random.Random(20260213)
    first = datetime(2025, 1, 1)
    for _ in range(600):
        received = first + timedelta(seconds=rng.randrange(3 * 365 * 24 * 3600))
        n_days = rng.randint(1, 15)
        due = cal.due_date(received, wd(n_days))
        start = cal.normalise_reception(received)
        context = f"{received} + {n_days} → {due}"

        assert cal.is_working_day(due.date()), context
        t = due.time()
        assert h.morning_start <= t <= h.morning_end or h.afternoon_start <= t <= h.afternoon_end, context
        assert cal.working_hours_between(start, due) == 8 * n_days, context

        # Where the clock starts decides the shape of the answer (periods are closed at their end).
        if start.time() == h.morning_start:  # ends at closing time of the previous working day
            expected_day = start.date() if n_days == 1 else oracle.get_nth_working_day(start.date(), n_days - 1)
            assert due == datetime.combine(expected_day, h.afternoon_end), context
        elif start.time() == h.afternoon_start:  # ends when the morning ends
            assert due == datetime.combine(oracle.get_nth_working_day(start.date(), n_days), h.morning_end), context
        else:  # same clock time, N working days later
            assert due.date() == oracle.get_nth_working_day(start.date(), n_days), context
            assert t == start.time(), context
