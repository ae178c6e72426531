"""Booking, cancelling, moving, outcomes, reminders and the waiting list, through the services."""

from datetime import date, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments import services
from infopoint.appointments.exceptions import AlreadyBooked, SlotTaken, SlotUnavailable
from infopoint.appointments.links import LinkRefused
from infopoint.appointments.models import Booking, BookingStatus, WaitingListEntry
from infopoint.appointments.selectors import slots_free
from infopoint.appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_move,
    appointment_record_outcome,
    reminder_due_at,
    reminders_send_due,
    waiting_list_join,
)
from infopoint.appointments.slots import Slot
from infopoint.hours.selectors import office_calendar
from infopoint.mail.models import OutgoingMessage

from .helpers import NOW, at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TUESDAY_15 = at(2026, 12, 1, 15)


def _book(adviser, starts_at=TUESDAY_15, **overrides):
    return appointment_book(adviser=adviser, starts_at=starts_at, **person(**overrides))


def test_booking_stores_the_appointment_and_queues_the_confirmation(adviser) -> None:
    booking = _book(adviser)
    assert booking.status == BookingStatus.BOOKED
    assert booking.ends_at == at(2026, 12, 1, 15, 45)
    assert booking.uid.endswith("@example.invalid")
    assert booking.sequence == 0
    assert booking.consent_given_at == NOW
    message = OutgoingMessage.objects.get()
    assert message.to == ["iryna@example.com"]
    attachment = message.attachments.get()
    assert attachment.filename == "invite.ics"
    assert attachment.content_type == "text/calendar; method=REQUEST; charset=UTF-8"
    assert b"METHOD:REQUEST" in bytes(attachment.content)
    assert TUESDAY_15 not in [
        s.starts_at for s in slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1))
    ]


def test_a_booking_by_slot(adviser) -> None:
    slot = slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1))[1]
    booking = appointment_book(slot=slot, **person())
    assert booking.starts_at == at(2026, 12, 1, 16)


@pytest.mark.parametrize(
    ("starts_at", "code"),
    [
        (at(2026, 11, 17, 15), "past"),  # last Tuesday
        (at(2026, 11, 24, 15), "too_soon"),  # tomorrow: within 24 working hours
        (at(2027, 1, 12, 15), "too_far"),  # beyond six weeks
        (at(2026, 12, 1, 10), "unavailable"),  # the adviser does not work then
        (at(2026, 12, 1, 15, 30), "unavailable"),  # not on the grid of slots
        (at(2026, 12, 2, 15), "unavailable"),  # a Wednesday
    ],
)
def test_times_that_cannot_be_booked_change_nothing(adviser, starts_at, code) -> None:
    with pytest.raises(SlotUnavailable) as error:
        _book(adviser, starts_at)
    assert error.value.code == code
    assert error.value.messages[0]
    assert not Booking.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_a_taken_time_says_so_and_offers_the_next_free_ones(adviser) -> None:
    _book(adviser)
    with pytest.raises(SlotTaken) as error:
        _book(adviser, email="second@example.com")
    assert error.value.code == "taken"
    assert [s.starts_at for s in error.value.next_slots][:2] == [
        at(2026, 12, 1, 16),
        at(2026, 12, 1, 17),
    ]
    assert Booking.objects.count() == 1


def test_the_database_refuses_two_bookings_of_one_time(adviser) -> None:
    first = _book(adviser)
    duplicate = Booking(
        adviser=adviser,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        name="Race",
        email="race@example.com",
        language="pl",
        consent_version="v",
        consent_given_at=NOW,
        uid="race@example.invalid",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # A cancelled booking does not hold the time.
    duplicate.status = BookingStatus.CANCELLED
    duplicate.save()


def test_a_lost_race_at_the_database_becomes_slot_taken(adviser, monkeypatch) -> None:
    first = _book(adviser)
    # As if the check in Python had run before the other request committed.
    monkeypatch.setattr(
        services,
        "slot_check",
        lambda **kwargs: Slot(first.starts_at, first.ends_at, adviser.pk),
    )
    with pytest.raises(SlotTaken) as error:
        _book(adviser, email="late@example.com")
    assert error.value.next_slots
    assert Booking.objects.count() == 1


def test_the_same_form_twice_books_once(adviser) -> None:
    first = _book(adviser, idempotency_key="form-key-1")
    with pytest.raises(AlreadyBooked) as error:
        _book(adviser, at(2026, 12, 1, 16), idempotency_key="form-key-1")
    assert error.value.booking == first
    assert Booking.objects.count() == 1
    assert OutgoingMessage.objects.count() == 1


def test_online_bookings_need_an_adviser_who_speaks_the_language(adviser) -> None:
    with pytest.raises(SlotUnavailable):
        _book(adviser, language="en")
    # Staff may book for someone with an interpreter.
    staff = User.objects.create_user(username="kasia")
    booking = _book(adviser, language="en", booked_by=staff)
    assert booking.booked_by == staff


def test_staff_may_book_within_the_notice_but_not_in_the_past(adviser) -> None:
    staff = User.objects.create_user(username="kasia")
    booking = _book(adviser, at(2026, 11, 24, 15), booked_by=staff, consent_version="x/oral")
    assert booking.starts_at == at(2026, 11, 24, 15)
    with pytest.raises(SlotUnavailable):
        _book(adviser, at(2026, 11, 17, 15), booked_by=staff)


def test_contact_and_language_are_required(adviser) -> None:
    with pytest.raises(ValidationError):
        _book(adviser, email="", phone="")
    with pytest.raises(ValidationError):
        _book(adviser, language="xx")
    assert not Booking.objects.exists()


def test_cancel_frees_the_time_and_sends_a_cancel(adviser) -> None:
    booking = _book(adviser)
    cancelled = appointment_cancel(booking=booking)
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.sequence == 1
    assert cancelled.cancelled_at == NOW
    last = OutgoingMessage.objects.order_by("pk").last()
    content = bytes(last.attachments.get().content)
    assert b"METHOD:CANCEL" in content
    assert b"SEQUENCE:1" in content
    assert last.attachments.get().content_type.startswith("text/calendar; method=CANCEL")
    # Bookable again at once.
    assert _book(adviser, email="next@example.com").starts_at == TUESDAY_15


def test_the_person_cannot_cancel_after_the_cut_off_but_staff_can(adviser) -> None:
    booking = _book(adviser)
    with time_machine.travel(at(2026, 11, 30, 15, 30), tick=False):
        with pytest.raises(LinkRefused) as error:
            appointment_cancel(booking=booking)
        assert error.value.code == "too_late"
        assert Booking.objects.get().status == BookingStatus.BOOKED
        staff = User.objects.create_user(username="kasia")
        assert appointment_cancel(booking=booking, by=staff).status == BookingStatus.CANCELLED
    with pytest.raises(LinkRefused):
        appointment_cancel(booking=booking)


def test_move_keeps_the_uid_raises_the_sequence_and_frees_the_old_time(adviser) -> None:
    booking = _book(adviser)
    uid = booking.uid
    moved = appointment_move(booking=booking, starts_at=at(2026, 12, 8, 17))
    assert (moved.pk, moved.uid, moved.sequence) == (booking.pk, uid, 1)
    assert moved.starts_at == at(2026, 12, 8, 17)
    assert Booking.objects.count() == 1
    update = OutgoingMessage.objects.order_by("pk").last()
    content = bytes(update.attachments.get().content)
    assert b"METHOD:REQUEST" in content and b"SEQUENCE:1" in content
    assert TUESDAY_15 in [
        s.starts_at for s in slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1))
    ]


def test_move_to_a_taken_time_changes_nothing(adviser) -> None:
    booking = _book(adviser)
    _book(adviser, at(2026, 12, 1, 16), email="other@example.com")
    with pytest.raises(SlotTaken):
        appointment_move(booking=booking, starts_at=at(2026, 12, 1, 16))
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence) == (TUESDAY_15, 0)


def test_move_to_an_overlapping_time_of_its_own_is_allowed(make_adviser) -> None:
    adviser = make_adviser(rules=((1, time(15), time(19)),), minutes=30, buffer=30)
    booking = _book(adviser)
    moved = appointment_move(booking=booking, starts_at=at(2026, 12, 1, 16))
    assert moved.starts_at == at(2026, 12, 1, 16)


def test_outcome_is_recorded_by_the_adviser_or_a_coordinator(adviser, make_adviser) -> None:
    booking = _book(adviser)
    other = make_adviser("ewa", first_name="Ewa")
    with pytest.raises(ValidationError):
        appointment_record_outcome(booking=booking, outcome="held", by=adviser.user)
    with time_machine.travel(at(2026, 12, 1, 16), tick=False):
        with pytest.raises(PermissionDenied):
            appointment_record_outcome(booking=booking, outcome="held", by=other.user)
        with pytest.raises(ValidationError):
            appointment_record_outcome(booking=booking, outcome="booked", by=adviser.user)
        done = appointment_record_outcome(
            booking=booking, outcome="no_show", note="Did not call back.", by=adviser.user
        )
        assert (done.status, done.outcome_note) == (BookingStatus.NO_SHOW, "Did not call back.")
        coordinator = User.objects.create_user(username="coord")
        user_roles_set(user=coordinator, roles=[Role.COORDINATOR])
        done = appointment_record_outcome(booking=booking, outcome="held", by=coordinator)
        assert done.status == BookingStatus.HELD
        assert done.outcome_recorded_by == coordinator


def test_a_cancelled_appointment_has_no_outcome(adviser) -> None:
    booking = _book(adviser)
    appointment_cancel(booking=booking)
    with pytest.raises(ValidationError):
        appointment_record_outcome(booking=booking, outcome="cancelled_late", by=adviser.user)


def test_reminders_go_the_working_day_before() -> None:
    calendar = office_calendar()
    # Tuesday: Monday 9:00.
    assert reminder_due_at(at(2026, 12, 1, 15), calendar) == at(2026, 11, 30, 9)
    # Monday: Saturday 9:00 (the point opens on Saturdays).
    assert reminder_due_at(at(2026, 12, 7, 15), calendar) == at(2026, 12, 5, 9)
    # Monday 28 December: the 24th, 25th and 26th are holidays, so Wednesday the 23rd.
    assert reminder_due_at(at(2026, 12, 28, 15), calendar) == at(2026, 12, 23, 9)


def test_reminders_are_sent_once(adviser) -> None:
    booking = _book(adviser)
    assert reminders_send_due(now=at(2026, 11, 30, 8, 59)) == 0
    assert reminders_send_due(now=at(2026, 11, 30, 9)) == 1
    assert reminders_send_due(now=at(2026, 11, 30, 9, 15)) == 0
    booking.refresh_from_db()
    assert booking.reminder_sent_at == at(2026, 11, 30, 9)
    reminder = OutgoingMessage.objects.order_by("pk").last()
    assert reminder.attachments.get().filename == "invite.ics"
    # In Russian, as the person booked (the date at least: the strings await translation).
    assert "1 декабря 2026" in reminder.subject


def test_no_reminder_for_cancelled_or_phone_only_bookings(adviser) -> None:
    appointment_cancel(booking=_book(adviser))
    _book(adviser, at(2026, 12, 1, 16), email="", phone="+48 600 000 000")
    assert reminders_send_due(now=at(2026, 11, 30, 12)) == 0


def test_a_moved_appointment_is_reminded_again(adviser) -> None:
    booking = _book(adviser)
    assert reminders_send_due(now=at(2026, 11, 30, 9)) == 1
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        appointment_move(booking=booking, starts_at=at(2026, 12, 8, 15))
    assert reminders_send_due(now=at(2026, 12, 7, 9)) == 1


def test_a_freed_time_is_offered_to_the_first_person_waiting(adviser) -> None:
    first = waiting_list_join(
        week=date(2026, 12, 2), language="ru", name="Анна", email="anna@example.com"
    )
    waiting_list_join(week=date(2026, 12, 1), language="en", name="Tom", email="tom@example.com")
    second = waiting_list_join(
        week=date(2026, 11, 30), language="uk", name="Оля", email="olya@example.com"
    )
    assert first.week == date(2026, 11, 30)
    booking = _book(adviser)
    other = _book(adviser, at(2026, 12, 1, 16), email="b@example.com")
    appointment_cancel(booking=booking)
    first.refresh_from_db()
    assert first.offered_at == NOW
    offer = OutgoingMessage.objects.filter(to=["anna@example.com"]).get()
    assert "?language=ru&week=2026-11-30" in offer.text
    appointment_cancel(booking=other)
    second.refresh_from_db()
    assert second.offered_at == NOW
    # Tom waits in English, which the adviser does not speak.
    assert WaitingListEntry.objects.get(name="Tom").offered_at is None
