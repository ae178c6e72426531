"""Slot computation: availability ∩ office hours − holidays − closures − bookings, DST, notice."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from infopoint.appointments.models import (
    AvailabilityException,
    AvailabilityRule,
    Booking,
    BookingStatus,
    ExceptionKind,
)
from infopoint.appointments.selectors import slots_free
from infopoint.appointments.slots import (
    AdviserPlan,
    compute_slots,
    slot_key,
    slot_key_parse,
)
from infopoint.hours.calendar import OfficeCalendar
from infopoint.hours.models import Closure, WeeklyHours
from infopoint.topics.models import Topic

from .helpers import NOW, WARSAW, at

pytestmark = pytest.mark.django_db


def _times(slots) -> list[str]:
    return [f"{s.starts_at:%Y-%m-%d %H:%M}" for s in slots]


def test_slots_follow_length_and_break_inside_availability(adviser) -> None:
    slots = slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1), now=NOW)
    assert _times(slots) == [
        "2026-12-01 15:00",
        "2026-12-01 16:00",
        "2026-12-01 17:00",
        "2026-12-01 18:00",
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=45) for s in slots)
    assert slots[0].starts_at.tzinfo.key == "Europe/Warsaw"
    assert slots[0].languages == ("pl", "uk", "ru")


def test_availability_is_cut_to_office_hours(make_adviser) -> None:
    # The adviser would work Saturday 12:00–16:00, but the point closes at 14:00.
    make_adviser(rules=((5, time(12), time(16)),), minutes=60, buffer=0)
    slots = slots_free(start=date(2026, 12, 5), end=date(2026, 12, 5), now=NOW)
    assert _times(slots) == ["2026-12-05 12:00", "2026-12-05 13:00"]


def test_no_slots_on_public_holidays_or_closures(make_adviser, office_hours) -> None:
    # Thursdays 10–12; 24 December 2026 is a public holiday in Poland (since 2025).
    make_adviser(rules=((3, time(10), time(12)),), minutes=60, buffer=0)
    closure = Closure.objects.create(
        schedule=office_hours, starts_on=date(2026, 12, 10), ends_on=date(2026, 12, 10)
    )
    slots = slots_free(start=date(2026, 12, 1), end=date(2026, 12, 31), now=NOW)
    days = sorted({s.starts_at.date() for s in slots})
    assert date(2026, 12, 3) in days
    assert date(2026, 12, 10) not in days  # closure
    assert date(2026, 12, 24) not in days  # Christmas Eve, a public holiday
    assert date(2026, 12, 31) in days
    closure.delete()


def test_booked_times_and_their_break_are_not_free(adviser) -> None:
    Booking.objects.create(
        adviser=adviser,
        starts_at=at(2026, 12, 1, 16, 0),
        ends_at=at(2026, 12, 1, 16, 45),
        name="X",
        email="x@example.com",
        language="pl",
        consent_version="v",
        consent_given_at=NOW,
        uid="a@b",
    )
    # An off-grid appointment at 17:30 also blocks 17:00 and 18:00 (break of 15 minutes).
    Booking.objects.create(
        adviser=adviser,
        starts_at=at(2026, 12, 1, 17, 50),
        ends_at=at(2026, 12, 1, 18, 5),
        name="Y",
        email="y@example.com",
        language="pl",
        consent_version="v",
        consent_given_at=NOW,
        uid="c@d",
    )
    slots = slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1), now=NOW)
    assert _times(slots) == ["2026-12-01 15:00"]


def test_cancelled_bookings_free_the_time(adviser) -> None:
    Booking.objects.create(
        adviser=adviser,
        starts_at=at(2026, 12, 1, 16, 0),
        ends_at=at(2026, 12, 1, 16, 45),
        status=BookingStatus.CANCELLED,
        name="X",
        email="x@example.com",
        language="pl",
        consent_version="v",
        consent_given_at=NOW,
        uid="a@b",
    )
    assert len(slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1), now=NOW)) == 4


def test_minimum_notice_counts_working_hours_and_horizon_ends(make_adviser) -> None:
    # Every working day 9–19. Monday 10:00 + 24 working hours = Wednesday 14:00
    # (Monday 9 h, Tuesday 10 h, Wednesday 5 h).
    make_adviser(rules=tuple((d, time(9), time(19)) for d in range(5)), minutes=60, buffer=0)
    slots = slots_free(start=date(2026, 11, 23), end=date(2027, 3, 1), now=NOW)
    assert _times(slots)[0] == "2026-11-25 14:00"
    assert slots[-1].starts_at < NOW + timedelta(days=42)
    assert slots[-1].starts_at.date() == date(2027, 1, 4)


def test_language_and_topic_filters(make_adviser) -> None:
    ukrainian = make_adviser("olena", languages=("uk",), first_name="Olena")
    english = make_adviser("john", languages=("en",), first_name="John")
    housing = Topic.objects.create(slug="housing")
    work = Topic.objects.create(slug="work")
    english.topics.add(housing)
    one_day = {"start": date(2026, 12, 1), "end": date(2026, 12, 1), "now": NOW}
    assert {s.adviser_id for s in slots_free(language="uk", **one_day)} == {ukrainian.pk}
    assert {s.adviser_id for s in slots_free(language="en", **one_day)} == {english.pk}
    # Olena takes every topic; John only housing.
    assert {s.adviser_id for s in slots_free(topic=work, **one_day)} == {ukrainian.pk}
    assert {s.adviser_id for s in slots_free(topic=housing, **one_day)} == {
        ukrainian.pk,
        english.pk,
    }


def test_exceptions_leave_and_extra_hours(adviser) -> None:
    AvailabilityException.objects.create(
        adviser=adviser, date=date(2026, 12, 1), kind=ExceptionKind.CLOSED
    )
    AvailabilityException.objects.create(
        adviser=adviser,
        date=date(2026, 12, 8),
        kind=ExceptionKind.CLOSED,
        starts_at=time(16),
        ends_at=time(18),
    )
    AvailabilityException.objects.create(
        adviser=adviser,
        date=date(2026, 12, 3),
        kind=ExceptionKind.EXTRA,
        starts_at=time(9),
        ends_at=time(10),
    )
    slots = slots_free(start=date(2026, 12, 1), end=date(2026, 12, 8), now=NOW)
    assert _times(slots) == [
        "2026-12-03 09:00",
        "2026-12-08 15:00",
        "2026-12-08 18:00",
    ]


def test_inactive_advisers_offer_nothing(adviser) -> None:
    adviser.is_active = False
    adviser.save()
    assert slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1), now=NOW) == []


def test_slots_on_the_days_the_clocks_change(make_adviser, office_hours) -> None:
    # The point opens on Sunday nights in this test, so the clock changes fall inside.
    WeeklyHours.objects.create(schedule=office_hours, weekday=6, opens=time(0), closes=time(6))
    make_adviser(rules=((6, time(1), time(5)),), minutes=60, buffer=0)
    now = datetime(2026, 3, 1, 12, tzinfo=WARSAW)
    spring = slots_free(start=date(2026, 3, 29), end=date(2026, 3, 29), now=now)
    # 02:00–03:00 does not exist on 29 March 2026: three real hours, three slots.
    assert [s.starts_at.astimezone(UTC).hour for s in spring] == [0, 1, 2]
    assert [f"{s.starts_at:%H:%M %Z}" for s in spring] == ["01:00 CET", "03:00 CEST", "04:00 CEST"]
    # (Python subtracts datetimes of one zone by wall time: compare in UTC.)
    assert all(
        s.ends_at.astimezone(UTC) - s.starts_at.astimezone(UTC) == timedelta(hours=1)
        for s in spring
    )

    now = datetime(2026, 10, 1, 12, tzinfo=WARSAW)
    autumn = slots_free(start=date(2026, 10, 25), end=date(2026, 10, 25), now=now)
    # 02:00–03:00 happens twice on 25 October 2026: five real hours, five slots.
    labels = [f"{s.starts_at:%H:%M %Z}" for s in autumn]
    assert labels == ["01:00 CEST", "02:00 CEST", "02:00 CET", "03:00 CET", "04:00 CET"]
    assert len({s.key for s in autumn}) == 5


def test_office_hours_after_the_change_are_the_same_wall_time(make_adviser) -> None:
    make_adviser(rules=((0, time(9), time(10)),), minutes=60, buffer=0)
    now = datetime(2026, 3, 1, 12, tzinfo=WARSAW)
    before, after = slots_free(start=date(2026, 3, 23), end=date(2026, 3, 30), now=now)
    assert (before.starts_at.hour, after.starts_at.hour) == (9, 9)
    assert before.starts_at.astimezone(UTC).hour == 8
    assert after.starts_at.astimezone(UTC).hour == 7


def test_slots_free_uses_few_queries(make_adviser) -> None:
    for n in range(5):
        adviser = make_adviser(f"adviser{n}", rules=tuple((d, time(9), time(19)) for d in range(5)))
        AvailabilityRule.objects.create(
            adviser=adviser, weekday=5, starts_at=time(9), ends_at=time(14)
        )
    with CaptureQueriesContext(connection) as queries:
        slots = slots_free(start=date(2026, 11, 23), end=date(2027, 1, 4), now=NOW)
    assert slots
    # Office calendar (4), advisers + rules + exceptions + topics (4), bookings (1).
    assert len(queries) <= 9, [q["sql"] for q in queries]


def test_slot_keys_round_trip_and_reject_garbage() -> None:
    starts = datetime(2026, 12, 1, 15, tzinfo=WARSAW)
    assert slot_key_parse(slot_key(7, starts)) == (7, starts.astimezone(UTC))
    for bad in ["", "x-1", "7-", "-5", "7-abc", "7-99999999999999", "1-2-3"]:
        assert slot_key_parse(bad) is None


def test_compute_slots_is_pure() -> None:
    calendar = OfficeCalendar(weekly={1: [(time(9), time(19))]}, time_zone=WARSAW)
    plan = AdviserPlan(
        id=1,
        length=timedelta(minutes=30),
        buffer=timedelta(minutes=0),
        weekly={1: [(time(9), time(10))]},
    )
    slots = compute_slots(
        advisers=[plan],
        calendar=calendar,
        bookings={1: [(at(2026, 12, 1, 9, 0), at(2026, 12, 1, 9, 30))]},
        start=date(2026, 12, 1),
        end=date(2026, 12, 1),
        earliest=NOW,
        latest=NOW + timedelta(days=30),
    )
    assert _times(slots) == ["2026-12-01 09:30"]
