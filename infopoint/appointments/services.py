"""Every write of the appointments: book, cancel, move, record the outcome, remind, waiting list.

No double booking is guaranteed by the database: a partial unique constraint allows one
occupying booking per adviser and start time. The checks in Python give a clear, translated
reason first; the constraint decides between requests that arrive at the same moment.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from infopoint.hours.calendar import OfficeCalendar, office_zone
from infopoint.hours.selectors import office_calendar

from . import mailing
from .access import outcome_check
from .exceptions import AlreadyBooked, SlotTaken, SlotUnavailable
from .links import change_check
from .models import (
    OUTCOMES,
    Adviser,
    Booking,
    BookingStatus,
    WaitingListEntry,
)
from .selectors import booking_window, slot_check, taken_error
from .slots import Slot, week_start

__all__ = [
    "AlreadyBooked",
    "SlotTaken",
    "SlotUnavailable",
    "appointment_book",
    "appointment_cancel",
    "appointment_move",
    "appointment_record_outcome",
    "reminders_send_due",
    "waiting_list_join",
    "waiting_list_offer",
]


def _new_uid() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "infopoint.invalid"
    return f"{uuid.uuid4().hex}@{domain}"


def _language_check(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": gettext("Choose a language from the list.")})


@transaction.atomic
def appointment_book(
    *,
    slot: Slot | None = None,
    adviser: Adviser | None = None,
    starts_at: datetime | None = None,
    name: str,
    email: str = "",
    phone: str = "",
    language: str,
    topic: Any = None,
    description: str = "",
    consent_version: str,
    enquiry: Any = None,
    booked_by: Any = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Booking:
    """Books a free slot and queues the confirmation (with the .ics) to the person.

    Rules: the time must be a free slot of the adviser now (inside their availability and the
    point's opening hours, not in the past, not within another appointment and its break,
    before the horizon); online bookings also keep the minimum notice and need an adviser who
    speaks ``language`` (staff may book sooner, and for any language). Raises SlotUnavailable
    or SlotTaken (with the next free slots); AlreadyBooked when ``idempotency_key`` has
    booked already.
    """
    now = now or timezone.now()
    if slot is not None:
        adviser = Adviser.objects.select_related("user").get(pk=slot.adviser_id)
        starts_at = slot.starts_at
    if adviser is None or starts_at is None:
        raise ValueError("give a slot, or an adviser and a start time")
    if idempotency_key:
        existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            raise AlreadyBooked(existing)
    _language_check(language)
    staff = booked_by is not None
    free = slot_check(
        adviser=adviser,
        starts_at=starts_at,
        language=None if staff else language,
        topic=topic,
        now=now,
        staff=staff,
    )
    booking = Booking(
        adviser=adviser,
        starts_at=free.starts_at,
        ends_at=free.ends_at,
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        language=language,
        topic=topic,
        description=description.strip(),
        consent_version=consent_version,
        consent_given_at=now,
        enquiry=enquiry,
        booked_by=booked_by,
        uid=_new_uid(),
        idempotency_key=idempotency_key or "",
    )
    # The constraints are checked by the database below, where concurrent requests meet.
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        if idempotency_key:
            existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                raise AlreadyBooked(existing) from None
        raise taken_error(
            starts_at=starts_at, language=language, topic=topic, now=now, staff=staff
        ) from None
    mailing.booking_mail_queue(booking=booking, kind="confirmation")
    return booking


@transaction.atomic
def appointment_cancel(*, booking: Booking, by: Any = None, now: datetime | None = None) -> Booking:
    """Cancels a booked appointment and sends the CANCEL; the time is bookable again at once.

    The person (``by`` None, through the link) may cancel only until the cut-off before the
    appointment; staff may cancel any booked appointment. The first person on the waiting
    list for that week who speaks a language of the adviser is offered the time.
    """
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("adviser__user").get(pk=booking.pk)
    if by is None:
        change_check(booking, now=now)
    elif booking.status != BookingStatus.BOOKED:
        raise ValidationError(gettext("Only a booked appointment can be cancelled."))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    mailing.cancellation_queue(booking=booking)
    waiting_list_offer(adviser=booking.adviser, starts_at=booking.starts_at, now=now)
    return booking


@transaction.atomic
def appointment_move(
    *,
    booking: Booking,
    new_slot: Slot | None = None,
    adviser: Adviser | None = None,
    starts_at: datetime | None = None,
    by: Any = None,
    now: datetime | None = None,
) -> Booking:
    """Moves a booked appointment to another free slot in one transaction.

    The calendar UID stays, the revision (SEQUENCE) goes up, and the person gets an updated
    invitation; the old time is free again (and offered to the waiting list). The same rules
    as for booking apply to the new time; the person may move only until the cut-off.
    """
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("adviser__user").get(pk=booking.pk)
    if by is None:
        change_check(booking, now=now)
    elif booking.status != BookingStatus.BOOKED:
        raise ValidationError(gettext("Only a booked appointment can be moved."))
    if new_slot is not None:
        adviser = Adviser.objects.select_related("user").get(pk=new_slot.adviser_id)
        starts_at = new_slot.starts_at
    adviser = adviser or booking.adviser
    if starts_at is None:
        raise ValueError("give a new slot or a start time")
    staff = by is not None
    free = slot_check(
        adviser=adviser,
        starts_at=starts_at,
        language=None if staff else booking.language,
        topic=booking.topic,
        now=now,
        staff=staff,
        exclude_booking=booking,
    )
    old_adviser, old_start = booking.adviser, booking.starts_at
    booking.adviser = adviser
    booking.starts_at = free.starts_at
    booking.ends_at = free.ends_at
    booking.sequence += 1
    booking.reminder_sent_at = None
    try:
        with transaction.atomic():
            booking.save(
                update_fields=[
                    "adviser",
                    "starts_at",
                    "ends_at",
                    "sequence",
                    "reminder_sent_at",
                    "updated_at",
                ]
            )
    except IntegrityError:
        raise taken_error(
            starts_at=starts_at,
            language=booking.language,
            topic=booking.topic,
            now=now,
            staff=staff,
        ) from None
    mailing.booking_mail_queue(booking=booking, kind="update")
    waiting_list_offer(adviser=old_adviser, starts_at=old_start, now=now)
    return booking


@transaction.atomic
def appointment_record_outcome(
    *, booking: Booking, outcome: str, note: str = "", by: Any, now: datetime | None = None
) -> Booking:
    """Records what happened: held, did not come, or cancelled late; with a private note.

    Only the booking's adviser or a coordinator may. "Held" and "did not come" only once the
    appointment has started. A cancelled appointment has no outcome.
    """
    now = now or timezone.now()
    outcome_check(user=by, booking=booking)
    if outcome not in OUTCOMES:
        raise ValidationError({"outcome": gettext("Choose what happened.")}, code="invalid")
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(
            gettext("This appointment was cancelled; it has no outcome."), code="cancelled"
        )
    if outcome in (BookingStatus.HELD, BookingStatus.NO_SHOW) and now < booking.starts_at:
        raise ValidationError(
            {"outcome": gettext("This appointment has not started yet.")}, code="not_started"
        )
    booking.status = outcome
    booking.outcome_note = note.strip()
    booking.outcome_recorded_at = now
    booking.outcome_recorded_by = by
    booking.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            booking.save(
                update_fields=[
                    "status",
                    "outcome_note",
                    "outcome_recorded_at",
                    "outcome_recorded_by",
                    "updated_at",
                ]
            )
    except IntegrityError:
        # Only possible when a cancelled-late time was booked again meanwhile.
        raise ValidationError(
            gettext("Another appointment has been booked at this time since."), code="taken"
        ) from None
    return booking


def reminder_due_at(starts_at: datetime, calendar: OfficeCalendar) -> datetime:
    """When the reminder goes: the opening of the point's last working day before the day.

    A Monday appointment is reminded on Friday (or Saturday when the point opens then); a
    day after a holiday, on the working day before the holiday. With no working day in the
    fortnight before, 24 hours ahead.
    """
    day = starts_at.astimezone(calendar.zone).date()
    for back in range(1, 15):
        intervals = calendar.intervals_on(day - timedelta(days=back))
        if intervals:
            return intervals[0][0]
    return starts_at.astimezone(UTC) - timedelta(hours=24)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Queues every reminder that is due; each booking is reminded once. Returns how many.

    Marking the booking and queuing the e-mail happen in one transaction, with a conditional
    update: of two workers running at once, only one sends. A booking made after its
    reminder time (e.g. by staff for tomorrow) gets none: its confirmation has just gone.
    """
    now = now or timezone.now()
    calendar = office_calendar()
    candidates = (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            reminder_sent_at__isnull=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=15),
        )
        .exclude(email="")
        .values_list("pk", "starts_at", "created_at")
    )
    sent = 0
    for pk, starts_at, created_at in candidates:
        due = reminder_due_at(starts_at, calendar)
        if now < due or created_at >= due:
            continue
        sent += _reminder_send(pk=pk, now=now)
    return sent


@transaction.atomic
def _reminder_send(*, pk: int, now: datetime) -> int:
    claimed = Booking.objects.filter(
        pk=pk, status=BookingStatus.BOOKED, reminder_sent_at__isnull=True
    ).update(reminder_sent_at=now)
    if not claimed:
        return 0
    booking = Booking.objects.select_related("adviser__user", "topic").get(pk=pk)
    mailing.booking_mail_queue(booking=booking, kind="reminder")
    return 1


@transaction.atomic
def waiting_list_join(*, week: date, language: str, name: str, email: str) -> WaitingListEntry:
    """Puts someone on the waiting list of a week (``week`` may be any day of it)."""
    _language_check(language)
    entry = WaitingListEntry(
        week=week_start(week), language=language, name=name.strip(), email=email.strip()
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def waiting_list_offer(
    *, adviser: Adviser, starts_at: datetime, now: datetime | None = None
) -> WaitingListEntry | None:
    """Offers a time that has become free to the first person waiting for its week.

    Only when the time can still be booked online (after the minimum notice), and only to
    someone waiting in a language the adviser speaks. Each entry is offered one time.
    """
    now = now or timezone.now()
    window = booking_window(now=now)
    if window.earliest is None or not window.earliest <= starts_at < window.latest:
        return None
    week = week_start(starts_at.astimezone(office_zone()).date())
    for entry in WaitingListEntry.objects.filter(
        week=week, offered_at__isnull=True, language__in=adviser.languages
    ).order_by("created_at", "pk"):
        claimed = WaitingListEntry.objects.filter(pk=entry.pk, offered_at__isnull=True).update(
            offered_at=now
        )
        if claimed:
            entry.offered_at = now
            mailing.waiting_offer_queue(entry=entry, starts_at=starts_at)
            return entry
    return None
