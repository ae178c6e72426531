"""The figures of the reports: plain reads over a period, each one aggregate query or a few.

Every figure is counted in the database (GROUP BY), never by loading rows into Python, so
that a period with a million enquiries still answers in well under two seconds. Which rows
a period holds: enquiries and referrals by the time they were received or made, appointments
by the time they start; days are the office's days (Europe/Warsaw by default).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language_info, gettext

from infopoint.appointments.models import Adviser, Booking, BookingStatus
from infopoint.directory.models import Institution
from infopoint.enquiries.models import Channel, Enquiry, Referral, Status
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.models import SearchMiss
from infopoint.topics.models import Topic


@dataclass(frozen=True)
class Period:
    """Whole office days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=office_zone())

    @property
    def until(self) -> datetime:
        """The first moment after the period (midnight after ``end``), excluded."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=office_zone())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return cls(start=first, end=following - timedelta(days=1))


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ResponseTimes:
    """First answers to the enquiries received in the period, in opening time (seconds)."""

    received: int
    answered: int
    median_seconds: float | None
    p90_seconds: float | None
    # Answered enquiries that had a due time, and those of them answered by it.
    answered_with_due: int
    answered_on_time: int
    # Not answered yet although the due time has passed.
    unanswered_overdue: int

    @property
    def share_on_time(self) -> float | None:
        if not self.answered_with_due:
            return None
        return self.answered_on_time / self.answered_with_due


@dataclass(frozen=True)
class AdviserRow:
    key: str
    label: str
    booked: int
    held: int
    no_show: int
    cancelled: int
    cancelled_late: int
    # Still "booked": the appointment is to come or its outcome was not recorded yet.
    pending: int


def _enquiries(period: Period) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(created_at__gte=period.since, created_at__lt=period.until)


def _counts_by(queryset: QuerySet, field: str) -> dict[object, int]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk")).values_list(field, "n")
    return dict(rows)


def _choice_rows(
    counts: dict[object, int], choices: Iterable[tuple[str, object]]
) -> list[CountRow]:
    """One row per choice, in the choices' order, zeros included; unknown stored values last."""
    rows = [CountRow(str(value), str(label), counts.get(value, 0)) for value, label in choices]
    known = {value for value, _label in choices}
    rows += [CountRow(str(v), str(v), n) for v, n in counts.items() if v not in known]
    return rows


def _status_rows(counts: dict[object, int]) -> list[CountRow]:
    return _choice_rows(counts, Status.choices)


def _channel_rows(counts: dict[object, int]) -> list[CountRow]:
    return _choice_rows(counts, Channel.choices)


def _language_rows(counts: dict[object, int]) -> list[CountRow]:
    """The site's languages named in the reader's language (settings name them in their own)."""
    names = [(code, get_language_info(code)["name_translated"]) for code, _n in settings.LANGUAGES]
    return _choice_rows(counts, names)


def _named_rows(
    counts: dict[object, int], objects: Iterable[object], none_label: str
) -> list[CountRow]:
    """Rows for counts keyed by primary key, named by the objects (in the active language)."""
    names = {obj.pk: str(obj) for obj in objects}  # type: ignore[attr-defined]
    rows = [
        CountRow(str(pk) if pk is not None else "", names.get(pk, none_label), n)
        for pk, n in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def _topic_rows(counts: dict[object, int]) -> list[CountRow]:
    """Topics that had enquiries, most first; enquiries without a topic in a row of their own."""
    topics = Topic.objects.filter(pk__in=[pk for pk in counts if pk is not None])
    return _named_rows(counts, topics.prefetch_related("translations"), gettext("No topic"))


def _months(period: Period) -> list[date]:
    months = []
    month = period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _month_rows(counts: dict[date, int], period: Period) -> list[CountRow]:
    """Every month of the period in order, zeros included."""
    return [
        CountRow(month.strftime("%Y-%m"), month.strftime("%Y-%m"), counts.get(month, 0))
        for month in _months(period)
    ]


def _month_starts(period: Period) -> list[datetime]:
    """The first moment of every month of the period in the office's calendar, then the end."""
    zone = office_zone()
    return [datetime.combine(month, time.min, tzinfo=zone) for month in _months(period)] + [
        period.until
    ]


def _month_counts_postgresql(period: Period) -> dict[date, int]:
    """The months as buckets between their first moments: a binary search per row, where
    truncating each row's time in the office's zone costs a zone conversion per row."""
    from django.contrib.postgres.fields import ArrayField

    months = _months(period)
    bounds = _month_starts(period)
    bucket = Func(
        F("created_at"),
        Value(bounds, output_field=ArrayField(DateTimeField())),
        function="width_bucket",
        output_field=IntegerField(),
    )
    rows = (
        _enquiries(period)
        .order_by()
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )
    # Bucket 1 is the first month; every row of the period falls in 1..len(months).
    return {months[index - 1]: n for index, n in rows}


def _month_counts(period: Period) -> dict[date, int]:
    """Enquiries per month of the office's calendar (first day of the month → count)."""
    if connection.vendor == "postgresql":
        return _month_counts_postgresql(period)
    zone = office_zone()
    rows = (
        _enquiries(period)
        .order_by()
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    counts: dict[date, int] = {}
    for month, n in rows:
        day = timezone.localtime(month, zone).date() if isinstance(month, datetime) else month
        counts[day] = counts.get(day, 0) + n
    return counts


def enquiries_by_status(*, period: Period) -> list[CountRow]:
    return _status_rows(_counts_by(_enquiries(period), "status"))


def enquiries_by_channel(*, period: Period) -> list[CountRow]:
    return _channel_rows(_counts_by(_enquiries(period), "channel"))


def enquiries_by_language(*, period: Period) -> list[CountRow]:
    return _language_rows(_counts_by(_enquiries(period), "language"))


def enquiries_by_topic(*, period: Period) -> list[CountRow]:
    return _topic_rows(_counts_by(_enquiries(period), "topic"))


def enquiries_by_month(*, period: Period) -> list[CountRow]:
    return _month_rows(_month_counts(period), period)


@dataclass(frozen=True)
class EnquiryCounts:
    by_topic: list[CountRow]
    by_language: list[CountRow]
    by_channel: list[CountRow]
    by_month: list[CountRow]
    by_status: list[CountRow]


def enquiry_counts(*, period: Period) -> EnquiryCounts:
    """Enquiries by topic, language, channel, month and status, for a page or the API.

    Five GROUP BY queries. Measured slower over a million rows on PostgreSQL (bench/reports.py,
    docs/benchmarks.md): one pass with GROUPING SETS, one GROUP BY over the four columns, and
    months as range counts on the created_at index.
    """
    return EnquiryCounts(
        by_topic=enquiries_by_topic(period=period),
        by_language=enquiries_by_language(period=period),
        by_channel=enquiries_by_channel(period=period),
        by_month=enquiries_by_month(period=period),
        by_status=enquiries_by_status(period=period),
    )


class _PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the percentile with linear interpolation between rows."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, *, fraction: float) -> None:
        # A number of our own, never user input: safe to place into the SQL text.
        super().__init__(expression, fraction=repr(float(fraction)))


def _percentile_portable(queryset: QuerySet, field: str, fraction: float, n: int) -> float | None:
    """percentile_cont for databases without it: the one or two rows around the position."""
    if n == 0:
        return None
    position = fraction * (n - 1)
    low = math.floor(position)
    values = list(queryset.order_by(field).values_list(field, flat=True)[low : low + 2])
    if len(values) == 1 or position == low:
        return float(values[0])
    return float(values[0]) + (float(values[1]) - float(values[0])) * (position - low)


def response_times(*, period: Period, now: datetime | None = None) -> ResponseTimes:
    """Median and 90th percentile of the first answer's opening time; answered on time or not.

    "On time" is a first answer at or before the enquiry's due time. The times were stored
    in working seconds when the answer was given (``Enquiry.first_response_working_seconds``).
    """
    now = now or timezone.now()
    enquiries = _enquiries(period).order_by()
    field = "first_response_working_seconds"
    answered = Q(first_response_working_seconds__isnull=False)
    aggregates: dict[str, Any] = {
        "received": Count("pk"),
        "answered": Count("pk", filter=answered),
        "with_due": Count("pk", filter=answered & Q(due_at__isnull=False)),
        "on_time": Count("pk", filter=answered & Q(first_response_at__lte=F("due_at"))),
        "overdue": Count(
            "pk",
            filter=Q(
                first_response_at__isnull=True,
                due_at__lt=now,
                status__in=[Status.NEW, Status.OPEN],
            ),
        ),
    }
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # In the same pass as the counts; ordered-set aggregates leave NULLs (unanswered) out.
        aggregates["median"] = _PercentileCont(field, fraction=0.5)
        aggregates["p90"] = _PercentileCont(field, fraction=0.9)
    totals = enquiries.aggregate(**aggregates)
    if postgresql:
        median, p90 = totals["median"], totals["p90"]
    else:
        answered_rows = enquiries.filter(answered)
        median = _percentile_portable(answered_rows, field, 0.5, totals["answered"])
        p90 = _percentile_portable(answered_rows, field, 0.9, totals["answered"])
    return ResponseTimes(
        received=totals["received"],
        answered=totals["answered"],
        median_seconds=median,
        p90_seconds=p90,
        answered_with_due=totals["with_due"],
        answered_on_time=totals["on_time"],
        unanswered_overdue=totals["overdue"],
    )


def referrals_by_institution(*, period: Period) -> list[CountRow]:
    """Referrals made in the period per institution, most first."""
    referrals = Referral.objects.filter(created_at__gte=period.since, created_at__lt=period.until)
    counts = _counts_by(referrals, "institution")
    institutions = Institution.objects.filter(pk__in=list(counts))
    return _named_rows(counts, institutions.prefetch_related("translations"), "")


def appointments_by_adviser(*, period: Period) -> list[AdviserRow]:
    """Appointments starting in the period per adviser: all booked, and how each one ended."""
    bookings = Booking.objects.filter(starts_at__gte=period.since, starts_at__lt=period.until)

    def count(*statuses: str) -> Count:
        return Count("pk", filter=Q(status__in=statuses))

    rows = (
        bookings.order_by()
        .values("adviser")
        .annotate(
            booked=Count("pk"),
            held=count(BookingStatus.HELD),
            no_show=count(BookingStatus.NO_SHOW),
            cancelled=count(BookingStatus.CANCELLED),
            cancelled_late=count(BookingStatus.CANCELLED_LATE),
            pending=count(BookingStatus.BOOKED),
        )
    )
    by_adviser = {row.pop("adviser"): row for row in rows}
    advisers = Adviser.objects.filter(pk__in=list(by_adviser)).select_related("user")
    names = {adviser.pk: str(adviser) for adviser in advisers}
    result = [AdviserRow(key=str(pk), label=names[pk], **row) for pk, row in by_adviser.items()]
    return sorted(result, key=lambda row: (-row.booked, row.label))


def total(rows: Sequence[CountRow]) -> int:
    return sum(row.count for row in rows)


# The most frequent searches with no result that a report lists.
SEARCH_MISSES_SHOWN = 100


@dataclass(frozen=True)
class SearchMissRow:
    query: str
    count: int
    # Language code → searches in it, for every site language (zeros included).
    by_language: dict[str, int]


def search_misses(*, period: Period, limit: int = SEARCH_MISSES_SHOWN) -> list[SearchMissRow]:
    """The words searched most often without a result in the period, with counts per language.

    One GROUP BY over the daily counts (``knowledge.SearchMiss``); ties in words' order.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    codes = [code for code, _name in settings.LANGUAGES]
    per_language = {
        f"in_{index}": Sum("count", filter=Q(language=code), default=0)
        for index, code in enumerate(codes)
    }
    rows = (
        SearchMiss.objects.filter(day__gte=period.start, day__lte=period.end)
        .order_by()
        .values("query")
        .annotate(total=Sum("count"), **per_language)
        .order_by("-total", "query")[:limit]
    )
    return [
        SearchMissRow(
            query=row["query"],
            count=row["total"],
            by_language={code: row[f"in_{index}"] for index, code in enumerate(codes)},
        )
        for row in rows
    ]
