"""Every staff screen: anonymous → sign-in page, adviser without the role → 403, consultant → ok."""

from typing import Any

import pytest
from django.test import Client

from infopoint.enquiries.models import Enquiry, Message
from infopoint.enquiries.tests.factories import desk_user, enquiry_make, pdf_file

from .conftest import staff_url

pytestmark = pytest.mark.django_db


def _screens(enquiry: Enquiry) -> list[tuple[str, str, dict[str, Any], dict[str, Any], int]]:
    """(method, url name, url kwargs, data that succeeds, status when it succeeds)."""
    attachment = Message.objects.get(enquiry=enquiry).attachments.get()
    pk = {"pk": enquiry.pk}
    return [
        ("get", "inbox", {}, {}, 200),
        ("get", "log_contact", {}, {}, 200),
        ("get", "detail", pk, {}, 200),
        ("get", "attachment", {**pk, "attachment_pk": attachment.pk}, {}, 200),
        ("post", "status", pk, {"status": "open"}, 302),
        ("post", "assign", pk, {"assign-assignee": ""}, 302),
        ("post", "note", pk, {"note-text": "Call back on Tuesday."}, 302),
        ("post", "reply", pk, {"reply-text": "Відповідь.", "reply-status": "answered"}, 302),
        ("post", "phone_answer", pk, {"phone-text": "Told her.", "phone-status": "answered"}, 302),
        ("post", "merge", pk, {"merge-reference": "IP-NONE"}, 400),
        ("post", "link", pk, {}, 302),
        (
            "post",
            "log_contact",
            {},
            {"channel": "phone", "language": "uk", "summary": "PESEL", "safe_contact": "any"},
            302,
        ),
    ]


@pytest.fixture
def with_file(now: object) -> Enquiry:
    return enquiry_make(attachments=[pdf_file()])


def test_anonymous_people_are_sent_to_sign_in(with_file: Enquiry) -> None:
    client = Client()
    for method, name, kwargs, data, _status in _screens(with_file):
        url = staff_url(name, **kwargs)
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/en/account/sign-in/?next="), name


def test_staff_without_a_desk_role_get_a_translated_403(
    with_file: Enquiry, adviser_client: Client
) -> None:
    for method, name, kwargs, data, _status in _screens(with_file):
        response = getattr(adviser_client, method)(staff_url(name, **kwargs), data)
        assert response.status_code == 403, name
        assert "You cannot open this page" in response.content.decode()
    polish = adviser_client.get(staff_url("inbox", language="pl"))
    assert polish.status_code == 403
    assert polish.templates[0].name == "enquiries/staff/forbidden.html"


def test_consultants_use_every_screen(with_file: Enquiry, consultant_client: Client) -> None:
    for method, name, kwargs, data, status in _screens(with_file):
        response = getattr(consultant_client, method)(staff_url(name, **kwargs), data)
        assert response.status_code == status, (name, response.content[:2000])
        assert "no-store" in response.get("Cache-Control", ""), name


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_work_the_desk_too(enquiry: Enquiry, role: str) -> None:
    client = Client()
    client.force_login(desk_user(role))
    assert client.get(staff_url("inbox")).status_code == 200
    assert client.get(staff_url("detail", pk=enquiry.pk)).status_code == 200


def test_an_unknown_enquiry_is_not_found(consultant_client: Client) -> None:
    assert consultant_client.get(staff_url("detail", pk=999)).status_code == 404


def test_forms_that_change_things_refuse_get(enquiry: Enquiry, consultant_client: Client) -> None:
    assert consultant_client.get(staff_url("reply", pk=enquiry.pk)).status_code == 405
