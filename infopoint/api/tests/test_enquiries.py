"""POST /api/v1/enquiries: the site's intake for partner sites and apps."""

import json
import re
from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Channel, Direction, Enquiry, SafeContact
from infopoint.enquiries.services import tracking_token_hash
from infopoint.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/enquiries"


def _valid(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "topic": None,
        "question": "Як отримати PESEL для дитини?",
        "name": "Olena",
        "email": "olena@example.net",
        "phone": "",
        "preferred_language": "uk",
        "safe_contact": SafeContact.ANY,
        "consent": True,
        "consent_version": CONSENT_VERSION,
    }
    body.update(overrides)
    return body


def _post(client: Client, body: Any, language: str = "uk", **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        URL, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **extra
    )


def _in(language: str, msgid: str, **params: Any) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


def _too_long(language: str, limit: int = 5000) -> str:
    with translation.override(language):
        return translation.ngettext(
            "Your text must be %(limit)s character or fewer.",
            "Your text must be %(limit)s characters or fewer.",
            limit,
        ) % {"limit": limit}


def test_the_api_is_reached_without_a_language_prefix() -> None:
    assert reverse("api:enquiry-create") == URL
    assert reverse("api:schema") == "/api/v1/schema"
    assert reverse("api:docs") == "/api/v1/docs"


def test_valid_enquiry_is_saved_acknowledged_and_answered_with_its_reference(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    topic = TopicFactory(slug="health")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, _valid(topic="health", phone="+48 600 000 000"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"reference", "tracking_url", "due_at"}
    enquiry = Enquiry.objects.get()
    assert body["reference"] == enquiry.reference
    assert re.fullmatch(r"IP-\d{4}-\d{6}", body["reference"])
    assert enquiry.channel == Channel.API
    assert enquiry.topic == topic
    assert enquiry.name == "Olena"
    assert enquiry.phone == "+48 600 000 000"
    assert enquiry.preferred_language == "uk"
    assert enquiry.language == "uk"
    assert enquiry.consent_version == CONSENT_VERSION
    assert enquiry.consent_given_at is not None
    assert enquiry.messages.get(direction=Direction.IN).text == "Як отримати PESEL для дитини?"

    due_at = datetime.fromisoformat(body["due_at"])
    assert due_at.utcoffset() is not None
    assert re.search(r"[+-]\d\d:\d\d$", body["due_at"])
    assert due_at == enquiry.due_at

    # The acknowledgement went to the person, with the same private link.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olena@example.net"]
    assert body["tracking_url"] in mail.outbox[0].body

    assert body["tracking_url"].startswith("https://infopoint.example.org/uk/enquiries/t/")
    path = body["tracking_url"].removeprefix("https://infopoint.example.org")
    token = path.rstrip("/").rsplit("/", 1)[-1]
    assert enquiry.tracking_token_hash == tracking_token_hash(token)
    page = client.get(path)
    assert page.status_code == 200
    assert enquiry.reference in page.content.decode()


def test_minimal_enquiry_needs_no_topic_phone_or_safe_contact(client: Client) -> None:
    body = _valid()
    for name in ("topic", "phone", "safe_contact"):
        del body[name]
    response = _post(client, body, language="en")
    assert response.status_code == 201, response.content
    assert Enquiry.objects.get().safe_contact == SafeContact.ANY


LONG = "x" * 5001


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            _valid(consent=None) | {"consent": False},
            "consent",
            lambda lang: _in(lang, "To send your question, agree to the processing of your data."),
        ),
        (
            {key: value for key, value in _valid().items() if key != "consent"},
            "consent",
            lambda lang: _in(lang, "To send your question, agree to the processing of your data."),
        ),
        (
            _valid(consent_version="2020-01-01"),
            "consent_version",
            lambda lang: _in(
                lang,
                "Show the person the current consent text and send its version, %(version)s.",
                version=CONSENT_VERSION,
            ),
        ),
        (
            {key: value for key, value in _valid().items() if key != "consent_version"},
            "consent_version",
            lambda lang: _in(
                lang,
                "Show the person the current consent text and send its version, %(version)s.",
                version=CONSENT_VERSION,
            ),
        ),
        (
            _valid(email="", phone=""),
            "email",
            lambda lang: _in(lang, "Give an e-mail address or a phone number, so we can answer."),
        ),
        (
            _valid(email="olena@"),
            "email",
            lambda lang: _in(
                lang, "Enter an e-mail address in the right format, like name@example.com."
            ),
        ),
        (
            _valid(email="", phone="+48 600 000 000", safe_contact=SafeContact.EMAIL_ONLY),
            "email",
            lambda lang: _in(lang, "You chose e-mail only: give an e-mail address."),
        ),
        (_valid(question=LONG), "question", _too_long),
        (
            _valid(question="   "),
            "question",
            lambda lang: _in(lang, "Enter your question."),
        ),
        (
            {key: value for key, value in _valid().items() if key != "name"},
            "name",
            lambda lang: _in(lang, "Enter your name or a nickname."),
        ),
        (
            _valid(topic="no-such-topic"),
            "topic",
            lambda lang: _in(lang, "Choose a topic from the list."),
        ),
        (
            _valid(preferred_language="xx"),
            "preferred_language",
            lambda lang: _in(lang, "Choose the language of the answer."),
        ),
        (
            _valid(safe_contact="carrier-pigeon"),
            "safe_contact",
            lambda lang: _in(lang, "Choose how we may contact you."),
        ),
        (
            _valid(phone="call me maybe"),
            "phone",
            lambda lang: _in(lang, "Enter a phone number with digits only, like +48 12 345 67 89."),
        ),
        # Wrong JSON types: DRF's own (translated) messages.
        (_valid(question=42), "question", lambda lang: _in(lang, "Not a valid string.")),
        (_valid(consent="yes"), "consent", lambda lang: _in(lang, "Must be a valid boolean.")),
        (_valid(consent=1), "consent", lambda lang: _in(lang, "Must be a valid boolean.")),
        (_valid(email=["a@b.c"]), "email", lambda lang: _in(lang, "Not a valid string.")),
        (_valid(name=None), "name", lambda lang: _in(lang, "This field may not be null.")),
        (_valid(topic=7), "topic", lambda lang: _in(lang, "Not a valid string.")),
        (
            "this is not JSON",
            "non_field_errors",
            lambda lang: _in(lang, "The body of the request must be JSON."),
        ),
        (
            '{"question": NaN}',
            "non_field_errors",
            lambda lang: _in(lang, "The body of the request must be JSON."),
        ),
        (
            [_valid()],
            "non_field_errors",
            lambda lang: _in(
                lang, "Invalid data. Expected a dictionary, but got {datatype}."
            ).format(datatype="list"),
        ),
    ],
    ids=[
        "consent-false",
        "consent-missing",
        "consent-version-wrong",
        "consent-version-missing",
        "no-contact",
        "invalid-email",
        "email-only-without-email",
        "question-too-long",
        "question-blank",
        "name-missing",
        "unknown-topic",
        "unknown-language",
        "unknown-safe-contact",
        "bad-phone",
        "question-number",
        "consent-string",
        "consent-number",
        "email-list",
        "name-null",
        "topic-number",
        "not-json",
        "json-nan",
        "json-list",
    ],
)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_bad_input_gets_400_with_one_translated_message_and_nothing_is_saved(
    client: Client, body: Any, field: str, message: Any, language: str
) -> None:
    response = _post(client, body, language=language)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {field: [message(language)]}}
    assert not Enquiry.objects.exists()
    assert not mail.outbox


def test_ukrainian_messages_are_not_the_english_ones(client: Client) -> None:
    response = _post(client, _valid(email="olena@"), language="uk")
    english = "Enter an e-mail address in the right format, like name@example.com."
    assert response.json()["errors"]["email"] != [english]


def test_every_problem_is_reported_at_once(client: Client) -> None:
    response = _post(client, {"question": 5, "consent": True}, language="en")
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert set(errors) == {"question", "name", "email", "preferred_language", "consent_version"}


def test_empty_body_reports_the_required_fields(client: Client) -> None:
    response = client.post(URL, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert {"question", "name", "consent", "consent_version"} <= set(response.json()["errors"])


def test_form_encoded_body_is_refused_as_unsupported(client: Client) -> None:
    response = client.post(URL, {"question": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 415
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert not Enquiry.objects.exists()


def test_body_over_the_size_limit_is_refused(client: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = _post(client, _valid(question="x" * 2000), language="en")
    assert response.status_code == 413
    assert response.json() == {"errors": {"non_field_errors": ["The request is too large."]}}
    assert not Enquiry.objects.exists()


def test_only_post_is_allowed(client: Client) -> None:
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405
    assert response.json() == {"errors": {"non_field_errors": ['Method "GET" not allowed.']}}


def test_a_wrong_token_is_refused_with_the_same_error_body(client: Client) -> None:
    response = _post(client, _valid(), language="en", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert response.json() == {"errors": {"non_field_errors": ["Invalid token."]}}
    assert not Enquiry.objects.exists()


# --- rate limits -----------------------------------------------------------------------------


def _retry_after(response: Any) -> int:
    value = int(response["Retry-After"])
    assert 0 < value <= 3600
    return value


def test_too_many_requests_from_one_address_get_429_with_retry_after(
    client: Client, settings: Any
) -> None:
    settings.API_RATE_PER_ADDRESS = "2/hour"
    for number in range(2):
        assert _post(client, _valid(email=f"p{number}@example.net")).status_code == 201
    response = _post(client, _valid(email="p3@example.net"), language="uk")
    assert response.status_code == 429
    _retry_after(response)
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert Enquiry.objects.count() == 2
    # Another address is not affected.
    other = _post(client, _valid(email="p4@example.net"), REMOTE_ADDR="192.0.2.10")
    assert other.status_code == 201


def test_too_many_enquiries_for_one_email_get_429_and_only_valid_ones_count(
    client: Client, settings: Any
) -> None:
    settings.ENQUIRY_RATE_PER_EMAIL = "2/hour"
    assert _post(client, _valid(question="")).status_code == 400  # not counted
    assert _post(client, _valid()).status_code == 201
    assert _post(client, _valid(email="Olena@Example.NET")).status_code == 201
    response = _post(client, _valid(), REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    _retry_after(response)
    assert Enquiry.objects.count() == 2
    assert len(mail.outbox) <= 2
    assert _post(client, _valid(email="someone@example.net")).status_code == 201


def test_the_web_form_and_the_api_count_one_email_together(client: Client, settings: Any) -> None:
    settings.ENQUIRY_RATE_PER_EMAIL = "1/hour"
    with translation.override("en"):
        form_url = reverse("enquiries:new")
    form = {
        "topic": "",
        "question": "How do I get a PESEL number?",
        "name": "Olena",
        "email": "olena@example.net",
        "phone": "",
        "preferred_language": "en",
        "safe_contact": SafeContact.ANY,
        "consent": "on",
        "started": form_started_token(),
    }
    assert client.post(form_url, form).status_code == 302
    assert _post(client, _valid()).status_code == 429
    assert Enquiry.objects.count() == 1


def test_a_limit_switched_off_never_refuses(client: Client, settings: Any) -> None:
    settings.API_RATE_PER_ADDRESS = "off"
    settings.ENQUIRY_RATE_PER_EMAIL = "off"
    for _number in range(3):
        assert _post(client, _valid()).status_code == 201
