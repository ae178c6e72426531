"""The pure calendar: holidays, DST, Saturdays, closures, changed hours and the API functions."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from infopoint.hours.calendar import (
    HOLIDAY_NAMES,
    CalendarException,
    ClosureSpan,
    OfficeCalendar,
    overlapping_spans,
    spans_problems,
)

from .conftest import POINT_WEEKLY

WARSAW = ZoneInfo("Europe/Warsaw")
HOUR = timedelta(hours=1)


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


# --- public holidays --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2026, 6, 4), "Corpus Christi"),
        (date(2027, 5, 27), "Corpus Christi"),
        (date(2026, 11, 11), "National Independence Day"),
        (date(2026, 12, 24), "Christmas Eve"),
        (date(2026, 5, 1), "National Day"),
    ],
)
def test_public_holidays_close_the_office_all_day(point_calendar, day, name):
    assert point_calendar.intervals_on(day) == []
    assert not point_calendar.is_open(datetime.combine(day, time(12), tzinfo=WARSAW))
    with translation.override("en"):
        assert point_calendar.closed_reason(day) == name


def test_independence_day_example_of_the_issue(point_calendar):
    t = at(2026, 11, 11, 10)
    assert not point_calendar.is_open(t)
    assert point_calendar.next_opening(t).isoformat() == "2026-11-12T09:00:00+01:00"


def test_easter_monday_2027_opens_next_on_tuesday_in_summer_time(point_calendar):
    opening = point_calendar.next_opening(at(2027, 3, 27, 15))
    assert opening.isoformat() == "2027-03-30T09:00:00+02:00"


def test_christmas_closes_from_christmas_eve_to_boxing_day(point_calendar):
    opening = point_calendar.next_opening(at(2026, 12, 23, 19))
    assert opening == at(2026, 12, 28, 9)


def test_days_around_holidays_are_ordinary(point_calendar):
    assert point_calendar.closed_reason(date(2026, 11, 10)) is None
    assert point_calendar.is_open(at(2026, 11, 10, 18, 59))


def test_every_polish_holiday_name_is_marked_for_translation():
    names = holidays.country_holidays("PL", years=range(1925, 2060), language="en_US")
    assert set(names.values()) <= set(HOLIDAY_NAMES)


def test_holiday_names_go_through_gettext(point_calendar, monkeypatch):
    monkeypatch.setattr(
        "infopoint.hours.calendar.gettext", lambda message: f"[{message}]", raising=True
    )
    assert point_calendar.closed_reason(date(2026, 11, 11)) == "[National Independence Day]"


# --- Saturdays, Sundays, evenings -------------------------------------------------------------


def test_saturday_short_hours(point_calendar):
    saturday = date(2026, 11, 28)
    assert point_calendar.intervals_on(saturday) == [(at(2026, 11, 28, 9), at(2026, 11, 28, 14))]
    assert point_calendar.is_open(at(2026, 11, 28, 13, 59))
    assert not point_calendar.is_open(at(2026, 11, 28, 14))
    assert point_calendar.next_closing(at(2026, 11, 28, 10)) == at(2026, 11, 28, 14)
    assert point_calendar.next_opening(at(2026, 11, 28, 14)) == at(2026, 11, 30, 9)


def test_sunday_is_closed_without_a_reason(point_calendar):
    sunday = date(2026, 11, 29)
    assert point_calendar.intervals_on(sunday) == []
    assert point_calendar.closed_reason(sunday) is None
    assert not point_calendar.is_open(at(2026, 11, 29, 12))


def test_opening_and_closing_are_half_open(point_calendar):
    assert point_calendar.is_open(at(2026, 11, 30, 9))
    assert not point_calendar.is_open(at(2026, 11, 30, 8, 59, 59))
    assert not point_calendar.is_open(at(2026, 11, 30, 19))
    assert point_calendar.next_closing(at(2026, 11, 30, 19)) is None


def test_next_opening_starts_strictly_after_t(point_calendar):
    assert point_calendar.next_opening(at(2026, 11, 30, 9)) == at(2026, 12, 1, 9)
    assert point_calendar.next_opening(at(2026, 11, 30, 8, 59)) == at(2026, 11, 30, 9)
    assert point_calendar.next_opening(at(2026, 11, 30, 12)) == at(2026, 12, 1, 9)


def test_any_time_zone_in_gives_office_time_out(point_calendar):
    tokyo = datetime(2026, 11, 30, 23, tzinfo=ZoneInfo("Asia/Tokyo"))  # 15:00 in Kraków
    assert point_calendar.is_open(tokyo)
    assert point_calendar.next_closing(tokyo) == at(2026, 11, 30, 19)
    assert point_calendar.next_closing(tokyo).tzinfo == WARSAW


def test_naive_datetimes_are_refused(point_calendar):
    naive = datetime(2026, 11, 30, 10)
    for call in (
        lambda: point_calendar.is_open(naive),
        lambda: point_calendar.next_opening(naive),
        lambda: point_calendar.next_closing(naive),
        lambda: point_calendar.add_working_time(naive, HOUR),
        lambda: point_calendar.working_time_between(naive, at(2026, 12, 1, 10)),
        lambda: point_calendar.working_time_between(at(2026, 11, 1, 10), naive),
    ):
        with pytest.raises(ValueError, match="timezone-aware"):
            call()


def test_week_hours(point_calendar):
    week = point_calendar.week_hours()
    assert [day for day, _spans in week] == list(range(7))
    assert week[0] == (0, [(time(9), time(19))])
    assert week[5] == (5, [(time(9), time(14))])
    assert week[6] == (6, [])


def test_touching_intervals_are_one_interval():
    calendar = OfficeCalendar(weekly={0: [(time(12), time(15)), (time(9), time(12))]})
    monday = date(2026, 11, 30)
    assert calendar.intervals_on(monday) == [(at(2026, 11, 30, 9), at(2026, 11, 30, 15))]
    assert calendar.next_closing(at(2026, 11, 30, 11)) == at(2026, 11, 30, 15)


def test_lunch_break():
    calendar = OfficeCalendar(weekly={0: [(time(9), time(12)), (time(13), time(17))]})
    assert not calendar.is_open(at(2026, 11, 30, 12, 30))
    assert calendar.next_opening(at(2026, 11, 30, 12, 30)) == at(2026, 11, 30, 13)
    assert calendar.add_working_time(at(2026, 11, 30, 11), 2 * HOUR) == at(2026, 11, 30, 14)


# --- clock changes ------------------------------------------------------------------------------

EVERY_DAY = {day: [(time(9), time(19))] for day in range(7)}
NIGHT = {day: [(time(1), time(5))] for day in range(7)}


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_nine_to_seven_on_a_switch_day_is_ten_real_hours(day):
    calendar = OfficeCalendar(weekly=EVERY_DAY)
    [(start, end)] = calendar.intervals_on(day)
    assert (start.hour, end.hour) == (9, 19)
    assert end - start == 10 * HOUR
    assert calendar.working_time_between(start - 5 * HOUR, end + 5 * HOUR) == 10 * HOUR


def test_spring_forward_night_is_an_hour_shorter():
    calendar = OfficeCalendar(weekly=NIGHT)
    [(start, end)] = calendar.intervals_on(date(2026, 3, 29))
    assert start.isoformat() == "2026-03-29T01:00:00+01:00"
    assert end.isoformat() == "2026-03-29T05:00:00+02:00"
    assert calendar.working_time_between(start, end) == 3 * HOUR
    # 01:00 + 1.5 h of real time is 03:30 summer time (02:00–03:00 does not exist).
    assert calendar.add_working_time(start, 1.5 * HOUR).isoformat() == "2026-03-29T03:30:00+02:00"


def test_fall_back_night_is_an_hour_longer():
    calendar = OfficeCalendar(weekly=NIGHT)
    [(start, end)] = calendar.intervals_on(date(2026, 10, 25))
    assert start.isoformat() == "2026-10-25T01:00:00+02:00"
    assert end.isoformat() == "2026-10-25T05:00:00+01:00"
    assert calendar.working_time_between(start, end) == 5 * HOUR
    # 01:00 + 2 h of real time is the second 02:00 (winter time).
    later = calendar.add_working_time(start, 2 * HOUR)
    assert later.isoformat() == "2026-10-25T02:00:00+01:00"
    assert calendar.add_working_time(start, 5 * HOUR) == end


def test_an_opening_time_inside_the_spring_gap_moves_on_by_the_gap():
    calendar = OfficeCalendar(weekly={6: [(time(2, 30), time(4))]})
    [(start, end)] = calendar.intervals_on(date(2026, 3, 29))
    assert start.isoformat() == "2026-03-29T03:30:00+02:00"
    assert end - start == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("friday", "monday"),
    [
        (at(2026, 3, 27, 18), at(2026, 3, 30, 10)),  # spring forward on Sunday 29 March
        (at(2026, 10, 23, 18), at(2026, 10, 26, 10)),  # fall back on Sunday 25 October
    ],
)
def test_working_time_across_a_switch_weekend(point_calendar, friday, monday):
    # Friday 18–19, Saturday 9–14, Monday 9–10.
    assert point_calendar.working_time_between(friday, monday) == 7 * HOUR
    assert point_calendar.add_working_time(friday, 7 * HOUR) == monday
    assert point_calendar.add_working_time(friday, 7 * HOUR).utcoffset() == monday.utcoffset()


def test_working_time_of_a_whole_day_across_the_spring_switch():
    calendar = OfficeCalendar(weekly={day: [(time(0), time(23, 59))] for day in range(7)})
    saturday_noon, sunday_noon = at(2026, 3, 28, 12), at(2026, 3, 29, 12)
    # Saturday 12:00–23:59, then Sunday 00:00–12:00 which is only 11 real hours.
    expected = timedelta(hours=11, minutes=59) + 11 * HOUR
    assert calendar.working_time_between(saturday_noon, sunday_noon) == expected
    assert calendar.add_working_time(saturday_noon, expected) == sunday_noon


# --- add_working_time and working_time_between -----------------------------------------------


def test_add_working_time_within_one_interval(point_calendar):
    assert point_calendar.add_working_time(at(2026, 11, 30, 10), 2 * HOUR) == at(2026, 11, 30, 12)


def test_add_working_time_from_a_closed_moment_starts_at_the_opening(point_calendar):
    assert point_calendar.add_working_time(at(2026, 11, 30, 6), HOUR) == at(2026, 11, 30, 10)
    assert point_calendar.add_working_time(at(2026, 11, 29, 23), HOUR) == at(2026, 11, 30, 10)


def test_add_working_time_over_midnight(point_calendar):
    assert point_calendar.add_working_time(at(2026, 11, 27, 18, 30), HOUR) == at(
        2026, 11, 28, 9, 30
    )
    # Saturday 13:00 + 2 h: one hour on Saturday, then Monday (Sunday closed).
    assert point_calendar.add_working_time(at(2026, 11, 28, 13), 2 * HOUR) == at(2026, 11, 30, 10)


def test_add_working_time_ending_at_closing_time_gives_closing_time(point_calendar):
    assert point_calendar.add_working_time(at(2026, 11, 30, 8), 10 * HOUR) == at(2026, 11, 30, 19)


def test_add_working_time_over_many_days(point_calendar):
    monday = at(2026, 11, 23, 9)
    # Five days of 10 h and a Saturday of 5 h.
    assert point_calendar.add_working_time(monday, 55 * HOUR) == at(2026, 11, 28, 14)
    assert point_calendar.add_working_time(monday, 56 * HOUR) == at(2026, 11, 30, 10)


def test_add_working_time_skips_holidays(point_calendar):
    # Tuesday 10 November 18:00 + 2 h: 1 h on Tuesday, Wednesday is Independence Day.
    assert point_calendar.add_working_time(at(2026, 11, 10, 18), 2 * HOUR) == at(2026, 11, 12, 10)


def test_add_zero_returns_t_even_when_closed(point_calendar):
    sunday = at(2026, 11, 29, 22)
    assert point_calendar.add_working_time(sunday, timedelta(0)) == sunday


def test_add_negative_time_is_refused(point_calendar):
    with pytest.raises(ValueError, match="negative"):
        point_calendar.add_working_time(at(2026, 11, 30, 10), -HOUR)


def test_working_time_between(point_calendar):
    assert point_calendar.working_time_between(at(2026, 11, 30, 10), at(2026, 11, 30, 12)) == (
        2 * HOUR
    )
    # A week of the point: 5 × 10 h + 5 h.
    assert point_calendar.working_time_between(at(2026, 11, 23, 0), at(2026, 11, 30, 0)) == (
        55 * HOUR
    )
    # The week of Independence Day loses 10 h.
    assert point_calendar.working_time_between(at(2026, 11, 9, 0), at(2026, 11, 16, 0)) == (
        45 * HOUR
    )


def test_working_time_between_is_zero_when_b_is_not_after_a(point_calendar):
    a = at(2026, 11, 30, 12)
    assert point_calendar.working_time_between(a, a) == timedelta(0)
    assert point_calendar.working_time_between(a, a - HOUR) == timedelta(0)


def test_a_calendar_without_hours_never_opens():
    calendar = OfficeCalendar(weekly={})
    assert calendar.next_opening(at(2026, 11, 30, 10)) is None
    with pytest.raises(ValueError, match="no opening hours"):
        calendar.add_working_time(at(2026, 11, 30, 10), HOUR)


def test_next_opening_looks_past_a_long_closure():
    closure = ClosureSpan(date(2026, 12, 1), date(2027, 6, 30), {"en": "Renovation"})
    calendar = OfficeCalendar(weekly=POINT_WEEKLY, closures=[closure])
    assert calendar.next_opening(at(2026, 11, 30, 20)) == at(2027, 7, 1, 9)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    minutes=st.integers(min_value=0, max_value=200 * 60),
)
def test_working_time_between_undoes_add_working_time(start, minutes):
    calendar = OfficeCalendar(weekly=POINT_WEEKLY, country="PL", time_zone="Europe/Warsaw")
    a = start.replace(tzinfo=WARSAW)
    duration = timedelta(minutes=minutes)
    b = calendar.add_working_time(a, duration)
    assert b >= a
    assert calendar.working_time_between(a, b) == duration
    if minutes:
        assert calendar.is_open(b - timedelta(microseconds=1))


# --- closures and changed hours ---------------------------------------------------------------

STOCKTAKING = ClosureSpan(
    date(2026, 12, 28), date(2026, 12, 31), {"en": "Stocktaking", "pl": "Inwentaryzacja"}
)


def test_a_closure_closes_every_day_it_spans():
    calendar = OfficeCalendar(weekly=POINT_WEEKLY, closures=[STOCKTAKING])
    for offset in range(4):
        assert calendar.intervals_on(date(2026, 12, 28) + timedelta(days=offset)) == []
    assert calendar.is_open(at(2026, 12, 23, 10))
    # 24–26 December are holidays, 28–31 the closure, 1 January a holiday: Saturday 2 January.
    assert calendar.next_opening(at(2026, 12, 23, 19)) == at(2027, 1, 2, 9)


def test_a_closure_reason_is_in_the_active_language_with_fallback():
    calendar = OfficeCalendar(weekly=POINT_WEEKLY, closures=[STOCKTAKING])
    with translation.override("pl"):
        assert calendar.closed_reason(date(2026, 12, 29)) == "Inwentaryzacja"
    with translation.override("en"):
        assert calendar.closed_reason(date(2026, 12, 29)) == "Stocktaking"
    with translation.override("uk"):  # no Ukrainian text: the first fallback (en)
        assert calendar.closed_reason(date(2026, 12, 29)) == "Stocktaking"


def test_changed_hours_replace_the_weekly_hours():
    calendar = OfficeCalendar(
        weekly=POINT_WEEKLY, changed={date(2026, 12, 23): [(time(9), time(12))]}
    )
    assert calendar.intervals_on(date(2026, 12, 23)) == [
        (at(2026, 12, 23, 9), at(2026, 12, 23, 12))
    ]
    assert not calendar.is_open(at(2026, 12, 23, 13))
    assert calendar.working_time_between(at(2026, 12, 23, 0), at(2026, 12, 24, 0)) == 3 * HOUR


def test_changed_hours_open_a_holiday_or_a_sunday():
    calendar = OfficeCalendar(
        weekly=POINT_WEEKLY,
        changed={
            date(2026, 11, 11): [(time(10), time(12))],
            date(2026, 11, 29): [(time(10), time(11))],
        },
    )
    assert calendar.is_open(at(2026, 11, 11, 11))
    assert calendar.closed_reason(date(2026, 11, 11)) is None
    assert calendar.is_open(at(2026, 11, 29, 10, 30))


def test_a_closure_wins_over_changed_hours():
    calendar = OfficeCalendar(
        weekly=POINT_WEEKLY,
        closures=[STOCKTAKING],
        changed={date(2026, 12, 29): [(time(9), time(12))]},
    )
    assert calendar.intervals_on(date(2026, 12, 29)) == []


def test_upcoming_exceptions():
    calendar = OfficeCalendar(
        weekly=POINT_WEEKLY,
        closures=[STOCKTAKING],
        changed={date(2026, 12, 23): [(time(9), time(12))]},
    )
    with translation.override("en"):
        found = calendar.upcoming_exceptions(date(2026, 12, 20), 14)
    assert found == [
        CalendarException(
            "changed", date(2026, 12, 23), date(2026, 12, 23), None, ((time(9), time(12)),)
        ),
        CalendarException("holiday", date(2026, 12, 24), date(2026, 12, 24), "Christmas Eve"),
        CalendarException("holiday", date(2026, 12, 25), date(2026, 12, 25), "Christmas Day"),
        CalendarException(
            "holiday", date(2026, 12, 26), date(2026, 12, 26), "Second Day of Christmas"
        ),
        CalendarException("closure", date(2026, 12, 28), date(2026, 12, 31), "Stocktaking"),
        CalendarException("holiday", date(2027, 1, 1), date(2027, 1, 1), "New Year's Day"),
    ]


def test_upcoming_exceptions_leave_out_holidays_on_closed_days(point_calendar):
    # Sunday 1 November 2026 is All Saints' Day: the point is closed on Sundays anyway.
    assert point_calendar.upcoming_exceptions(date(2026, 11, 1), 1) == []


# --- status -------------------------------------------------------------------------------------


def test_status_on_a_holiday(point_calendar):
    with translation.override("en"):
        status = point_calendar.status(at(2026, 11, 11, 10))
    assert not status.open
    assert status.closes_at is None
    assert status.next_opening == at(2026, 11, 12, 9)
    assert status.reason == "National Independence Day"


def test_status_when_open_and_on_an_ordinary_evening(point_calendar):
    status = point_calendar.status(at(2026, 11, 30, 10))
    assert (status.open, status.closes_at, status.reason) == (True, at(2026, 11, 30, 19), None)
    evening = point_calendar.status(at(2026, 11, 30, 20))
    assert (evening.open, evening.reason, evening.next_opening) == (False, None, at(2026, 12, 1, 9))


# --- the overlap rule ---------------------------------------------------------------------------


def test_overlapping_spans():
    assert overlapping_spans([(time(9), time(12)), (time(11), time(14))]) == [
        ((time(9), time(12)), (time(11), time(14)))
    ]
    assert overlapping_spans([(time(9), time(12)), (time(12), time(14))]) == []
    assert overlapping_spans([(time(8), time(20)), (time(9), time(10)), (time(11), time(12))]) == [
        ((time(8), time(20)), (time(9), time(10))),
        ((time(8), time(20)), (time(11), time(12))),
    ]


def test_spans_problems_name_the_day_and_the_hours():
    with translation.override("en"):
        problems = spans_problems(
            {0: [(time(9), time(12)), (time(11), time(14))], 1: [(time(19), time(9))]}
        )
    assert problems == [
        (0, "Opening hours 09:00–12:00 and 11:00–14:00 overlap."),
        (1, "Closing time 09:00 must be later than opening time 19:00."),
    ]
