"""Reads of opening hours: calendars built from the database, notices, the point's status."""

import logging
from collections import defaultdict
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from .calendar import ClosureSpan, OfficeCalendar, OfficeStatus
from .models import ChangedHours, Closure, NoticeLevel, Schedule, ServiceNotice

logger = logging.getLogger(__name__)


def calendar_for_schedule(slug: str) -> OfficeCalendar:
    """The calendar of one schedule (4 queries). Raises Schedule.DoesNotExist for a wrong slug.

    Closures without a schedule apply to every place, so they are included.
    """
    schedule = Schedule.objects.prefetch_related("weekly_hours").get(slug=slug)
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for row in schedule.weekly_hours.all():
        weekly[row.weekday].append((row.opens, row.closes))
    changed: dict[date, list[tuple[time, time]]] = defaultdict(list)
    for day, opens, closes in ChangedHours.objects.filter(schedule=schedule).values_list(
        "date", "opens", "closes"
    ):
        changed[day].append((opens, closes))
    # One query for the closures and their reasons: a LEFT JOIN, so a closure with no
    # translation still closes the place.
    closure_rows = Closure.objects.filter(
        Q(schedule=schedule) | Q(schedule__isnull=True)
    ).values_list("pk", "starts_on", "ends_on", "translations__language", "translations__reason")
    closures: dict[int, tuple[date, date, dict[str, str]]] = {}
    for pk, starts_on, ends_on, language, reason in closure_rows:
        entry = closures.setdefault(pk, (starts_on, ends_on, {}))
        if language:
            entry[2][language] = reason
    return OfficeCalendar(
        weekly=weekly,
        changed=changed,
        closures=[
            ClosureSpan(starts_on, ends_on, reasons)
            for starts_on, ends_on, reasons in closures.values()
        ],
    )


def office_calendar() -> OfficeCalendar:
    """The calendar of the point itself (settings.OFFICE_SCHEDULE).

    When that schedule does not exist yet (default content not loaded), the point has no
    weekly hours: it shows as closed rather than breaking every public page.
    """
    try:
        return calendar_for_schedule(settings.OFFICE_SCHEDULE)
    except Schedule.DoesNotExist:
        logger.warning(
            "The opening-hours schedule %r does not exist; run load_default_content.",
            settings.OFFICE_SCHEDULE,
        )
        return OfficeCalendar(weekly={})


def notices_in_force(at: datetime | None = None) -> list[ServiceNotice]:
    """Service notices shown at ``at`` (default now), important ones first, translations loaded."""
    at = at or timezone.now()
    return list(
        ServiceNotice.objects.filter(starts_at__lte=at)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at))
        .annotate(
            important=Case(
                When(level=NoticeLevel.WARNING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("important", "-starts_at", "pk")
        .prefetch_related("translations")
    )


def office_status(at: datetime | None = None) -> OfficeStatus:
    """Whether the point is open at ``at`` (default now), until when, and when it opens next."""
    return office_calendar().status(at or timezone.now())
