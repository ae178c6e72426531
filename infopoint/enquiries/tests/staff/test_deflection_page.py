"""The coordinator's page of deflection counts."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from infopoint.enquiries.deflection import DEFLECTION_WINDOW, suggestion_opened_record
from infopoint.enquiries.tests.factories import desk_user
from infopoint.enquiries.tests.staff.conftest import staff_url

pytestmark = pytest.mark.django_db


def _client(role: str) -> Client:
    client = Client()
    client.force_login(desk_user(role, username=role))
    return client


def test_the_coordinator_sees_the_counts(articles) -> None:
    long_ago = timezone.now() - DEFLECTION_WINDOW - timedelta(hours=1)
    suggestion_opened_record(
        visit=uuid.uuid4(), article_slug="pesel-number", language="uk", at=long_ago
    )
    client = _client("coordinator")
    page = client.get(staff_url("deflection"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Suggestions beside the enquiry form" in body
    assert "<td>1</td>" in body
    assert "100 %" in body  # the one visit was abandoned
    assert "PESEL number" in body
    # The coordinator finds the page from every staff screen.
    assert staff_url("deflection") in client.get(staff_url("inbox")).content.decode()


def test_with_nothing_counted_the_page_says_so() -> None:
    body = _client("administrator").get(staff_url("deflection")).content.decode()
    assert "No suggestion was opened in this time." in body
    assert "—" in body


def test_consultants_and_others_cannot_open_it(client: Client) -> None:
    consultant = _client("consultant")
    assert consultant.get(staff_url("deflection")).status_code == 403
    assert staff_url("deflection") not in consultant.get(staff_url("inbox")).content.decode()
    assert _client("adviser").get(staff_url("deflection")).status_code == 403
    assert client.get(staff_url("deflection")).status_code == 302
    assert _client("coordinator").post(staff_url("deflection")).status_code == 405
