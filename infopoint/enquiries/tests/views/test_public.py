from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infopoint.enquiries.attachments import ACCEPTED_TYPES_TEXT
from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Channel, Direction, Enquiry, Message, SafeContact, Status
from infopoint.enquiries.services import (
    enquiry_add_note,
    enquiry_create,
    enquiry_reply,
    tracking_token_hash,
)
from infopoint.enquiries.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    UserFactory,
)
from infopoint.topics.tests.factories import TopicFactory, TopicTranslationFactory

pytestmark = pytest.mark.django_db


def _new_url(language: str = "uk") -> str:
    with translation.override(language):
        return reverse("enquiries:new")


def _track_url(token: str, language: str = "uk") -> str:
    with translation.override(language):
        return reverse("enquiries:track", kwargs={"token": token})


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
        "started": form_started_token(),  # the time check; no delay in the test profile
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@dataclass(frozen=True)
class Text:
    """A message as the code writes it (msgid, plural, placeholders), to translate in a test."""

    msgid: str
    plural: str | None = None
    number: int = 1
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.translated("en")

    def translated(self, language: str) -> str:
        """The text the page in ``language`` shows: the catalogue's translation, filled in."""
        with translation.override(language):
            if self.plural is None:
                text = translation.gettext(self.msgid)
            else:
                text = translation.ngettext(self.msgid, self.plural, self.number)
            params = {key: str(value) for key, value in self.params.items()}
            return text % params if params else text


def _translated(msgid: str, language: str = "uk") -> str:
    return Text(msgid).translated(language)


def _text_too_long(limit: int = 5000) -> Text:
    return Text(
        "Your text must be %(limit)s character or fewer.",
        "Your text must be %(limit)s characters or fewer.",
        limit,
        {"limit": limit},
    )


def _not_accepted(name: str) -> Text:
    return Text(
        "The file %(name)s must be a %(types)s.",
        params={"name": name, "types": ACCEPTED_TYPES_TEXT},
    )


def _id(value: object) -> str | None:
    return str(value) if isinstance(value, Text) else None


def _errors_shown(response: Any, message: Text, language: str = "uk") -> None:
    """The error, in the page's language, in the summary and beside its field."""
    expected = escape(message.translated(language))
    body = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in body
    # In the summary (a link to the field) and again beside the field.
    assert body.count(expected) >= 2, expected


# --- the form --------------------------------------------------------------------------------


def test_form_is_shown_in_the_visitors_language(client: Client) -> None:
    topic = TopicFactory(slug="health")
    TopicTranslationFactory(topic=topic, language="uk", name="Охорона здоров’я")
    response = client.get(_new_url("uk"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="uk">' in body
    assert 'enctype="multipart/form-data"' in body
    assert "Охорона здоров’я" in body
    assert '<option value="" selected>' in body  # "I don't know" first and chosen
    assert '<option value="uk" selected>' in body  # the answer language defaults to the page's
    assert CONSENT_VERSION in body
    assert 'type="submit"' in body


def test_valid_form_creates_the_enquiry_and_shows_the_confirmation(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    topic = TopicFactory(slug="health")
    upload = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _new_url("uk"),
            _valid(topic="health", attachments=[upload], phone="+48 600 000 000"),
        )
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert response["Location"] == _track_url(token, "uk")
    assert enquiry.tracking_token_hash == tracking_token_hash(token)
    assert enquiry.channel == Channel.WEB
    assert enquiry.topic == topic
    assert enquiry.language == "uk"
    assert enquiry.consent_version == CONSENT_VERSION
    assert enquiry.consent_given_at is not None
    assert enquiry.messages.get(direction=Direction.IN).attachments.count() == 1
    assert len(mail.outbox) == 1

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert enquiry.reference in body
    assert 'class="panel"' in body
    assert "olena@example.net" in body
    # The confirmation panel is shown once; a reload shows the plain page.
    assert 'class="panel"' not in client.get(response["Location"]).content.decode()


def test_language_of_the_enquiry_is_detected_from_the_question(client: Client) -> None:
    client.post(
        _new_url("pl"),
        _valid(question="Здравствуйте, подскажите, пожалуйста, где оформить вид на жительство?"),
    )
    assert Enquiry.objects.get().language == "ru"


@pytest.mark.parametrize(
    ("page", "chosen", "question", "language"),
    [
        # Ukrainian and Russian typed in Latin letters, with Polish office words in them.
        ("ru", "ru", "karta pobytu skolko zhdat? podala dokumenty v marte", "ru"),
        ("ru", "uk", "karta pobytu skilky chekaty? podala dokumenty v berezni", "uk"),
        ("ru", "ru", "Ile czeka się na kartę pobytu? Złożyłam dokumenty w marcu.", "pl"),
        # Nothing to tell the language by: the answer language chosen.
        ("ru", "en", "PESEL???", "en"),
    ],
)
def test_one_rule_gives_the_enquirys_language(
    client: Client, page: str, chosen: str, question: str, language: str
) -> None:
    response = client.post(_new_url(page), _valid(question=question, preferred_language=chosen))
    assert response.status_code == 302
    assert Enquiry.objects.get().language == language


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"question": ""}, Text("Enter your question.")),
        ({"question": "   "}, Text("Enter your question.")),
        ({"question": "x" * 5001}, _text_too_long()),
        ({"name": ""}, Text("Enter your name or a nickname.")),
        (
            {"email": "olena@"},
            Text("Enter an e-mail address in the right format, like name@example.com."),
        ),
        (
            {"email": "", "phone": ""},
            Text("Give an e-mail address or a phone number, so we can answer."),
        ),
        (
            {"email": "", "phone": "+48 600 000 000", "safe_contact": SafeContact.EMAIL_ONLY},
            Text("You chose e-mail only: give an e-mail address."),
        ),
        (
            {"phone": "call me maybe"},
            Text("Enter a phone number with digits only, like +48 12 345 67 89."),
        ),
        ({"topic": "no-such-topic"}, Text("Choose a topic from the list.")),
        ({"preferred_language": "xx"}, Text("Choose the language of the answer.")),
        ({"safe_contact": "carrier-pigeon"}, Text("Choose how we may contact you.")),
        (
            {"phone": "", "safe_contact": SafeContact.PHONE_ONLY},
            Text("You chose phone only: give a phone number."),
        ),
        (
            {"consent": None},
            Text("To send your question, agree to the processing of your data."),
        ),
    ],
    ids=_id,
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client: Client, overrides: dict[str, Any], message: Text
) -> None:
    response = client.post(_new_url("uk"), _valid(**overrides))
    _errors_shown(response, message)
    assert not Enquiry.objects.exists()
    assert not mail.outbox


def test_what_was_typed_is_kept_after_an_error(client: Client) -> None:
    response = client.post(_new_url("uk"), _valid(email="olena@", name="Олена Ш."))
    body = response.content.decode()
    assert 'value="Олена Ш."' in body
    assert "Як отримати PESEL для дитини?" in body
    assert 'value="olena@"' in body


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            [SimpleUploadedFile("passport.pdf", EXE_BYTES, content_type="application/pdf")],
            _not_accepted("passport.pdf"),
        ),
        (
            [SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")],
            _not_accepted("notes.txt"),
        ),
        (
            [
                SimpleUploadedFile(f"p{n}.png", PNG_BYTES, content_type="image/png")
                for n in range(6)
            ],
            Text(
                "Select %(limit)s file or fewer.",
                "Select %(limit)s files or fewer.",
                5,
                {"limit": 5},
            ),
        ),
    ],
    ids=["exe-named-pdf", "text", "too-many"],
)
def test_bad_files_are_refused_and_nothing_is_saved(
    client: Client, files: list[SimpleUploadedFile], message: Text
) -> None:
    response = client.post(_new_url("uk"), _valid(attachments=files))
    _errors_shown(response, message)
    assert not Enquiry.objects.exists()
    assert not Message.objects.exists()


def test_file_over_the_limit_is_refused(client: Client, settings: Any) -> None:
    settings.ENQUIRY_MAX_ATTACHMENT_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048, content_type="application/pdf")
    response = client.post(_new_url("uk"), _valid(attachments=[big]))
    with translation.override("uk"):
        limit = filesizeformat(1024)
    message = Text(
        "The file %(name)s is bigger than %(limit)s. Send a smaller file.",
        params={"name": "big.pdf", "limit": limit},
    )
    _errors_shown(response, message)
    assert not Enquiry.objects.exists()


def test_form_accepts_only_get_and_post(client: Client) -> None:
    assert client.put(_new_url()).status_code == 405


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    question=st.text(max_size=300),
    name=st.text(max_size=60),
    email=st.text(max_size=60),
    phone=st.text(max_size=40),
    topic=st.text(max_size=20),
    language=st.text(max_size=5),
    safe=st.text(max_size=12),
)
def test_form_never_fails_on_arbitrary_text(
    client: Client,
    question: str,
    name: str,
    email: str,
    phone: str,
    topic: str,
    language: str,
    safe: str,
) -> None:
    data = {
        "question": question,
        "name": name,
        "email": email,
        "phone": phone,
        "topic": topic,
        "preferred_language": language,
        "safe_contact": safe,
        "consent": "on",
        "started": form_started_token(),
    }
    # NUL characters cannot travel in a urlencoded body from a real browser either.
    data = {key: value.replace("\x00", "") for key, value in data.items()}
    response = client.post(_new_url("en"), data)
    assert response.status_code in (302, 400)


# --- the tracking page -----------------------------------------------------------------------


def _enquiry(**overrides: Any) -> tuple[Enquiry, str]:
    values: dict[str, Any] = {
        "channel": Channel.WEB,
        "text": "Як отримати PESEL?",
        "language": "uk",
        "name": "Olena",
        "email": "olena@example.net",
        "consent_version": CONSENT_VERSION,
    }
    values.update(overrides)
    return enquiry_create(**values)


def test_tracking_page_shows_the_thread_without_notes_and_is_private(client: Client) -> None:
    enquiry, token = _enquiry()
    consultant = UserFactory()
    enquiry_reply(enquiry=enquiry, author=consultant, text="PESEL видає ґміна.", send_email=False)
    enquiry_add_note(enquiry=enquiry, author=consultant, text="Secret staff note")
    response = client.get(_track_url(token))
    body = response.content.decode()
    assert response.status_code == 200
    assert enquiry.reference in body
    assert "Як отримати PESEL?" in body
    assert "PESEL видає ґміна." in body
    assert "Secret staff note" not in body
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"


def test_tracking_page_lists_files_without_links(client: Client) -> None:
    upload = SimpleUploadedFile("scan.pdf", PDF_BYTES, content_type="application/pdf")
    _enquiry_row, token = _enquiry(attachments=[upload])
    body = client.get(_track_url(token)).content.decode()
    assert "scan.pdf" in body
    assert "enquiries/20" not in body  # no storage path, no link to the file


def test_unknown_token_gives_a_translated_404(client: Client) -> None:
    _enquiry()
    response = client.get(_track_url("no-such-token", "uk"))
    assert response.status_code == 404
    assert '<html lang="uk">' in response.content.decode()
    assert escape(_translated("Link not found")) in response.content.decode()
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-store" in response["Cache-Control"]


def test_unknown_token_refuses_a_reply_too(client: Client) -> None:
    response = client.post(_track_url("no-such-token"), {"text": "Hello"})
    assert response.status_code == 404
    assert not Message.objects.exists()


def test_enquirer_replies_through_the_link_and_the_enquiry_reopens(client: Client) -> None:
    enquiry, token = _enquiry()
    enquiry_reply(enquiry=enquiry, author=UserFactory(), text="Answer", send_email=False)
    upload = SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")
    response = client.post(
        _track_url(token), {"text": "Дякую, ще питання", "attachments": [upload]}
    )
    assert response.status_code == 302
    assert response["Location"] == _track_url(token)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    message = enquiry.messages.filter(direction=Direction.IN).last()
    assert message.text == "Дякую, ще питання"
    assert message.channel == Channel.WEB
    assert message.attachments.get().original_filename == "photo.png"
    page = client.get(response["Location"]).content.decode()
    assert escape(_translated("Your message has been sent.")) in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, Text("Enter your message.")),
        ({"text": "y" * 5001}, _text_too_long()),
        (
            {
                "text": "see file",
                "attachments": [
                    SimpleUploadedFile("a.pdf", EXE_BYTES, content_type="application/pdf")
                ],
            },
            _not_accepted("a.pdf"),
        ),
    ],
    ids=_id,
)
def test_bad_reply_is_explained_and_nothing_is_saved(
    client: Client, data: dict[str, Any], message: Text
) -> None:
    enquiry, token = _enquiry()
    response = client.post(_track_url(token), data)
    _errors_shown(response, message)
    assert enquiry.messages.filter(direction=Direction.IN).count() == 1
