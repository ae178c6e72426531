from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from infopoint.hours import calendar as hours_calendar
from infopoint.hours.models import NoticeLevel
from infopoint.hours.selectors import (
    calendar_for_schedule,
    notices_in_force,
    office_calendar,
    office_status,
)
from infopoint.hours.services import schedule_set_weekly_hours

from .conftest import POINT_WEEKLY
from .factories import (
    ChangedHoursFactory,
    ClosureFactory,
    ClosureTranslationFactory,
    ServiceNoticeFactory,
    ServiceNoticeTranslationFactory,
)

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


@pytest.fixture
def point():
    schedule, _changed = schedule_set_weekly_hours(
        slug="information-point", name="Information point", weekly=POINT_WEEKLY
    )
    return schedule


def test_calendar_for_schedule_reads_everything_in_four_queries(point, django_assert_num_queries):
    ChangedHoursFactory(schedule=point, date=date(2026, 12, 23), opens=time(9), closes=time(12))
    closure = ClosureFactory(
        schedule=point, starts_on=date(2026, 12, 28), ends_on=date(2026, 12, 31)
    )
    ClosureTranslationFactory(closure=closure, language="en", reason="Stocktaking")
    ClosureTranslationFactory(closure=closure, language="pl", reason="Inwentaryzacja")
    everywhere = ClosureFactory(
        schedule=None, starts_on=date(2026, 12, 2), ends_on=date(2026, 12, 2)
    )
    ClosureTranslationFactory(closure=everywhere, language="en", reason="City-wide closure")
    elsewhere = ClosureFactory(starts_on=date(2026, 12, 3), ends_on=date(2026, 12, 3))

    with django_assert_num_queries(4):
        calendar = calendar_for_schedule("information-point")

    assert calendar.week_hours()[5] == (5, [(time(9), time(14))])
    assert calendar.intervals_on(date(2026, 12, 23)) == [
        (at(2026, 12, 23, 9), at(2026, 12, 23, 12))
    ]
    with translation.override("pl"):
        assert calendar.closed_reason(date(2026, 12, 30)) == "Inwentaryzacja"
    with translation.override("en"):
        assert calendar.closed_reason(date(2026, 12, 2)) == "City-wide closure"
    assert elsewhere.schedule != point
    assert calendar.is_open(at(2026, 12, 3, 10))


def test_a_closure_without_any_translation_still_closes(point):
    ClosureFactory(schedule=point, starts_on=date(2026, 12, 3), ends_on=date(2026, 12, 4))
    calendar = calendar_for_schedule("information-point")
    assert not calendar.is_open(at(2026, 12, 3, 10))
    assert calendar.closed_reason(date(2026, 12, 3)) is None


def test_calendar_for_an_unknown_schedule_raises():
    from infopoint.hours.models import Schedule

    with pytest.raises(Schedule.DoesNotExist):
        calendar_for_schedule("nowhere")


def test_office_calendar_is_the_points_schedule(point, settings):
    settings.OFFICE_SCHEDULE = "information-point"
    assert office_calendar().is_open(at(2026, 11, 28, 10))


def test_office_calendar_without_its_schedule_is_closed(settings, caplog):
    settings.OFFICE_SCHEDULE = "not-loaded"
    calendar = office_calendar()
    assert not calendar.is_open(at(2026, 11, 30, 10))
    assert "not-loaded" in caplog.text


def test_module_functions_ask_the_points_calendar(point):
    assert hours_calendar.is_open(at(2026, 11, 30, 10))
    assert hours_calendar.next_opening(at(2026, 11, 11, 10)) == at(2026, 11, 12, 9)
    assert hours_calendar.add_working_time(at(2026, 11, 10, 18), timedelta(hours=2)) == at(
        2026, 11, 12, 10
    )
    assert hours_calendar.working_time_between(
        at(2026, 11, 27, 18), at(2026, 11, 30, 10)
    ) == timedelta(hours=7)


def test_office_status_uses_now(point):
    with time_machine.travel(at(2026, 11, 11, 10), tick=False), translation.override("en"):
        status = office_status()
    assert not status.open
    assert status.reason == "National Independence Day"
    assert status.next_opening == at(2026, 11, 12, 9)
    with time_machine.travel(at(2026, 11, 28, 13), tick=False):
        status = office_status()
    assert status.open
    assert status.closes_at == at(2026, 11, 28, 14)


def test_office_status_at_a_given_moment(point):
    status = office_status(at(2026, 11, 29, 12))
    assert (status.open, status.reason, status.next_opening) == (False, None, at(2026, 11, 30, 9))


def test_notices_in_force_respects_the_date_range(django_assert_num_queries):
    open_ended = ServiceNoticeFactory(starts_at=at(2021, 2, 9))
    ServiceNoticeTranslationFactory(notice=open_ended, language="en", title="Online only")
    ServiceNoticeTranslationFactory(notice=open_ended, language="pl", title="Tylko online")
    week = ServiceNoticeFactory(
        starts_at=at(2026, 12, 1), ends_at=at(2026, 12, 8), level=NoticeLevel.WARNING
    )
    ServiceNoticeFactory(starts_at=at(2027, 1, 1))

    assert notices_in_force(at(2021, 2, 8, 23, 59)) == []
    assert notices_in_force(at(2021, 2, 9)) == [open_ended]
    # Important notices first.
    assert notices_in_force(at(2026, 12, 1)) == [week, open_ended]
    assert notices_in_force(at(2026, 12, 8)) == [open_ended]
    with django_assert_num_queries(2):
        notices = notices_in_force(at(2026, 11, 30))
        assert notices[0].translation("pl").title == "Tylko online"
    with time_machine.travel(at(2026, 12, 5), tick=False):
        assert notices_in_force() == [week, open_ended]
