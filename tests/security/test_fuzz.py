"""Hypothesis fuzz of the public forms and the mail parser: never a 500, nothing half-written.

Arbitrary strings (control characters, NUL, surrogates left out only where HTTP cannot carry
them), arbitrary field sets and arbitrary raw bodies go to the enquiry form, the booking form
and the search; arbitrary bytes go to the mail parser and what it reads on to the desk. The
test client re-raises any exception of a view, so a 500 fails the test.
"""

from __future__ import annotations

import contextlib
import random
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infopoint.appointments.forms import new_form_token
from infopoint.appointments.models import Adviser, Booking
from infopoint.appointments.slots import slot_key
from infopoint.appointments.tests.helpers import at
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Attachment, Enquiry, Message
from infopoint.enquiries.services import enquiry_receive_mail
from infopoint.mail.parsing import ParseError, parse_message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text a browser can send: any character but lone surrogates, which UTF-8 cannot encode.
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
ENQUIRY_FIELDS = [
    "topic",
    "question",
    "name",
    "email",
    "phone",
    "preferred_language",
    "safe_contact",
    "consent",
    "website",
    "started",
    "visit",
    "check",
]
BOOKING_FIELDS = ["slot", "language", "topic", "form_token", "name", "email", "phone"]
BOOKING_FIELDS += ["description", "consent"]
CONTENT_TYPES = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=fuzz",
        "multipart/form-data",
        "application/json",
        "text/plain; charset=utf-32",
        "",
    ]
)
OK = {200, 302, 400, 409, 413, 429}


def _counts() -> tuple[int, int, int, int]:
    return (
        Enquiry.objects.count(),
        Message.objects.count(),
        Attachment.objects.count(),
        Booking.objects.count(),
    )


def _whole() -> None:
    """Every enquiry has its first message; every attachment belongs to a message."""
    assert not Enquiry.objects.filter(messages__isnull=True).exists()
    assert not Attachment.objects.filter(message__isnull=True).exists()


def _valid_enquiry() -> dict[str, Any]:
    return {
        "question": "Jak uzyskać PESEL?",
        "name": "Olena",
        "email": "olena@example.net",
        "preferred_language": "pl",
        "safe_contact": "any",
        "consent": "on",
        "started": form_started_token(at=0),
    }


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(ENQUIRY_FIELDS) | TEXT, TEXT, max_size=12))
def test_the_enquiry_form_takes_any_fields(fields: dict[str, str]) -> None:
    before = _counts()
    data = {**_valid_enquiry(), "started": form_started_token(), **fields}
    response = Client().post(reverse("enquiries:new"), data)
    assert response.status_code in OK
    if response.status_code != 302:
        assert _counts() == before
    _whole()


@FUZZ
@given(question=TEXT, name=TEXT, data=st.binary(max_size=2000), filename=TEXT)
def test_the_enquiry_form_takes_any_file(
    question: str, name: str, data: bytes, filename: str
) -> None:
    before = _counts()
    upload = SimpleUploadedFile(filename.replace("\x00", "")[:100] or "f", data)
    payload = {**_valid_enquiry(), "started": form_started_token(), "question": question}
    payload.update(name=name, attachments=upload)
    response = Client().post(reverse("enquiries:new"), payload)
    assert response.status_code in OK
    if response.status_code != 302:
        assert _counts() == before
    _whole()


@FUZZ
@given(body=st.binary(max_size=3000), content_type=CONTENT_TYPES)
def test_the_enquiry_form_takes_any_raw_body(body: bytes, content_type: str) -> None:
    before = _counts()
    response = Client().generic("POST", reverse("enquiries:new"), body, content_type)
    assert response.status_code in OK
    assert _counts() == before


@FUZZ
@given(token=TEXT, text=TEXT)
def test_the_tracking_page_takes_any_token_and_reply(token: str, text: str) -> None:
    before = _counts()
    token = token.replace("/", "")
    if token:
        response = Client().post(
            reverse("enquiries:track", kwargs={"token": token}), {"text": text}
        )
        assert response.status_code == 404
    assert _counts() == before


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(BOOKING_FIELDS) | TEXT, TEXT, max_size=10))
def test_the_booking_form_takes_any_fields(adviser: Adviser, fields: dict[str, str]) -> None:
    before = _counts()
    data = {
        "slot": slot_key(adviser.pk, at(2026, 12, 1, 15)),
        "language": "ru",
        "name": "Ирина",
        "email": "iryna@example.com",
        "consent": "on",
        "form_token": new_form_token(),
        **fields,
    }
    response = Client().post(reverse("appointments:details"), data)
    assert response.status_code in OK
    if response.status_code != 302:
        assert _counts() == before
    assert Booking.objects.count() <= 1


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["q", "topic", "language", "page"]) | TEXT, TEXT))
def test_the_search_takes_any_query(params: dict[str, str]) -> None:
    response = Client().get(reverse("knowledge:search"), params)
    assert response.status_code in {200, 400}
    response = Client().get(reverse("appointments:choose"), params)
    assert response.status_code in OK


MAIL_HEADERS = st.lists(
    st.tuples(
        st.sampled_from(["From", "To", "Subject", "Message-ID", "In-Reply-To", "Content-Type"])
        | st.text(max_size=20),
        st.binary(max_size=120),
    ),
    max_size=8,
)


@FUZZ
@given(raw=st.binary(max_size=4000))
def test_the_mail_parser_reads_any_bytes_or_says_why_not(raw: bytes) -> None:
    with contextlib.suppress(ParseError):
        parse_message(raw)


@FUZZ
@given(headers=MAIL_HEADERS, body=st.binary(max_size=2000))
def test_any_mail_the_parser_reads_becomes_a_whole_enquiry(
    headers: list[tuple[str, bytes]], body: bytes
) -> None:
    raw = b"".join(
        name.encode("utf-8", "replace") + b": " + value + b"\r\n" for name, value in headers
    )
    raw = b"From: olena@example.net\r\n" + raw + b"\r\n" + body
    # Hypothesis seeds the global random module alike for every example, and time stands
    # still: make_msgid() would then give our acknowledgements the same Message-ID each time.
    random.seed()
    try:
        message = parse_message(raw)
    except ParseError:
        return
    enquiry_receive_mail(message)
    _whole()


@pytest.mark.parametrize("field", ["topic", "form_token", "slot", "language", "name"])
def test_a_nul_in_any_booking_field_is_refused_not_a_500(adviser: Adviser, field: str) -> None:
    """Found by the fuzz above on PostgreSQL, which refuses text with NUL in a query."""
    data = {
        "slot": slot_key(adviser.pk, at(2026, 12, 1, 15)),
        "language": "ru",
        "name": "Ирина",
        "email": "iryna@example.com",
        "consent": "on",
        "form_token": new_form_token(),
        field: "a\x00b",
    }
    response = Client().post(reverse("appointments:details"), data)
    assert response.status_code in {400, 409}
    assert not Booking.objects.exists()


@pytest.mark.parametrize("field", [*ENQUIRY_FIELDS, "attachments"])
def test_a_nul_in_any_enquiry_field_is_refused_not_a_500(field: str) -> None:
    before = _counts()
    data = {**_valid_enquiry(), "started": form_started_token(), field: "a\x00b"}
    response = Client().post(reverse("enquiries:new"), data)
    # A checkbox or file field ignores the text; a text field refuses the NUL.
    assert response.status_code in {200, 302, 400}
    if response.status_code != 302:
        assert _counts() == before
    assert all("\x00" not in enquiry.name for enquiry in Enquiry.objects.all())


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("knowledge:search", "q"),
        ("knowledge:search", "topic"),
        ("appointments:choose", "topic"),
        ("appointments:choose", "language"),
        ("appointments:choose", "week"),
        ("enquiries:suggestions", "question"),
        ("enquiries:suggestions", "visit"),
    ],
)
def test_a_nul_in_a_query_parameter_is_not_a_500(name: str, param: str) -> None:
    response = Client().get(reverse(name), {param: "a\x00b"})
    assert response.status_code in {200, 302, 400}
