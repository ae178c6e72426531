"""Every figure of the reports against a direct ORM query over the same rows."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.db.models import Q, Sum

from infopoint.accounts.models import Role
from infopoint.appointments.models import Booking, BookingStatus
from infopoint.enquiries.models import Channel, Enquiry, Referral, Status
from infopoint.enquiries.services import enquiry_reply
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.models import SearchMiss
from infopoint.knowledge.services import search_miss_record
from infopoint.reports import selectors
from infopoint.reports.selectors import Period

from .factories import (
    AdviserFactory,
    BookingFactory,
    EnquiryFactory,
    ReferralFactory,
    institution_named,
    staff_user,
    topic_named,
)

pytestmark = pytest.mark.django_db
WARSAW = office_zone()
PERIOD = Period(start=date(2026, 9, 1), end=date(2026, 11, 30))


def _at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WARSAW)


def _percentile_cont(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@pytest.fixture
def data() -> dict[str, object]:
    """A few hundred random enquiries, referrals and bookings, some just outside the period."""
    rng = random.Random(20261124)
    topics = [topic_named("Residence permits"), topic_named("Work"), None]
    institutions = [institution_named("Voivodeship Office"), institution_named("Labour Office")]
    advisers = [AdviserFactory(), AdviserFactory()]
    # The edges: midnight at the start is in, midnight after the end is out.
    times = [
        datetime(2026, 9, 1, 0, 0, tzinfo=WARSAW),
        datetime(2026, 11, 30, 23, 59, 59, tzinfo=WARSAW),
        datetime(2026, 12, 1, 0, 0, tzinfo=WARSAW),
        datetime(2026, 8, 31, 23, 59, 59, tzinfo=WARSAW),
        datetime(2026, 8, 31, 22, 30, tzinfo=UTC),  # 1 September 00:30 in Warsaw
    ]
    times += [_at(8, 1) + timedelta(hours=rng.randint(0, 24 * 140)) for _ in range(300)]
    for created in times:
        answered = rng.random() < 0.7
        seconds = rng.randint(0, 40 * 3600) if answered else None
        enquiry = EnquiryFactory(
            created_at=created,
            due_at=created + timedelta(hours=rng.choice([24, 48, 72])),
            topic=rng.choice(topics),
            language=rng.choice(["pl", "uk", "ru", "en"]),
            channel=rng.choice(Channel.values),
            status=rng.choice(Status.values),
            first_response_at=created + timedelta(hours=rng.randint(1, 100)) if answered else None,
            first_response_working_seconds=seconds,
        )
        if rng.random() < 0.3:
            ReferralFactory(
                enquiry=enquiry,
                institution=rng.choice(institutions),
                created_at=created + timedelta(hours=1),
            )
        if rng.random() < 0.3:
            BookingFactory(
                adviser=rng.choice(advisers),
                starts_at=created + timedelta(days=1),
                status=rng.choice(BookingStatus.values),
                enquiry=enquiry,
            )
    return {"topics": topics, "institutions": institutions, "advisers": advisers}


def _in_period() -> Q:
    return Q(created_at__gte=PERIOD.since, created_at__lt=PERIOD.until)


def test_period_holds_whole_office_days() -> None:
    assert PERIOD.since == datetime(2026, 9, 1, tzinfo=WARSAW)
    assert PERIOD.until == datetime(2026, 12, 1, tzinfo=WARSAW)
    assert Period.month(2026, 12) == Period(start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert Period.month(2028, 2).end == date(2028, 2, 29)


def test_enquiry_counts_match_direct_queries(data: dict[str, object]) -> None:
    enquiries = Enquiry.objects.filter(_in_period())
    assert enquiries.count() > 150

    by_status = {row.key: row.count for row in selectors.enquiries_by_status(period=PERIOD)}
    assert by_status == {s: enquiries.filter(status=s).count() for s in Status.values}
    by_channel = {row.key: row.count for row in selectors.enquiries_by_channel(period=PERIOD)}
    assert by_channel == {c: enquiries.filter(channel=c).count() for c in Channel.values}
    by_language = {row.key: row.count for row in selectors.enquiries_by_language(period=PERIOD)}
    assert by_language == {code: enquiries.filter(language=code).count() for code in by_language}
    assert sum(by_language.values()) == enquiries.count()

    by_topic = {row.label: row.count for row in selectors.enquiries_by_topic(period=PERIOD)}
    assert by_topic == {
        name: enquiries.filter(topic__translations__name=name).count()
        for name in ("Residence permits", "Work")
    } | {
        "No topic": enquiries.filter(topic__isnull=True).count(),
    }
    rows = selectors.enquiries_by_topic(period=PERIOD)
    assert [row.count for row in rows] == sorted((row.count for row in rows), reverse=True)


def test_the_five_counts_together_are_the_five_counts(data: dict[str, object]) -> None:
    counts = selectors.enquiry_counts(period=PERIOD)
    assert counts.by_topic == selectors.enquiries_by_topic(period=PERIOD)
    assert counts.by_language == selectors.enquiries_by_language(period=PERIOD)
    assert counts.by_channel == selectors.enquiries_by_channel(period=PERIOD)
    assert counts.by_month == selectors.enquiries_by_month(period=PERIOD)
    assert counts.by_status == selectors.enquiries_by_status(period=PERIOD)
    assert sum(row.count for row in counts.by_month) == Enquiry.objects.filter(_in_period()).count()
    empty = selectors.enquiry_counts(period=Period(start=date(2020, 1, 1), end=date(2020, 2, 1)))
    assert [(row.key, row.count) for row in empty.by_month] == [("2020-01", 0), ("2020-02", 0)]
    assert empty.by_topic == []
    assert {row.count for row in empty.by_status} == {0}


def test_months_are_office_months_in_order_with_zeros(data: dict[str, object]) -> None:
    rows = selectors.enquiries_by_month(period=PERIOD)
    assert [row.key for row in rows] == ["2026-09", "2026-10", "2026-11"]
    for row, month in zip(rows, (9, 10, 11), strict=True):
        start = datetime(2026, month, 1, tzinfo=WARSAW)
        end = datetime(2026, month + 1, 1, tzinfo=WARSAW)
        in_month = Enquiry.objects.filter(created_at__gte=start, created_at__lt=end)
        assert row.count == in_month.count()
    # 1 September 00:30 Warsaw is 31 August in UTC: still September.
    assert rows[0].count >= 2

    winter = Period(start=date(2025, 12, 15), end=date(2026, 1, 2))
    empty = selectors.enquiries_by_month(period=winter)
    assert [(row.key, row.count) for row in empty] == [("2025-12", 0), ("2026-01", 0)]


def test_response_times_match_the_stored_seconds(data: dict[str, object]) -> None:
    now = _at(11, 24)
    times = selectors.response_times(period=PERIOD, now=now)
    enquiries = Enquiry.objects.filter(_in_period())
    answered = enquiries.filter(first_response_working_seconds__isnull=False)
    seconds = [float(s) for s in answered.values_list("first_response_working_seconds", flat=True)]

    assert times.received == enquiries.count()
    assert times.answered == len(seconds)
    assert times.median_seconds == pytest.approx(_percentile_cont(seconds, 0.5))
    assert times.p90_seconds == pytest.approx(_percentile_cont(seconds, 0.9))
    with_due = answered.filter(due_at__isnull=False)
    on_time = sum(1 for e in with_due if e.first_response_at <= e.due_at)
    assert times.answered_with_due == with_due.count()
    assert times.answered_on_time == on_time
    assert times.share_on_time == pytest.approx(on_time / with_due.count())
    overdue = enquiries.filter(
        first_response_at__isnull=True, due_at__lt=now, status__in=[Status.NEW, Status.OPEN]
    )
    assert times.unanswered_overdue == overdue.count()


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([3600], 3600, 3600),
        ([0, 3600], 1800, 3240),
        ([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000], 550, 910),
    ],
)
def test_percentiles_interpolate_like_percentile_cont(
    values: list[int], median: float, p90: float
) -> None:
    for value in values:
        EnquiryFactory(
            created_at=_at(10, 5),
            first_response_at=_at(10, 6),
            first_response_working_seconds=value,
        )
    times = selectors.response_times(period=PERIOD)
    assert times.median_seconds == pytest.approx(median)
    assert times.p90_seconds == pytest.approx(p90)


def test_a_period_without_enquiries_has_no_times() -> None:
    times = selectors.response_times(period=PERIOD)
    assert (times.received, times.answered, times.median_seconds, times.p90_seconds) == (
        0,
        0,
        None,
        None,
    )
    assert times.share_on_time is None


def test_referrals_by_institution_match(data: dict[str, object]) -> None:
    rows = selectors.referrals_by_institution(period=PERIOD)
    referrals = Referral.objects.filter(_in_period())
    assert {row.label: row.count for row in rows} == {
        name: referrals.filter(institution__translations__name=name).count()
        for name in ("Voivodeship Office", "Labour Office")
        if referrals.filter(institution__translations__name=name).exists()
    }
    assert selectors.total(rows) == referrals.count()


def test_appointments_by_adviser_match(data: dict[str, object]) -> None:
    rows = selectors.appointments_by_adviser(period=PERIOD)
    assert len(rows) == 2
    for row in rows:
        bookings = Booking.objects.filter(
            adviser_id=int(row.key), starts_at__gte=PERIOD.since, starts_at__lt=PERIOD.until
        )
        assert row.booked == bookings.count()
        assert row.held == bookings.filter(status=BookingStatus.HELD).count()
        assert row.no_show == bookings.filter(status=BookingStatus.NO_SHOW).count()
        assert row.cancelled == bookings.filter(status=BookingStatus.CANCELLED).count()
        assert row.cancelled_late == bookings.filter(status=BookingStatus.CANCELLED_LATE).count()
        assert row.pending == bookings.filter(status=BookingStatus.BOOKED).count()
        assert row.booked == sum(
            (row.held, row.no_show, row.cancelled, row.cancelled_late, row.pending)
        )


def test_the_reply_service_stores_the_working_time_of_the_first_answer() -> None:
    # Received Monday 23 November 2026, 10:00; the point is open Mon–Fri 9–19.
    enquiry = enquiry_make(received_at=_at(11, 23, 10))
    consultant = staff_user(Role.CONSULTANT)
    enquiry_reply(enquiry=enquiry, author=consultant, text="Answer", at=_at(11, 24, 10))
    enquiry.refresh_from_db()
    assert enquiry.first_response_working_seconds == 10 * 3600  # 9 hours Monday, 1 Tuesday

    # A second answer changes nothing: the first answer is what is measured.
    enquiry_reply(enquiry=enquiry, author=consultant, text="More", at=_at(11, 27, 10))
    enquiry.refresh_from_db()
    assert enquiry.first_response_working_seconds == 10 * 3600


def test_search_misses_match_direct_queries() -> None:
    """Random misses inside and just outside the period, against sums over the rows."""
    rng = random.Random(20261125)
    words = ["karta pobytu", "pesel", "meldunek", "=sum(a1)", "praca"]
    languages = [code for code, _name in settings.LANGUAGES]
    days = [PERIOD.start - timedelta(days=1), PERIOD.end + timedelta(days=1)]
    days += [PERIOD.start + timedelta(days=rng.randint(0, PERIOD.days - 1)) for _ in range(40)]
    for _n in range(400):
        search_miss_record(
            query=rng.choice(words), language=rng.choice(languages), day=rng.choice(days)
        )
    rows = selectors.search_misses(period=PERIOD)
    inside = SearchMiss.objects.filter(day__gte=PERIOD.start, day__lte=PERIOD.end)
    assert {row.query for row in rows} == set(inside.values_list("query", flat=True))
    for row in rows:
        of_query = inside.filter(query=row.query)
        assert row.count == of_query.aggregate(n=Sum("count"))["n"]
        for code in languages:
            expected = of_query.filter(language=code).aggregate(n=Sum("count"))["n"] or 0
            assert row.by_language[code] == expected
    assert [row.count for row in rows] == sorted((row.count for row in rows), reverse=True)
    assert selectors.search_misses(period=PERIOD, limit=2) == rows[:2]
    with pytest.raises(ValueError):
        selectors.search_misses(period=PERIOD, limit=0)
    empty = Period(start=date(2020, 1, 1), end=date(2020, 1, 31))
    assert selectors.search_misses(period=empty) == []
