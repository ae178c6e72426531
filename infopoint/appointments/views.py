"""Public pages: book legal advice, see the appointment through its private link, cancel, move.

Every page works without JavaScript. Choosing a time is a radio in a form sent with GET (it
changes nothing); booking, cancelling and moving are POSTs, each after a page that shows what
will happen. Pages reached through a private link keep the link out of Referer headers.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from infopoint.hours.calendar import office_zone
from infopoint.topics.models import Topic

from . import mailing
from .consent import CONSENT_VERSION
from .exceptions import AlreadyBooked, SlotUnavailable
from .forms import BookingForm, SlotFilterForm, WaitingListForm, new_form_token
from .links import LinkRefused, booking_from_token, booking_token, change_check, change_deadline
from .models import Booking
from .selectors import (
    booking_by_form_token,
    booking_open,
    booking_window,
    slot_from_key,
    slots_by_day,
    slots_free,
)
from .services import appointment_book, appointment_cancel, appointment_move, waiting_list_join
from .slots import Slot, slot_key, week_start

JUST_BOOKED_KEY = "appointments:just_booked"
CANCELLED_KEY = "appointments:cancelled"


def _private(response: HttpResponse) -> HttpResponse:
    # The address is the key to the appointment: keep it out of Referer headers.
    response["Referrer-Policy"] = "strict-origin"
    return response


def _topic(slug: str | None) -> Topic | None:
    # Only a slug goes to the database: PostgreSQL refuses text with NUL (a 500, not a 404).
    if not slug or not slug_re.fullmatch(slug):
        return None
    return Topic.objects.filter(slug=slug).first()


def _site_language(code: str | None) -> str:
    from django.conf import settings

    codes = dict(settings.LANGUAGES)
    if code in codes:
        return str(code)
    current = (get_language() or "").split("-")[0]
    return current if current in codes else settings.LANGUAGE_CODE


def _week_bounds(requested: date | None) -> tuple[date, date, date, date]:
    """(first bookable week, the week shown, its last day, last bookable week)."""
    window = booking_window()
    zone = office_zone()
    first = week_start((window.earliest or window.now).astimezone(zone).date())
    last = week_start(window.latest.astimezone(zone).date())
    week = week_start(requested) if requested else first
    week = min(max(week, first), last)
    return first, week, week + timedelta(days=6), last


def _week_slots(
    *, requested: date | None, language: str, topic: Topic | None, **extra: Any
) -> dict[str, Any]:
    """The free slots of one week, grouped by day, with the weeks before and after."""
    first, week, week_end, last = _week_bounds(requested)
    slots = slots_free(start=week, end=week_end, language=language, topic=topic, **extra)
    return {
        "week": week,
        "week_end": week_end,
        "previous_week": week - timedelta(days=7) if week > first else None,
        "next_week": week + timedelta(days=7) if week < last else None,
        "days": slots_by_day(slots),
    }


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "appointments/start.html", {"booking_open": booking_open()})


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("language", _site_language(None))
    form = SlotFilterForm(data)
    if not form.is_valid():
        form = SlotFilterForm({"language": _site_language(None)})
        form.is_valid()
    language = form.cleaned_data["language"]
    topic_slug = form.cleaned_data.get("topic") or ""
    context = _week_slots(
        requested=form.cleaned_data.get("week"), language=language, topic=_topic(topic_slug)
    )
    context.update(
        form=form,
        language=language,
        topic_slug=topic_slug,
        waiting_form=WaitingListForm(initial={"language": language, "week": context["week"]}),
        booking_open=bool(context["days"]) or booking_open(),
    )
    return render(request, "appointments/choose.html", context)


def _choose_url(*, language: str, topic_slug: str) -> str:
    query = {"language": language, "topic": topic_slug} if topic_slug else {"language": language}
    return reverse("appointments:choose") + "?" + urlencode(query)


def _unavailable(
    request: HttpRequest, error: SlotUnavailable, *, language: str, topic_slug: str
) -> HttpResponse:
    context = {
        "message": error.messages[0],
        "next_slots": error.next_slots,
        "language": language,
        "topic_slug": topic_slug,
        "choose_url": reverse("appointments:choose")
        + "?"
        + urlencode({"language": language, "topic": topic_slug}),
    }
    return render(request, "appointments/unavailable.html", context, status=409)


def _already_booked(request: HttpRequest, booking: Booking) -> HttpResponse:
    request.session[JUST_BOOKED_KEY] = booking.pk
    return _private(
        redirect(reverse("appointments:booking", args=[booking_token(booking)]) + "?again=1")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    language = _site_language(source.get("language"))
    topic_slug = source.get("topic", "")
    topic = _topic(topic_slug)
    if request.method == "GET" and not source.get("slot"):
        # Reached without choosing a time (a bookmark, the address typed): choose one first.
        return redirect(_choose_url(language=language, topic_slug=topic_slug))
    if request.method == "POST":
        # The same form sent again (a double click, a reload): show what the first one booked.
        earlier = booking_by_form_token(request.POST.get("form_token", ""))
        if earlier is not None:
            return _already_booked(request, earlier)
    try:
        slot = slot_from_key(key=source.get("slot", ""), language=language, topic=topic)
    except SlotUnavailable as error:
        return _unavailable(request, error, language=language, topic_slug=topic_slug)
    status = 200
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = appointment_book(
                    slot=slot,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    language=language,
                    topic=topic,
                    description=data["description"],
                    consent_version=CONSENT_VERSION,
                    idempotency_key=data["form_token"],
                )
            except AlreadyBooked as already:
                return _already_booked(request, already.booking)
            except SlotUnavailable as error:
                return _unavailable(request, error, language=language, topic_slug=topic_slug)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[JUST_BOOKED_KEY] = booking.pk
                return _private(redirect("appointments:booking", token=booking_token(booking)))
        status = 400
    else:
        form = BookingForm(
            initial={
                "slot": slot.key,
                "language": language,
                "topic": topic_slug,
                "form_token": new_form_token(),
            }
        )
    context = {
        "form": form,
        "slot": slot,
        "language_name": mailing.language_name(language),
        "topic": topic,
        "consent_version": CONSENT_VERSION,
        "back_url": reverse("appointments:choose")
        + "?"
        + urlencode({"language": language, "topic": topic_slug, "week": slot.day.isoformat()}),
    }
    return render(request, "appointments/details.html", context, status=status)


@require_http_methods(["GET", "POST"])
def waiting_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # The form is on the page for choosing a time (shown when no time is free); the
        # address reached directly (a bookmark, back after the confirmation) leads there.
        return redirect(
            _choose_url(language=_site_language(request.GET.get("language")), topic_slug="")
        )
    form = WaitingListForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = waiting_list_join(
                week=data["week"],
                language=_site_language(data["language"]),
                name=data["name"],
                email=data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "appointments/waiting_done.html", {"entry": entry})
    return render(request, "appointments/waiting_list.html", {"form": form}, status=400)


def _refused(request: HttpRequest, error: LinkRefused) -> HttpResponse:
    status = 404 if error.code in ("invalid", "missing") else 410
    return _private(
        render(
            request,
            "appointments/link_refused.html",
            {"message": error.messages[0]},
            status=status,
        )
    )


def _booking_context(booking: Booking) -> dict[str, Any]:
    return {
        "booking": booking,
        "location": mailing.meeting_location(booking.adviser),
        "note": mailing.meeting_note(booking.adviser),
        "language_name": mailing.language_name(booking.language),
        "deadline": change_deadline(booking),
    }


@never_cache
@require_GET
def booking(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = booking_from_token(token)
    except LinkRefused as error:
        return _refused(request, error)
    try:
        change_check(found)
        can_change = True
    except LinkRefused:
        can_change = False
    context = _booking_context(found)
    context.update(
        token=token,
        can_change=can_change,
        just_booked=request.session.pop(JUST_BOOKED_KEY, None) == found.pk,
        again=request.GET.get("again") == "1",
        moved=request.GET.get("moved") == "1",
        page_url=request.build_absolute_uri(request.path),
    )
    return _private(render(request, "appointments/booking.html", context))


@never_cache
@require_GET
def booking_calendar(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = booking_from_token(token)
    except LinkRefused as error:
        return _refused(request, error)
    response = HttpResponse(
        mailing.invitation(found, method="REQUEST"),
        content_type="text/calendar; method=REQUEST; charset=UTF-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{mailing.ICS_FILENAME}"'
    return _private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = booking_from_token(token)
        change_check(found)
    except LinkRefused as error:
        return _refused(request, error)
    if request.method == "POST":
        try:
            cancelled_booking = appointment_cancel(booking=found)
        except LinkRefused as error:
            return _refused(request, error)
        request.session[CANCELLED_KEY] = {
            "starts_at": cancelled_booking.starts_at.isoformat(),
            "email": cancelled_booking.email,
            "language": cancelled_booking.language,
        }
        return _private(redirect("appointments:cancelled"))
    context = _booking_context(found)
    context["token"] = token
    return _private(render(request, "appointments/cancel.html", context))


@never_cache
@require_GET
def cancelled(request: HttpRequest) -> HttpResponse:
    summary = request.session.pop(CANCELLED_KEY, None)
    context: dict[str, Any] = {"summary": None}
    if summary:
        context["summary"] = {
            "starts_at": datetime.fromisoformat(summary["starts_at"]),
            "email": summary["email"],
        }
        context["book_url"] = (
            reverse("appointments:choose") + "?" + urlencode({"language": summary["language"]})
        )
    return render(request, "appointments/cancelled.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = booking_from_token(token)
        change_check(found)
    except LinkRefused as error:
        return _refused(request, error)
    source = request.POST if request.method == "POST" else request.GET
    key = source.get("slot", "")
    chosen: Slot | None = None
    error_message = ""
    next_slots: list[Slot] = []
    if key:
        try:
            chosen = slot_from_key(
                key=key, language=found.language, topic=found.topic, exclude_booking=found
            )
        except SlotUnavailable as error:
            error_message, next_slots = error.messages[0], error.next_slots
    if request.method == "POST" and chosen is not None:
        try:
            moved = appointment_move(booking=found, new_slot=chosen)
        except LinkRefused as error:
            return _refused(request, error)
        except SlotUnavailable as error:
            error_message, next_slots, chosen = error.messages[0], error.next_slots, None
        else:
            return _private(
                redirect(reverse("appointments:booking", args=[booking_token(moved)]) + "?moved=1")
            )
    context = _booking_context(found)
    context.update(
        token=token,
        chosen=chosen,
        error_message=error_message,
        next_slots=next_slots,
        current_key=slot_key(found.adviser_id, found.starts_at),
    )
    if chosen is None:
        week_value = source.get("week")
        try:
            requested = date.fromisoformat(week_value) if week_value else None
        except ValueError:
            requested = None
        context.update(
            _week_slots(
                requested=requested or found.starts_at.astimezone(office_zone()).date(),
                language=found.language,
                topic=found.topic,
                exclude_booking=found,
            )
        )
    status = 409 if error_message else 200
    return _private(render(request, "appointments/move.html", context, status=status))
