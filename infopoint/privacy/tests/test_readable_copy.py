"""The readable copy of a person's records is in their language, with local times and labels."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from infopoint.accounts.models import User
from infopoint.enquiries.models import Status
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.hours.calendar import office_zone
from infopoint.privacy.models import RequestKind
from infopoint.privacy.services import dsr_create

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _export(coordinator: User, **data: str):
    enquiry = enquiry_make(email="olena@example.net", language="uk")
    dsr = dsr_create(kind=RequestKind.ACCESS, email="olena@example.net", identity_checked=True)
    with translation.override("pl"):  # the coordinator works in Polish
        url = reverse("privacy:request_export", kwargs={"pk": dsr.pk})
    return enquiry, client_for(coordinator).post(url, {"format": "html", **data})


def _expected(language: str, enquiry) -> tuple[str, str, str]:
    with translation.override(language):
        title = gettext("Your records at the Information Point for Foreigners")
        status = str(Status(enquiry.status).label)
        received = formats.date_format(
            timezone.localtime(enquiry.created_at, office_zone()), "DATETIME_FORMAT"
        )
    return title, status, received


@time_machine.travel("2026-11-23 09:00:00+00:00", tick=False)
def test_the_copy_is_in_the_person_s_language_with_local_times(coordinator: User) -> None:
    enquiry, response = _export(coordinator)
    assert response.status_code == 200
    page = response.content.decode()
    title, status, received = _expected("uk", enquiry)
    assert '<html lang="uk">' in page
    assert title in page
    assert f"<dd>{status}</dd>" in page
    assert received in page
    assert enquiry.created_at.isoformat() not in page
    assert f"<dd>{enquiry.status}</dd>" not in page


def test_the_coordinator_may_choose_another_language(coordinator: User) -> None:
    enquiry, response = _export(coordinator, language="en")
    page = response.content.decode()
    title, status, _received = _expected("en", enquiry)
    assert '<html lang="en">' in page and title in page and f"<dd>{status}</dd>" in page


def test_an_unknown_language_is_refused(coordinator: User) -> None:
    _enquiry, response = _export(coordinator, language="xx")
    assert response.status_code == 400
    with translation.override("pl"):
        message = escape(gettext("Choose one of the site's languages."))
    assert message in response.content.decode()
