"""An adviser reads the enquiry an appointment of theirs was booked for, and no other."""

import pytest
from django.urls import reverse

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.services import appointment_book
from infopoint.enquiries.services import enquiry_create
from infopoint.topics.models import Topic

from .helpers import at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
QUESTION = "Прошу записать к юристу по поводу карты побыту."


@pytest.fixture
def booked(adviser, make_adviser):
    enquiry, _token = enquiry_create(channel="phone", text=QUESTION, language="ru", name="Оксана")
    other = make_adviser("ewa", first_name="Ewa", last_name="Lis")
    mine = appointment_book(
        adviser=adviser, starts_at=at(2026, 12, 1, 15), enquiry=enquiry, **person()
    )
    theirs = appointment_book(
        adviser=other, starts_at=at(2026, 12, 1, 16), enquiry=enquiry, **person(email="x@ex.org")
    )
    return enquiry, mine, theirs


def test_the_adviser_reads_the_enquiry_of_their_appointment(client, adviser, booked) -> None:
    enquiry, mine, theirs = booked
    client.force_login(adviser.user)
    page = client.get(reverse("appointments:staff_booking", kwargs={"pk": mine.pk}))
    assert page.status_code == 200
    assert QUESTION in page.content.decode() and enquiry.reference in page.content.decode()
    # Another adviser's appointment (and so its enquiry) is not found.
    assert (
        client.get(reverse("appointments:staff_booking", kwargs={"pk": theirs.pk})).status_code
        == 404
    )
    # The enquiry desk stays closed to advisers.
    assert (
        client.get(reverse("enquiries:staff:detail", kwargs={"pk": enquiry.pk})).status_code == 403
    )


def test_a_restricted_topic_keeps_the_enquiry_from_an_adviser_not_named(
    client, adviser, booked
) -> None:
    enquiry, mine, _theirs = booked
    topic = Topic.objects.create(slug="discrimination-violence")
    named = user_roles_set(user=User.objects.create_user(username="t"), roles=[Role.CONSULTANT])
    topic.restricted_to.add(named)
    enquiry.topic = topic
    enquiry.save(update_fields=["topic"])
    client.force_login(adviser.user)
    page = client.get(reverse("appointments:staff_booking", kwargs={"pk": mine.pk}))
    assert page.status_code == 200
    assert QUESTION not in page.content.decode()
    topic.restricted_to.add(adviser.user)
    page = client.get(reverse("appointments:staff_booking", kwargs={"pk": mine.pk}))
    assert QUESTION in page.content.decode()
