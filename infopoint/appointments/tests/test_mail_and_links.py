"""The e-mails cross a real SMTP server on loopback; the signed links refuse what they should."""

from collections.abc import Iterator
from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.utils import formats, translation

from infopoint.appointments.links import (
    LinkRefused,
    booking_from_token,
    booking_token,
    change_check,
)
from infopoint.appointments.services import appointment_book, appointment_cancel, appointment_move
from tests.mailservers import SmtpServer

from .helpers import NOW, WARSAW, at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A live aiosmtpd on loopback; Django sends through it (as in infopoint/mail/tests)."""
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.slow
def test_confirmation_and_cancellation_arrive_over_smtp(
    adviser, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["iryna@example.com"]
    message = received.message
    body = message.get_body(preferencelist=("plain",)).get_content()
    with translation.override("ru"):
        when = formats.date_format(booking.starts_at.astimezone(WARSAW), "DATETIME_FORMAT")
    assert when in body  # the date as Russian writes it
    assert "Подойдите к стойке информации" in body
    assert "https://infopoint.example.org/ru/appointments/b/" in body
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "invite.ics"
    assert part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == booking.uid

    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(booking=booking)
    cancel = smtp_server.messages[1].message
    (part,) = [p for p in cancel.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "CANCEL"
    assert icalendar.Calendar.from_ical(part.get_payload(decode=True))["METHOD"] == "CANCEL"


def test_a_link_finds_its_booking(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    assert booking_from_token(booking_token(booking)) == booking


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.replace(token.split(":")[0], "999", 1),
        lambda token: "1.0:abc:def",
        lambda token: "",
    ],
)
def test_tampered_links_are_refused(adviser, tamper) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    with pytest.raises(LinkRefused) as error:
        booking_from_token(tamper(booking_token(booking)))
    assert error.value.code == "invalid"


def test_a_link_signed_for_something_else_is_refused(adviser) -> None:
    from django.core import signing

    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    forged = signing.TimestampSigner(salt="something-else").sign(f"{booking.pk}.0")
    with pytest.raises(LinkRefused):
        booking_from_token(forged)


def test_old_links_stop_working_after_a_move_and_after_cancelling(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    old = booking_token(booking)
    moved = appointment_move(booking=booking, starts_at=at(2026, 12, 8, 15))
    with pytest.raises(LinkRefused) as error:
        booking_from_token(old)
    assert error.value.code == "outdated"
    new = booking_token(moved)
    appointment_cancel(booking=moved)
    with pytest.raises(LinkRefused) as error:
        booking_from_token(new)
    assert error.value.code == "cancelled"


def test_links_expire_and_stop_changing_at_the_cut_off(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    token = booking_token(booking)
    change_check(booking)
    with time_machine.travel(at(2026, 11, 30, 15), tick=False):
        # Still shows the appointment, but no longer changes it.
        assert booking_from_token(token) == booking
        with pytest.raises(LinkRefused) as error:
            change_check(booking)
        assert error.value.code == "too_late"
    with time_machine.travel(NOW + timedelta(days=60), tick=False):
        with pytest.raises(LinkRefused) as error:
            booking_from_token(token)
        assert error.value.code == "expired"
