"""Abuse defence of the public enquiry form: honeypot, time check and rate limits."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from config.settings import base
from infopoint.directory.tests.factories import InstitutionFactory
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Enquiry, SafeContact
from infopoint.hours.models import Schedule

pytestmark = pytest.mark.django_db

SHOWN = datetime(2026, 11, 24, 10, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _url(language: str = "uk") -> str:
    with translation.override(language):
        return reverse("enquiries:new")


def _valid(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "topic": "",
        "question": "Як отримати PESEL для дитини?",
        "name": "Olena",
        "email": "olena@example.net",
        "phone": "",
        "preferred_language": "uk",
        "safe_contact": SafeContact.ANY,
        "consent": "on",
        "started": form_started_token(),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _in(language: str, msgid: str) -> str:
    with translation.override(language):
        return translation.gettext(msgid)


def _refused_with(response: Any, msgid: str, language: str = "uk") -> str:
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    assert escape(_in(language, msgid)) in body
    # What was typed is kept.
    assert "Як отримати PESEL для дитини?" in body
    assert 'value="Olena"' in body
    assert 'value="olena@example.net"' in body
    assert not Enquiry.objects.exists()
    assert not mail.outbox
    return body


TOO_QUICK = (
    "The form was sent too quickly for us to be sure that a person sent it. "
    "Check your answers and send it again."
)
TOO_OLD = "This form was open for too long. Check your answers and send it again."


# --- the honeypot ----------------------------------------------------------------------------


def test_honeypot_is_hidden_from_people_and_their_tools(client: Client) -> None:
    body = client.get(_url("uk")).content.decode()
    hidden = body[body.index('<div class="visually-hidden" aria-hidden="true">') :]
    hidden = hidden[: hidden.index("</div>")]
    assert escape(_in("uk", "Leave this empty")) in hidden
    assert 'name="website"' in hidden
    assert 'tabindex="-1"' in hidden
    assert 'autocomplete="off"' in hidden
    assert 'type="hidden" name="started"' in body


def test_filled_honeypot_is_refused_explained_logged_and_not_shown_again(
    client: Client, caplog: Any
) -> None:
    response = client.post(_url("uk"), _valid(website="http://spam.example"))
    body = _refused_with(
        response, "We could not send the form. Check your answers and send it again."
    )
    assert "spam.example" not in body
    assert "honeypot" in caplog.text


# --- the time check --------------------------------------------------------------------------


@pytest.fixture
def real_delay(settings: Any) -> int:
    """The delay of every profile but the tests' (which set it to 0)."""
    settings.ENQUIRY_FORM_MIN_SECONDS = base.ENQUIRY_FORM_MIN_SECONDS
    assert settings.ENQUIRY_FORM_MIN_SECONDS == 3
    return settings.ENQUIRY_FORM_MIN_SECONDS


def test_form_sent_back_too_quickly_is_refused_and_can_be_sent_again(
    client: Client, real_delay: int, caplog: Any
) -> None:
    with time_machine.travel(SHOWN, tick=False) as clock:
        page = client.get(_url("uk")).content.decode()
        started = page.split('name="started" value="', 1)[1].split('"', 1)[0]
        clock.shift(timedelta(seconds=real_delay - 1))
        response = client.post(_url("uk"), _valid(started=started))
        body = _refused_with(response, TOO_QUICK)
        assert "too quickly" in caplog.text
        # The page carries a new timestamp: sent again a little later, it goes through.
        fresh = body.split('name="started" value="', 1)[1].split('"', 1)[0]
        assert fresh != started
        clock.shift(timedelta(seconds=real_delay))
        assert client.post(_url("uk"), _valid(started=fresh)).status_code == 302
    assert Enquiry.objects.count() == 1


def test_form_sent_back_after_the_delay_is_accepted(client: Client, real_delay: int) -> None:
    with time_machine.travel(SHOWN, tick=False) as clock:
        started = form_started_token()
        clock.shift(timedelta(seconds=real_delay))
        assert client.post(_url("uk"), _valid(started=started)).status_code == 302


@pytest.mark.parametrize(
    "started",
    [
        None,
        "",
        "not-signed",
        form_started_token(at=SHOWN.timestamp()) + "x",
    ],
    ids=["missing", "empty", "unsigned", "tampered"],
)
def test_form_without_a_valid_timestamp_is_refused(client: Client, started: str | None) -> None:
    _refused_with(client.post(_url("uk"), _valid(started=started)), TOO_OLD)


def test_form_older_than_a_day_is_refused(client: Client) -> None:
    with time_machine.travel(SHOWN, tick=False) as clock:
        started = form_started_token()
        clock.shift(timedelta(days=1, seconds=1))
        _refused_with(client.post(_url("uk"), _valid(started=started)), TOO_OLD)


def test_bot_check_messages_come_with_other_errors(client: Client) -> None:
    response = client.post(_url("en"), _valid(website="x", name=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert escape(_in("en", "Enter your name or a nickname.")) in body
    assert (
        escape(_in("en", "We could not send the form. Check your answers and send it again."))
        in body
    )


# --- rate limits -----------------------------------------------------------------------------


def test_too_many_enquiries_from_one_address_get_a_429_page_with_other_ways_to_ask(
    client: Client, settings: Any, caplog: Any, office_hours: Schedule
) -> None:
    settings.ENQUIRY_RATE_PER_ADDRESS = "2/hour"
    settings.CONTACT_EMAIL = "point@example.invalid"
    InstitutionFactory(slug="information-point", phones=["887 201 598"], schedule=office_hours)
    with time_machine.travel(SHOWN + timedelta(minutes=50), tick=False):
        for number in range(2):
            response = client.post(_url("uk"), _valid(email=f"p{number}@example.net"))
            assert response.status_code == 302
        response = client.post(_url("uk"), _valid(email="p3@example.net"))
    body = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == str(10 * 60)
    assert '<html lang="uk">' in body
    with translation.override("uk"):
        expected = translation.ngettext(
            "You can try again in %(minutes)s minute.",
            "You can try again in %(minutes)s minutes.",
            10,
        ) % {"minutes": 10}
    assert escape(expected) in body
    assert "887 201 598" in body
    assert "mailto:point@example.invalid" in body
    assert "Як отримати PESEL для дитини?" in body  # the question, to copy
    assert Enquiry.objects.count() == 2
    assert "rate limit" in caplog.text


def test_too_many_enquiries_for_one_email_address_get_a_429(client: Client, settings: Any) -> None:
    settings.ENQUIRY_RATE_PER_EMAIL = "1/hour"
    assert client.post(_url("en"), _valid()).status_code == 302
    response = client.post(_url("en"), _valid(email="OLENA@example.net"), REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Enquiry.objects.count() == 1
    assert client.post(_url("en"), _valid(email="other@example.net")).status_code == 302


def test_refused_and_invalid_forms_do_not_count(client: Client, settings: Any) -> None:
    settings.ENQUIRY_RATE_PER_ADDRESS = "1/hour"
    for _ in range(3):
        assert client.post(_url("en"), _valid(email="olena@")).status_code == 400
        assert client.post(_url("en"), _valid(website="spam")).status_code == 400
    assert client.post(_url("en"), _valid()).status_code == 302
