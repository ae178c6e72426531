"""Staff screens: the advisers' agenda, an appointment's outcome, booking for a caller.

Advisers see only their own agenda; coordinators (and administrators) see every adviser's.
Anyone who works the desk, and advisers, may book for someone who phoned, wrote or came in.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from infopoint.enquiries.access import enquiry_for_booking, enquiry_for_staff_by_reference
from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.selectors import enquiry_thread
from infopoint.hours.calendar import office_zone
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction
from infopoint.topics.models import Topic

from . import mailing
from .access import (
    advisers_for_agenda,
    booking_for_staff,
    booking_staff_check,
    sees_all_agendas,
)
from .consent import CONSENT_VERSION_ORAL
from .exceptions import AlreadyBooked, SlotUnavailable
from .forms import OutcomeForm, SlotFilterForm, StaffBookingForm, new_form_token
from .models import Booking, BookingStatus
from .selectors import adviser_list, booking_by_form_token, slot_from_key, slots_free
from .selectors import agenda as agenda_rows
from .services import appointment_book, appointment_record_outcome
from .slots import Slot, week_start


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "appointments/staff/forbidden.html", status=403)


def _parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate(timezone=office_zone())
    except ValueError:
        return timezone.localdate(timezone=office_zone())


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    try:
        advisers = advisers_for_agenda(user=request.user)
    except PermissionDenied:
        return _forbidden(request)
    day = _parse_day(request.GET.get("date"))
    period = "week" if request.GET.get("period") == "week" else "day"
    start = week_start(day) if period == "week" else day
    end = start + timedelta(days=6 if period == "week" else 0)
    shown = advisers
    selected = request.GET.get("adviser", "")
    if selected.isdigit():
        shown = [adviser for adviser in advisers if adviser.pk == int(selected)]
    step = timedelta(days=7 if period == "week" else 1)
    rows = list(agenda_rows(start=start, end=end, advisers=shown))
    days: dict[date, list[Booking]] = {}
    for row in rows:
        days.setdefault(row.starts_at.astimezone(office_zone()).date(), []).append(row)
    context = {
        "advisers": advisers,
        "selected": selected,
        "sees_all": sees_all_agendas(request.user),
        "period": period,
        "start": start,
        "end": end,
        "day": day,
        "previous": start - step,
        "next": start + step,
        "days": sorted(days.items()),
        "count": len(rows),
    }
    if rows:  # an empty agenda shows nobody's data: recording it would only be noise
        audit_record(
            actor=request.user,
            action=AuditAction.VIEWED,
            detail={"agenda": len(rows)},
            request=request,
        )
    return render(request, "appointments/staff/agenda.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        booking = booking_for_staff(user=request.user, pk=pk)
    except PermissionDenied:
        return _forbidden(request)
    except Booking.DoesNotExist:
        return render(request, "appointments/staff/not_found.html", status=404)
    status = 200
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                appointment_record_outcome(
                    booking=booking,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except PermissionDenied:
                return _forbidden(request)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                audit_record(
                    actor=request.user, action=AuditAction.CHANGED, target=booking, request=request
                )
                messages.success(request, gettext("The outcome has been recorded."))
                return redirect("appointments:staff_booking", pk=booking.pk)
        status = 400
    else:
        initial = {"note": booking.outcome_note}
        if booking.status in (
            BookingStatus.HELD,
            BookingStatus.NO_SHOW,
            BookingStatus.CANCELLED_LATE,
        ):
            initial["outcome"] = booking.status
        form = OutcomeForm(initial=initial)
        audit_record(actor=request.user, action=AuditAction.VIEWED, target=booking, request=request)
    enquiry = enquiry_for_booking(user=request.user, booking=booking)
    context = {
        "booking": booking,
        "enquiry": enquiry,
        "enquiry_messages": enquiry_thread(enquiry=enquiry) if enquiry else [],
        "form": form,
        "location": mailing.meeting_location(booking.adviser),
        "language_name": mailing.language_name(booking.language),
        "can_record": booking.status != BookingStatus.CANCELLED,
    }
    return render(request, "appointments/staff/booking.html", context, status=status)


def _slot_label(slot: Slot, advisers: dict[int, str]) -> str:
    local = timezone.localtime(slot.starts_at, office_zone())
    return gettext("%(date)s, %(start)s–%(end)s, %(adviser)s (%(languages)s)") % {
        "date": formats.date_format(local, "DATE_FORMAT"),
        "start": formats.time_format(local, "TIME_FORMAT"),
        "end": formats.time_format(timezone.localtime(slot.ends_at, office_zone()), "TIME_FORMAT"),
        "adviser": advisers.get(slot.adviser_id, ""),
        "languages": ", ".join(slot.languages),
    }


@login_required
@require_http_methods(["GET", "POST"])
def book_for_caller(request: HttpRequest) -> HttpResponse:
    try:
        booking_staff_check(user=request.user)
    except PermissionDenied:
        return _forbidden(request)
    filters = SlotFilterForm(request.GET or None)
    language = None
    week = week_start(timezone.localdate(timezone=office_zone()))
    if filters.is_bound and filters.is_valid():
        language = filters.cleaned_data["language"]
        week = week_start(filters.cleaned_data.get("week") or week)
    slots = slots_free(
        start=week, end=week + timedelta(days=13), language=language, ignore_notice=True
    )
    names = {adviser.pk: str(adviser) for adviser in adviser_list()}
    choices = [(slot.key, _slot_label(slot, names)) for slot in slots]
    status = 200
    if request.method == "POST":
        earlier = booking_by_form_token(request.POST.get("form_token", ""))
        if earlier is not None:
            # The same form sent again: show what the first one booked.
            return redirect("appointments:staff_booking", pk=earlier.pk)
        # A time chosen on the page may have gone since: it still counts as a choice here, and
        # the service says whether it can be booked.
        posted = request.POST.get("slot", "")
        if posted and posted not in dict(choices):
            choices.append((posted, posted))
        form = StaffBookingForm(request.POST, slot_choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            enquiry = None
            if data["enquiry_reference"]:
                try:
                    enquiry = enquiry_for_staff_by_reference(
                        user=request.user, reference=data["enquiry_reference"]
                    )
                except (Enquiry.DoesNotExist, PermissionDenied):
                    form.add_error(
                        "enquiry_reference",
                        gettext("There is no enquiry with this reference number."),
                    )
            topic = None
            if data["topic"]:
                topic = Topic.objects.filter(slug=data["topic"]).first()
            if not form.errors:
                try:
                    slot = slot_from_key(key=data["slot"], staff=True)
                    booking = appointment_book(
                        slot=slot,
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        language=data["language"],
                        topic=topic,
                        description=data["description"],
                        consent_version=CONSENT_VERSION_ORAL,
                        enquiry=enquiry,
                        booked_by=request.user,
                        idempotency_key=data["form_token"],
                    )
                except AlreadyBooked as already:
                    return redirect("appointments:staff_booking", pk=already.booking.pk)
                except SlotUnavailable as error:
                    form.add_error("slot", error.messages[0])
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, gettext("The appointment has been booked."))
                    return redirect("appointments:staff_booking", pk=booking.pk)
        status = 400
    else:
        form = StaffBookingForm(
            slot_choices=choices,
            initial={"form_token": new_form_token(), "language": language or ""},
        )
    context = {
        "filters": filters if filters.is_bound else SlotFilterForm(),
        "form": form,
        "week": week,
        "previous_week": week - timedelta(days=14),
        "next_week": week + timedelta(days=14),
        "language": language or "",
    }
    return render(request, "appointments/staff/book.html", context, status=status)
