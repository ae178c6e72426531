"""Reads of appointments: free slots, advisers, agendas, bookings by their link."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from infopoint.hours.calendar import OfficeCalendar, office_zone
from infopoint.hours.selectors import office_calendar

from . import conf
from .exceptions import SlotTaken, SlotUnavailable
from .models import (
    OCCUPYING,
    Adviser,
    AvailabilityException,
    AvailabilityRule,
    Booking,
    ExceptionKind,
)
from .slots import AdviserPlan, Interval, Slot, compute_slots, slot_key_parse

# How many free slots a "just taken" message offers instead.
NEXT_SLOTS = 5


@dataclass(frozen=True)
class BookingWindow:
    """When slots may start for a booking made at ``now``: [earliest, latest)."""

    now: datetime
    earliest: datetime | None
    latest: datetime


def booking_window(
    *, now: datetime | None = None, calendar: OfficeCalendar | None = None
) -> BookingWindow:
    """The minimum notice (in opening time of the point) and the horizon, from ``now``.

    ``earliest`` is None when the office calendar has too few opening hours to reach the
    notice: then nothing can be booked.
    """
    # In UTC: adding a duration to a datetime of the office zone would count wall time.
    now = (now or timezone.now()).astimezone(UTC)
    calendar = calendar or office_calendar()
    try:
        earliest: datetime | None = calendar.add_working_time(now, conf.min_notice())
    except ValueError:
        earliest = None
    return BookingWindow(now=now, earliest=earliest, latest=now + conf.horizon())


def advisers_active(
    *, language: str | None = None, topic: Any = None, since: date | None = None
) -> list[Adviser]:
    """Advisers who take appointments, with user, rules, exceptions and topics (4 queries).

    ``language`` keeps those who speak it; ``topic`` (a Topic or its pk) those who take it
    (an adviser with no topics takes every topic); exceptions before ``since`` are left out.
    """
    exceptions = AvailabilityException.objects.all()
    if since is not None:
        exceptions = exceptions.filter(date__gte=since)
    advisers = list(
        Adviser.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related(
            Prefetch("rules", queryset=AvailabilityRule.objects.order_by("weekday", "starts_at")),
            Prefetch("exceptions", queryset=exceptions),
            "topics",
        )
    )
    topic_pk = getattr(topic, "pk", topic)
    return [
        adviser
        for adviser in advisers
        if (not language or language in adviser.languages)
        and (
            topic_pk is None
            or not adviser.topics.all()
            or any(item.pk == topic_pk for item in adviser.topics.all())
        )
    ]


def booking_open() -> bool:
    """True once some active adviser has weekly hours: before that, nobody can book online."""
    return Adviser.objects.filter(
        is_active=True, user__is_active=True, rules__isnull=False
    ).exists()


def adviser_plan(adviser: Adviser) -> AdviserPlan:
    """The plain data of an adviser's availability (rules and exceptions prefetched)."""
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for rule in adviser.rules.all():
        weekly[rule.weekday].append((rule.starts_at, rule.ends_at))
    leave: dict[date, list[tuple[time, time]] | None] = {}
    extra: dict[date, list[tuple[time, time]]] = defaultdict(list)
    for exception in adviser.exceptions.all():
        if exception.kind == ExceptionKind.EXTRA and exception.starts_at and exception.ends_at:
            extra[exception.date].append((exception.starts_at, exception.ends_at))
        elif exception.kind == ExceptionKind.CLOSED:
            if exception.starts_at is None or exception.ends_at is None:
                leave[exception.date] = None
            elif leave.get(exception.date, []) is not None:
                leave.setdefault(exception.date, []).append(  # type: ignore[union-attr]
                    (exception.starts_at, exception.ends_at)
                )
    return AdviserPlan(
        id=adviser.pk,
        length=timedelta(minutes=adviser.appointment_minutes),
        buffer=timedelta(minutes=adviser.buffer_minutes),
        languages=tuple(code for code, _name in settings.LANGUAGES if code in adviser.languages),
        weekly=weekly,
        leave=leave,
        extra=extra,
    )


def slots_free(
    *,
    start: date,
    end: date,
    language: str | None = None,
    topic: Any = None,
    now: datetime | None = None,
    adviser: Adviser | None = None,
    exclude_booking: Booking | None = None,
    ignore_notice: bool = False,
) -> list[Slot]:
    """Free slots from ``start`` to ``end`` (office dates, both included), by start time.

    Only slots that start after the minimum notice (unless ``ignore_notice``: staff may book
    sooner, never in the past) and before the horizon. ``adviser`` limits them to one adviser;
    ``exclude_booking`` treats that booking as free (to move it). Queries: the office calendar,
    the advisers with their rules and exceptions, and one for the bookings in the range.
    """
    calendar = office_calendar()
    window = booking_window(now=now, calendar=calendar)
    earliest = window.now if ignore_notice else window.earliest
    if earliest is None:
        return []
    zone = calendar.zone
    start = max(start, earliest.astimezone(zone).date())
    end = min(end, window.latest.astimezone(zone).date())
    if end < start:
        return []
    advisers = advisers_active(language=language, topic=topic, since=start)
    if adviser is not None:
        advisers = [a for a in advisers if a.pk == adviser.pk]
    if not advisers:
        return []
    range_start = datetime.combine(start, time.min, tzinfo=zone) - timedelta(days=1)
    range_end = datetime.combine(end, time.max, tzinfo=zone) + timedelta(days=1)
    rows = Booking.objects.filter(
        adviser__in=[a.pk for a in advisers],
        status__in=OCCUPYING,
        starts_at__lt=range_end,
        ends_at__gt=range_start,
    )
    if exclude_booking is not None:
        rows = rows.exclude(pk=exclude_booking.pk)
    bookings: dict[int, list[Interval]] = defaultdict(list)
    for adviser_id, starts_at, ends_at in rows.values_list("adviser_id", "starts_at", "ends_at"):
        bookings[adviser_id].append((starts_at, ends_at))
    return compute_slots(
        advisers=[adviser_plan(a) for a in advisers],
        calendar=calendar,
        bookings=bookings,
        start=start,
        end=end,
        earliest=earliest,
        latest=window.latest,
    )


def slots_by_day(slots: list[Slot]) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by their office date, in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return list(days.items())


def slots_next(
    *,
    after: datetime,
    language: str | None = None,
    topic: Any = None,
    count: int = 5,
    now: datetime | None = None,
    ignore_notice: bool = False,
) -> list[Slot]:
    """The first ``count`` free slots that start at or after ``after``, in any day ahead."""
    zone = office_zone()
    now = now or timezone.now()
    last = (now + conf.horizon()).astimezone(zone).date()
    slots = slots_free(
        start=after.astimezone(zone).date(),
        end=last,
        language=language,
        topic=topic,
        now=now,
        ignore_notice=ignore_notice,
    )
    return [slot for slot in slots if slot.starts_at >= after][:count]


def booking_by_form_token(token: str) -> Booking | None:
    """The booking a form with this random key has made already, if any."""
    # No stored key has a NUL, and PostgreSQL refuses to compare text with one (a 500).
    if not token or "\x00" in token:
        return None
    return Booking.objects.filter(idempotency_key=token).first()


def booking_with_details() -> QuerySet[Booking]:
    """Bookings with the adviser (and their user and translations) and the topic loaded."""
    return Booking.objects.select_related("adviser__user", "topic", "enquiry").prefetch_related(
        "adviser__translations", "topic__translations"
    )


def agenda(*, start: date, end: date, advisers: list[Adviser] | None = None) -> QuerySet[Booking]:
    """Bookings (any status but cancelled) from ``start`` to ``end`` (office dates, inclusive)."""
    zone = office_zone()
    rows = booking_with_details().filter(
        starts_at__gte=datetime.combine(start, time.min, tzinfo=zone),
        starts_at__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )
    if advisers is not None:
        rows = rows.filter(adviser__in=advisers)
    return rows.exclude(status="cancelled").order_by("starts_at", "adviser__user__first_name")


def adviser_list() -> QuerySet[Adviser]:
    return Adviser.objects.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )


def slot_check(
    *,
    adviser: Adviser,
    starts_at: datetime,
    language: str | None,
    topic: Any,
    now: datetime,
    staff: bool,
    exclude_booking: Booking | None = None,
) -> Slot:
    """The free slot that starts at ``starts_at`` with ``adviser``, or SlotUnavailable."""
    if starts_at <= now:
        raise SlotUnavailable(
            gettext("This time has already passed. Choose another time."), code="past"
        )
    window = booking_window(now=now)
    if not staff and (window.earliest is None or starts_at < window.earliest):
        hours = int(conf.min_notice().total_seconds() // 3600)
        raise SlotUnavailable(
            ngettext(
                "Appointments must be booked at least %(hours)s working hour ahead. "
                "Choose a later time.",
                "Appointments must be booked at least %(hours)s working hours ahead. "
                "Choose a later time.",
                hours,
            )
            % {"hours": hours},
            code="too_soon",
        )
    if starts_at >= window.latest:
        raise SlotUnavailable(
            gettext("This time is too far ahead to book yet. Choose an earlier time."),
            code="too_far",
        )
    day = starts_at.astimezone(office_zone()).date()
    free = slots_free(
        start=day,
        end=day,
        language=language,
        topic=topic,
        now=now,
        adviser=adviser,
        exclude_booking=exclude_booking,
        ignore_notice=staff,
    )
    for slot in free:
        if slot.starts_at == starts_at:
            return slot
    taken = Booking.objects.filter(
        adviser=adviser,
        status__in=OCCUPYING,
        starts_at__lt=starts_at.astimezone(UTC) + timedelta(minutes=adviser.appointment_minutes),
        ends_at__gt=starts_at,
    )
    if exclude_booking is not None:
        taken = taken.exclude(pk=exclude_booking.pk)
    if taken.exists():
        raise taken_error(starts_at=starts_at, language=language, topic=topic, now=now, staff=staff)
    raise SlotUnavailable(
        gettext(
            "There is no appointment with this adviser at this time. Choose a time from the list."
        ),
        code="unavailable",
    )


def taken_error(
    *, starts_at: datetime, language: str | None, topic: Any, now: datetime, staff: bool
) -> SlotTaken:
    return SlotTaken(
        gettext("This time has just been taken. Choose one of the next free times."),
        code="taken",
        next_slots=slots_next(
            after=starts_at, language=language, topic=topic, now=now, ignore_notice=staff
        )[:NEXT_SLOTS],
    )


def slot_from_key(
    *,
    key: str,
    language: str | None = None,
    topic: Any = None,
    now: datetime | None = None,
    staff: bool = False,
    exclude_booking: Booking | None = None,
) -> Slot:
    """The free slot a form names by its key, or SlotUnavailable with the reason."""
    parsed = slot_key_parse(key)
    adviser = None
    if parsed is not None:
        adviser = Adviser.objects.select_related("user").filter(pk=parsed[0]).first()
    if parsed is None or adviser is None:
        raise SlotUnavailable(gettext("Choose a time from the list."), code="invalid")
    return slot_check(
        adviser=adviser,
        starts_at=parsed[1],
        language=language,
        topic=topic,
        now=now or timezone.now(),
        staff=staff,
        exclude_booking=exclude_booking,
    )
