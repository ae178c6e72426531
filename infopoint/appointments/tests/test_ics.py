"""The .ics invitations, read back with an independent parser (icalendar), field by field."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from infopoint.appointments.ics import Event, Person, calendar_bytes, fold
from infopoint.appointments.mailing import invitation
from infopoint.appointments.services import appointment_book, appointment_cancel, appointment_move
from infopoint.mail.models import OutgoingMessage

from .helpers import NOW, WARSAW, at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _parse(raw: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(raw)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def _check_lines(raw: bytes) -> None:
    assert raw.endswith(b"\r\n")
    body = raw[:-2]
    for line in body.split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75, line
        line.decode()  # never a UTF-8 character cut in two


def _attachment(message: OutgoingMessage) -> tuple[bytes, str]:
    attachment = message.attachments.get()
    return bytes(attachment.content), attachment.content_type


def test_the_confirmation_invitation_is_complete_and_valid(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    raw, content_type = _attachment(OutgoingMessage.objects.get())
    assert content_type == "text/calendar; method=REQUEST; charset=UTF-8"
    _check_lines(raw)
    calendar, event = _parse(raw)

    assert calendar["METHOD"] == "REQUEST"
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert str(event["UID"]) == booking.uid
    assert int(event["SEQUENCE"]) == 0
    stamp = event.decoded("DTSTAMP")
    assert stamp == NOW.astimezone(UTC)
    assert stamp.utcoffset() == timedelta(0)
    for name, expected in (("DTSTART", booking.starts_at), ("DTEND", booking.ends_at)):
        assert event[name].params["TZID"] == "Europe/Warsaw"
        value = event.decoded(name)
        assert value == expected
        assert value.utcoffset() == timedelta(hours=1)  # CET in December
    assert str(event["STATUS"]) == "CONFIRMED"

    # In the person's language: the adviser's note is the Russian one.
    assert "Подойдите к стойке информации" in str(event["DESCRIPTION"])
    assert "/ru/appointments/b/" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "ul. Jana Dekerta 24, block B, room 12"
    assert str(event["SUMMARY"])
    assert str(event["ORGANIZER"]) == "mailto:info-point@example.invalid"
    assert event["ORGANIZER"].params["CN"] == "Information Point"
    assert str(event["ATTENDEE"]) == "mailto:iryna@example.com"
    assert event["ATTENDEE"].params["CN"] == "Ирина Петренко"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"


def test_the_vtimezone_carries_the_real_rules_of_warsaw(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    calendar, _event = _parse(invitation(booking, method="REQUEST"))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Warsaw"
    kinds = {component.name for component in vtimezone.subcomponents}
    assert kinds == {"STANDARD", "DAYLIGHT"}
    # The parser builds a time zone from the component alone; it must agree with the system's.
    zone = vtimezone.to_tz()
    for moment in (
        datetime(2026, 3, 29, 0, 59),  # UTC, just before the spring change
        datetime(2026, 3, 29, 1, 0),
        datetime(2026, 7, 1, 12),
        datetime(2026, 10, 25, 0, 59),
        datetime(2026, 10, 25, 1, 0),
        datetime(2026, 12, 1, 14),
        datetime(2027, 3, 28, 1, 0),
        datetime(2027, 6, 1, 12),
    ):
        aware = moment.replace(tzinfo=UTC)
        assert aware.astimezone(zone).utcoffset() == aware.astimezone(WARSAW).utcoffset(), moment
    daylight = [c for c in vtimezone.subcomponents if c.name == "DAYLIGHT"]
    assert {str(c["TZNAME"]) for c in daylight} == {"CEST"}
    assert any(c.decoded("DTSTART") == datetime(2026, 3, 29, 2, 0) for c in daylight)


def test_a_move_sends_the_same_uid_with_a_higher_sequence(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    appointment_move(booking=booking, starts_at=at(2026, 12, 8, 16))
    raw, content_type = _attachment(OutgoingMessage.objects.order_by("pk").last())
    assert "method=REQUEST" in content_type
    calendar, event = _parse(raw)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == booking.uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == at(2026, 12, 8, 16)


def test_a_cancellation_sends_cancel_with_the_same_uid(adviser) -> None:
    booking = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    appointment_cancel(booking=booking)
    raw, content_type = _attachment(OutgoingMessage.objects.order_by("pk").last())
    assert content_type == "text/calendar; method=CANCEL; charset=UTF-8"
    _check_lines(raw)
    calendar, event = _parse(raw)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["UID"]) == booking.uid
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CANCELLED"


def test_text_is_escaped_and_folded_without_breaking_characters() -> None:
    summary = "Консультация; юрист, 2 часа\\ " + "ё" * 80
    description = "Первая строка\nвторая строка, " + "Ж" * 200
    raw = calendar_bytes(
        Event(
            uid="x@example.invalid",
            sequence=3,
            starts_at=at(2026, 7, 1, 10),
            ends_at=at(2026, 7, 1, 11),
            summary=summary,
            description=description,
            location="Kraków, ul. Jana Dekerta 24; room 12",
            attendee=Person(email="a@example.com", name='Anna "Ann" Kowalska, PhD'),
        ),
        method="REQUEST",
        zone=WARSAW,
        stamp=NOW,
    )
    _check_lines(raw)
    _calendar, event = _parse(raw)
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert str(event["LOCATION"]) == "Kraków, ul. Jana Dekerta 24; room 12"
    assert event["ATTENDEE"].params["CN"] == "Anna Ann Kowalska, PhD"
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=2)  # CEST in July


def test_fold_keeps_short_lines_and_splits_long_ones() -> None:
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("DESCRIPTION:" + "a" * 200)
    parts = folded.split("\r\n")
    assert len(parts[0]) == 75 and all(p.startswith(" ") for p in parts[1:])
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "DESCRIPTION:" + "a" * 200
