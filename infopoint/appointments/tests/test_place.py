"""An in-person adviser with no location of their own meets people at the point's address;
with no address anywhere, no page, e-mail or calendar shows an empty place."""

from datetime import date

import icalendar
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.appointments.links import booking_token
from infopoint.appointments.services import appointment_book
from infopoint.directory.models import Institution, InstitutionTranslation

from .helpers import at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def adviser_without_location(adviser):
    adviser.location = ""
    adviser.save(update_fields=["location"])
    return adviser


def _point() -> Institution:
    point = Institution.objects.create(
        slug="information-point",
        kind="information-point",
        street_address="ul. Jana Dekerta 24",
        city="Kraków",
        source_url="https://www.krakow.pl/",
        reviewed_on=date(2026, 11, 1),
    )
    for language, name in (("ru", "Информационный пункт"), ("pl", "Punkt informacyjny")):
        InstitutionTranslation.objects.create(institution=point, language=language, name=name)
    return point


def _pages(client, booking) -> tuple[str, str, str]:
    with translation.override("ru"):
        token = booking_token(booking)
        page = client.get(reverse("appointments:booking", kwargs={"token": token}))
        ics = client.get(reverse("appointments:calendar", kwargs={"token": token})).content
        place, where = gettext("Place"), gettext("Where:")
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    return page.content.decode(), str(event.get("LOCATION", "")), place + "|" + where


def test_the_point_address_stands_in_for_a_missing_location(
    client, adviser_without_location, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    _point()
    with django_capture_on_commit_callbacks(execute=True):
        booking = appointment_book(
            adviser=adviser_without_location, starts_at=at(2026, 12, 1, 15), **person()
        )
    page, location, labels = _pages(client, booking)
    address = "Информационный пункт, ul. Jana Dekerta 24, Kraków"
    assert address in page
    assert location == address
    where = labels.split("|")[1]
    assert f"{where} {address}" in mailoutbox[0].body


def test_with_no_address_anywhere_no_empty_place_is_shown(
    client, adviser_without_location, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = appointment_book(
            adviser=adviser_without_location, starts_at=at(2026, 12, 1, 15), **person()
        )
    booking.adviser.translations.all().delete()  # no note either
    page, location, labels = _pages(client, booking)
    place, where = labels.split("|")
    assert f"<dt>{place}</dt>" not in page
    assert location == ""
    assert where not in mailoutbox[0].body
