"""Signed links that let the person see, cancel or move their appointment without an account.

The link carries the booking's id and calendar revision, signed with a salt of its own
(django.core.signing.TimestampSigner). A changed character makes it invalid; a move or a
cancellation raises the revision, so links in older e-mails stop working; and from the
cut-off before the appointment the link still shows it but no longer changes it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import conf
from .models import Booking, BookingStatus

SALT = "infopoint.appointments.booking-link"
# A link older than this is refused whatever it points at (the horizon plus a margin).
EXTRA_VALIDITY = timedelta(days=14)


class LinkRefused(ValidationError):
    """A link that is forged, out of date or past its cut-off; the message is translated."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def booking_token(booking: Booking) -> str:
    """The token of the booking's private link, for its current revision."""
    return _signer().sign(f"{booking.pk}.{booking.sequence}")


def booking_url(booking: Booking, *, name: str = "appointments:booking") -> str:
    """The absolute private link (or its cancel/move/calendar page), in the booking's language."""
    with translation.override(booking.language):
        path = reverse(name, kwargs={"token": booking_token(booking)})
    return conf.site_url() + path


def booking_from_token(token: str) -> Booking:
    """The booking a link points at. Raises LinkRefused when forged, expired or out of date."""
    try:
        value = _signer().unsign(token, max_age=conf.horizon() + EXTRA_VALIDITY)
    except signing.SignatureExpired as error:
        raise LinkRefused(
            gettext("This link has expired. Please contact us to change your appointment."),
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise LinkRefused(
            gettext(
                "This link is not valid. Check that you copied the whole link from the e-mail."
            ),
            code="invalid",
        ) from error
    pk, _sep, sequence = value.partition(".")
    try:
        booking = Booking.objects.select_related("adviser__user", "topic").get(pk=int(pk))
    except (ValueError, Booking.DoesNotExist) as error:
        raise LinkRefused(gettext("We cannot find this appointment."), code="missing") from error
    if booking.status == BookingStatus.CANCELLED:
        raise LinkRefused(gettext("This appointment has been cancelled."), code="cancelled")
    if str(booking.sequence) != sequence:
        raise LinkRefused(
            gettext(
                "This link is out of date because the appointment was changed. "
                "Use the link in the latest e-mail from us."
            ),
            code="outdated",
        )
    return booking


def change_deadline(booking: Booking) -> datetime:
    """Until when the person may cancel or move the appointment through the link."""
    return booking.starts_at.astimezone(UTC) - conf.change_cutoff()


def change_check(booking: Booking, *, now: datetime | None = None) -> None:
    """Raises LinkRefused when the appointment can no longer be changed through the link."""
    now = now or timezone.now()
    if booking.status != BookingStatus.BOOKED:
        raise LinkRefused(gettext("This appointment can no longer be changed."), code="closed")
    if now >= change_deadline(booking):
        hours = int(conf.change_cutoff().total_seconds() // 3600)
        raise LinkRefused(
            translation.ngettext(
                "Appointments can be changed online until %(hours)s hour before they start. "
                "Please call or write to us.",
                "Appointments can be changed online until %(hours)s hours before they start. "
                "Please call or write to us.",
                hours,
            )
            % {"hours": hours},
            code="too_late",
        )
