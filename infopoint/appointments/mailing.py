"""E-mails of the appointments: confirmation, update, cancellation, reminder, waiting-list offer.

Each is written in the booking's language with dates in the office time zone and, where it
concerns one appointment, carries the iCalendar invitation (``invite.ics``) as an attachment.
Called by services only; nothing here writes except through mail_queue.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from typing import Any, Literal

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from infopoint.directory.models import Institution
from infopoint.directory.selectors import institution_get
from infopoint.hours.calendar import office_zone
from infopoint.mail.services import mail_queue

from . import conf
from .ics import Event, Method, Person, calendar_bytes
from .links import booking_url, change_deadline
from .models import Adviser, Booking, MeetingPlace, WaitingListEntry

Kind = Literal["confirmation", "update", "reminder"]
ICS_FILENAME = "invite.ics"


def meeting_location(adviser: Adviser) -> str:
    """Where the appointment happens, in the active language."""
    if adviser.meeting_place == MeetingPlace.PHONE:
        return gettext("By phone: the adviser will call you.")
    if adviser.meeting_place == MeetingPlace.VIDEO:
        return gettext("Video call: %(link)s") % {"link": adviser.video_url}
    return adviser.location or point_address()


# The point itself is the directory entry with this slug; an in-person adviser with no
# location of their own meets people there.
POINT_SLUG = "information-point"


def point_address() -> str:
    """The information point's name, address and rooms from the directory, in the active
    language; empty when the directory has no entry for it."""
    try:
        point = institution_get(slug=POINT_SLUG)
    except Institution.DoesNotExist:
        return ""
    translation_row = point.translation()
    town = " ".join(part for part in (point.postal_code, point.city) if part)
    parts = [
        translation_row.name if translation_row else "",
        point.street_address,
        town,
        translation_row.rooms if translation_row else "",
    ]
    return ", ".join(part for part in parts if part)


def meeting_note(adviser: Adviser) -> str:
    """The adviser's note about the meeting, in the active language (or a fallback)."""
    translation_row = adviser.translation()
    return translation_row.note if translation_row else ""


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def _datetime(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value, office_zone()), "DATETIME_FORMAT")


def _date(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value, office_zone()), "DATE_FORMAT")


def _organizer() -> Person:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Person(email=address, name=name or str(settings.SITE_NAME))


def invitation(booking: Booking, *, method: Method, now: datetime | None = None) -> bytes:
    """The .ics of the booking in its language: REQUEST (new or changed) or CANCEL."""
    with translation.override(booking.language):
        description = [
            gettext("Legal advice with %(adviser)s.") % {"adviser": booking.adviser},
        ]
        if booking.topic:
            description.append(gettext("Topic: %(topic)s") % {"topic": booking.topic})
        note = meeting_note(booking.adviser)
        if note:
            description.append(note)
        if method == "REQUEST":
            description.append(
                gettext("To move or cancel the appointment, open: %(link)s")
                % {"link": booking_url(booking)}
            )
        event = Event(
            uid=booking.uid,
            sequence=booking.sequence,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            summary=gettext("Legal advice – %(site_name)s") % {"site_name": settings.SITE_NAME},
            description="\n\n".join(description),
            location=meeting_location(booking.adviser),
            organizer=_organizer(),
            attendee=Person(email=booking.email, name=booking.name) if booking.email else None,
        )
    return calendar_bytes(event, method=method, zone=office_zone(), stamp=now or timezone.now())


def _attachment(booking: Booking, method: Method) -> tuple[str, bytes, str]:
    return (
        ICS_FILENAME,
        invitation(booking, method=method),
        f"text/calendar; method={method}; charset=UTF-8",
    )


def _context(booking: Booking, **extra: Any) -> dict[str, Any]:
    return {
        "booking": booking,
        "name": booking.name,
        "when": _datetime(booking.starts_at),
        "ends": formats.time_format(timezone.localtime(booking.ends_at, office_zone())),
        "location": meeting_location(booking.adviser),
        "note": meeting_note(booking.adviser),
        "language_name": language_name(booking.language),
        "site_name": settings.SITE_NAME,
        **extra,
    }


def booking_mail_queue(*, booking: Booking, kind: Kind) -> None:
    """Queues the confirmation, the update after a move, or the reminder, with the .ics."""
    if not booking.email:
        return
    with translation.override(booking.language), timezone.override(office_zone()):
        subjects = {
            "confirmation": gettext("Your legal-advice appointment on %(date)s"),
            "update": gettext("Your legal-advice appointment has been moved to %(date)s"),
            "reminder": gettext("Reminder: your legal-advice appointment on %(date)s"),
        }
        subject = subjects[kind] % {"date": _date(booking.starts_at)}
        text = render_to_string(
            "appointments/email/booking.txt",
            _context(
                booking,
                kind=kind,
                manage_url=booking_url(booking),
                deadline=_datetime(change_deadline(booking)),
            ),
        )
    mail_queue(
        to=[booking.email],
        subject=subject,
        text=text,
        attachments=[_attachment(booking, "REQUEST")],
    )


def cancellation_queue(*, booking: Booking) -> None:
    """Queues the notice of cancellation with a CANCEL .ics, so calendars remove the event."""
    if not booking.email:
        return
    with translation.override(booking.language), timezone.override(office_zone()):
        subject = gettext("Your legal-advice appointment on %(date)s is cancelled") % {
            "date": _date(booking.starts_at)
        }
        book_url = conf.site_url() + reverse("appointments:start")
        text = render_to_string(
            "appointments/email/cancelled.txt", _context(booking, book_url=book_url)
        )
    mail_queue(
        to=[booking.email],
        subject=subject,
        text=text,
        attachments=[_attachment(booking, "CANCEL")],
    )


def waiting_offer_queue(*, entry: WaitingListEntry, starts_at: datetime) -> None:
    """Tells the first person waiting for a week that a time in it has become free."""
    with translation.override(entry.language), timezone.override(office_zone()):
        subject = gettext("A time for legal advice has become free")
        choose_url = (
            conf.site_url()
            + reverse("appointments:choose")
            + f"?language={entry.language}&week={entry.week.isoformat()}"
        )
        text = render_to_string(
            "appointments/email/waiting_offer.txt",
            {
                "entry": entry,
                "when": _datetime(starts_at),
                "choose_url": choose_url,
                "site_name": settings.SITE_NAME,
            },
        )
    mail_queue(to=[entry.email], subject=subject, text=text)
