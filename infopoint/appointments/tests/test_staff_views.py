"""Staff screens: agenda (own for advisers, all for coordinators), outcome, booking for a caller."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.models import Booking, BookingStatus
from infopoint.appointments.services import appointment_book
from infopoint.appointments.slots import slot_key
from infopoint.enquiries.services import enquiry_create
from infopoint.privacy.models import AuditAction, AuditEvent

from .helpers import at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, languages=["pl"])
    return user_roles_set(user=user, roles=[role])


@pytest.fixture
def two_bookings(adviser, make_adviser):
    other = make_adviser("ewa", first_name="Ewa", last_name="Lis")
    mine = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    theirs = appointment_book(
        adviser=other, starts_at=at(2026, 12, 1, 16), **person(name="Пётр", email="p@example.com")
    )
    return mine, theirs


def test_the_agenda_needs_a_sign_in_and_a_role(client, adviser) -> None:
    response = client.get(reverse("appointments:agenda"))
    assert response.status_code == 302
    client.force_login(_user("kasia", Role.CONSULTANT))
    assert client.get(reverse("appointments:agenda")).status_code == 403


def test_an_adviser_sees_only_their_own_agenda(client, adviser, two_bookings) -> None:
    mine, theirs = two_bookings
    client.force_login(adviser.user)
    page = client.get(reverse("appointments:agenda"), {"date": "2026-12-01"}).content.decode()
    assert "Ирина Петренко" in page
    assert "Пётр" not in page
    week = client.get(
        reverse("appointments:agenda"), {"date": "2026-12-03", "period": "week"}
    ).content.decode()
    assert "Ирина Петренко" in week
    assert client.get(reverse("appointments:staff_booking", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("appointments:staff_booking", args=[mine.pk])).status_code == 200


def test_the_agenda_records_a_view_only_when_it_shows_someone(
    client, adviser, two_bookings
) -> None:
    client.force_login(adviser.user)
    viewed = AuditEvent.objects.filter(actor=adviser.user, action=AuditAction.VIEWED)
    client.get(reverse("appointments:agenda"), {"date": "2026-12-02"})
    assert not viewed.exists()
    client.get(reverse("appointments:agenda"), {"date": "2026-12-01"})
    assert [event.detail for event in viewed] == [{"agenda": 1}]


def test_a_coordinator_sees_every_adviser(client, adviser, two_bookings) -> None:
    _mine, theirs = two_bookings
    client.force_login(_user("coord", Role.COORDINATOR))
    page = client.get(reverse("appointments:agenda"), {"date": "2026-12-01"}).content.decode()
    assert "Ирина Петренко" in page and "Пётр" in page
    only = client.get(
        reverse("appointments:agenda"), {"date": "2026-12-01", "adviser": str(adviser.pk)}
    ).content.decode()
    assert "Пётр" not in only
    assert client.get(reverse("appointments:staff_booking", args=[theirs.pk])).status_code == 200


def test_the_adviser_records_the_outcome_and_a_private_note(client, adviser, two_bookings) -> None:
    mine, _theirs = two_bookings
    client.force_login(adviser.user)
    target = reverse("appointments:staff_booking", args=[mine.pk])
    early = client.post(target, {"outcome": "held", "note": "x"})
    assert early.status_code == 400
    with time_machine.travel(at(2026, 12, 1, 16), tick=False):
        response = client.post(target, {"outcome": "held", "note": "Explained the appeal."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.outcome_note) == (BookingStatus.HELD, "Explained the appeal.")


def test_the_booking_page_tells_the_status_from_when_it_was_booked(
    client, adviser, two_bookings
) -> None:
    # Both say "Booked" in English; each has its own context, so Polish can tell them apart.
    mine, _theirs = two_bookings
    client.force_login(adviser.user)
    with translation.override("pl"):
        page = client.get(reverse("appointments:staff_booking", args=[mine.pk])).content.decode()
        status = pgettext("appointment status", "Booked")
        when = pgettext("when and by whom", "Booked")
    assert status != when
    assert f"<dd>{status}</dd>" in page
    assert f"<dt>{when}</dt>" in page


def test_staff_book_for_a_caller_linked_to_an_enquiry(client, adviser) -> None:
    consultant = _user("kasia", Role.CONSULTANT)
    enquiry, _token = enquiry_create(
        channel="phone", text="Прошу записать к юристу.", language="ru", name="Оксана"
    )
    client.force_login(consultant)
    page = client.get(reverse("appointments:staff_book"))
    assert page.status_code == 200
    # Staff may book within the notice: tomorrow is offered.
    tomorrow = slot_key(adviser.pk, at(2026, 11, 24, 15))
    assert tomorrow in page.content.decode()
    data = {
        "slot": tomorrow,
        "name": "Оксана",
        "email": "",
        "phone": "+48 600 100 200",
        "language": "ru",
        "topic": "",
        "description": "",
        "enquiry_reference": enquiry.reference.lower(),
        "consent": "on",
        "form_token": "staff-form-1",
    }
    response = client.post(reverse("appointments:staff_book"), data)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.enquiry == enquiry
    assert booking.booked_by == consultant
    assert booking.consent_version.endswith("/oral")
    # The same form again books nothing more.
    again = client.post(reverse("appointments:staff_book"), data)
    assert again.status_code == 302
    assert Booking.objects.count() == 1


def test_staff_booking_with_a_wrong_reference_or_a_taken_time(client, adviser) -> None:
    client.force_login(_user("kasia", Role.CONSULTANT))
    data = {
        "slot": slot_key(adviser.pk, at(2026, 12, 1, 15)),
        "name": "Оксана",
        "phone": "+48 600 100 200",
        "language": "ru",
        "enquiry_reference": "IP-2026-999999",
        "consent": "on",
        "form_token": "staff-form-2",
    }
    response = client.post(reverse("appointments:staff_book"), data)
    assert response.status_code == 400
    assert not Booking.objects.exists()
    appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    data["enquiry_reference"] = ""
    response = client.post(reverse("appointments:staff_book"), data)
    assert response.status_code == 400
    assert Booking.objects.count() == 1


def test_people_without_a_desk_or_adviser_role_cannot_book_for_callers(client, adviser) -> None:
    client.force_login(User.objects.create_user(username="nobody", is_staff=True))
    assert client.get(reverse("appointments:staff_book")).status_code == 403
