"""Stored XSS: attacks typed into every free-text field are shown inert on every page.

Each field a person (or an e-mail) can fill gets the same four attacks (inert.PAYLOADS): a
<script>, an <img onerror>, javascript: links (Markdown and HTML) and an attribute break-out
with <svg onload>. Every page that shows the field is scanned for markup a browser would
run; the escaped text must still be there, so the test cannot pass on a page that simply
left the text out.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from infopoint.accounts.models import User
from infopoint.appointments.links import booking_token
from infopoint.appointments.models import Adviser, Booking
from infopoint.appointments.services import appointment_book, appointment_record_outcome
from infopoint.appointments.tests.helpers import at, person
from infopoint.core.markdown import render_markdown
from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.models import Channel, Enquiry
from infopoint.enquiries.services import (
    enquiry_add_enquirer_message,
    enquiry_add_note,
    enquiry_create,
    enquiry_receive_mail,
    enquiry_reply,
)
from infopoint.mail.parsing import parse_message

from .inert import ATTACK, PAYLOADS, active_markup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _assert_inert(html: str, *, shown: str = ATTACK) -> None:
    assert active_markup(html) == []
    # The attack is on the page as text: escaped, not dropped.
    assert escape("<script>alert('xss-script')</script>") in html or escape(shown)[:40] in html


def _web_enquiry() -> tuple[Enquiry, str]:
    return enquiry_create(
        channel=Channel.WEB,
        text=ATTACK,
        language="en",
        name=f"Olena {PAYLOADS[3]}",
        email="olena@example.net",
        phone="+48 12 345 67 89",
        consent_version=CONSENT_VERSION,
        acknowledge=False,
    )


def _staff_pages(client: Client, enquiry: Enquiry) -> list[str]:
    inbox = client.get(reverse("enquiries:staff:inbox"))
    detail = client.get(reverse("enquiries:staff:detail", kwargs={"pk": enquiry.pk}))
    searched = client.get(reverse("enquiries:staff:inbox"), {"q": PAYLOADS[0]})
    assert inbox.status_code == detail.status_code == searched.status_code == 200
    return [inbox.content.decode(), detail.content.decode(), searched.content.decode()]


def test_the_enquiry_form_fields_are_inert_for_the_enquirer_and_staff(
    staff_client: Client, consultant: User
) -> None:
    enquiry, token = _web_enquiry()
    enquiry_add_enquirer_message(enquiry=enquiry, text=ATTACK, attachments=[], via=Channel.WEB)
    enquiry_add_note(enquiry=enquiry, author=consultant, text=ATTACK)
    enquiry_reply(enquiry=enquiry, author=consultant, text=ATTACK, send_email=False)
    tracking = Client().get(reverse("enquiries:track", kwargs={"token": token}))
    assert tracking.status_code == 200
    _assert_inert(tracking.content.decode())
    for page in _staff_pages(staff_client, enquiry):
        assert active_markup(page) == []
    detail = _staff_pages(staff_client, enquiry)[1]
    # Question, the enquirer's message, the note and the reply: all shown, all escaped.
    assert detail.count(escape(PAYLOADS[1])) >= 4
    assert escape(PAYLOADS[3]) in detail


def test_the_public_form_redisplays_an_attack_inert() -> None:
    """A refused form shows what was typed again: escaped, inside the fields."""
    response = Client().post(
        reverse("enquiries:new"),
        {"question": ATTACK, "name": PAYLOADS[3], "email": "not an address", "consent": "on"},
    )
    assert response.status_code == 400
    _assert_inert(response.content.decode())


def _html_mail(html: str) -> bytes:
    return (
        "From: =?utf-8?q?Olena_=22=3E=3Csvg_onload=3Dalert=3E?= <olena@example.net>\r\n"
        "To: info-point@example.invalid\r\n"
        "Subject: <img src=x onerror=alert('xss-subject')>\r\n"
        "Message-ID: <xss@mail.example.net>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        f"{html}\r\n--b--\r\n"
    ).encode()


def test_an_html_mail_is_shown_inert(staff_client: Client) -> None:
    html = (
        "<html><body><p>Hello</p>"
        + "<p>&lt;script&gt;alert('xss-escaped')&lt;/script&gt;</p>"
        + "<a href=\"javascript:alert('xss-mail')\">link</a>"
        + "<iframe src=\"javascript:alert('xss-frame')\"></iframe>"
        + "".join(PAYLOADS)
        + "</body></html>"
    )
    enquiry = enquiry_receive_mail(parse_message(_html_mail(html)))
    for page in _staff_pages(staff_client, enquiry):
        assert active_markup(page) == []
    detail = _staff_pages(staff_client, enquiry)[1]
    assert escape("<img src=x onerror=alert('xss-subject')>") in detail
    # The HTML's own escaped text turns into text that is escaped again on the page.
    assert escape("<script>alert('xss-escaped')</script>") in detail


@pytest.fixture
def booking(adviser: Adviser) -> Booking:
    values = person(name=f"Iryna {PAYLOADS[3]}", description=ATTACK)
    return appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **values)


def test_booking_fields_and_the_adviser_note_are_inert(
    booking: Booking, adviser: Adviser, coordinator: User
) -> None:
    appointment_record_outcome(
        booking=booking, by=adviser.user, outcome="held", note=ATTACK, now=at(2026, 12, 1, 16)
    )
    public = Client().get(reverse("appointments:booking", kwargs={"token": booking_token(booking)}))
    assert public.status_code == 200
    assert active_markup(public.content.decode()) == []
    staff = Client()
    staff.force_login(coordinator)
    for name, kwargs in (
        ("appointments:agenda", {}),
        ("appointments:staff_booking", {"pk": booking.pk}),
    ):
        response = staff.get(reverse(name, kwargs=kwargs), {"week": "2026-11-30"})
        assert response.status_code == 200
        page = response.content.decode()
        assert active_markup(page) == []
    # The appointment's own page shows the name, the description and the note, escaped.
    assert page.count(escape(PAYLOADS[1])) >= 2
    assert escape(PAYLOADS[3]) in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_of_articles_and_news_keeps_no_active_markup(payload: str) -> None:
    html = str(render_markdown(f"Intro\n\n{payload}\n\n[x](javascript:alert(1)) <b>ok</b>"))
    assert active_markup(html) == []
    assert "<script" not in html and "<svg" not in html and "<img" not in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_scanner_finds_each_attack_when_it_is_not_escaped(payload: str) -> None:
    """The check above would fail on a page that put the text in unescaped."""
    page = f'<p>{render_markdown("x")}<a href="{payload}">{payload}</a></p>'
    assert active_markup(page) != []
