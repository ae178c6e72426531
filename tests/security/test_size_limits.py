"""Size limits give a clear, translated refusal with the right status, and save nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Enquiry, Message
from infopoint.enquiries.services import enquiry_tracking_token_renew
from infopoint.enquiries.tests.factories import PDF_BYTES, enquiry_make

pytestmark = pytest.mark.django_db

LANGUAGES = ["pl", "uk", "ru", "en"]


def _enquiry(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "question": "Jak uzyskać PESEL?",
        "name": "Olena",
        "email": "olena@example.net",
        "preferred_language": "pl",
        "safe_contact": "any",
        "consent": "on",
        "started": form_started_token(),
    }
    data.update(overrides)
    return data


def _url(name: str, language: str, **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100_000)
def test_a_body_over_the_upload_limit_is_refused_with_413(language: str) -> None:
    response = Client().post(_url("enquiries:new", language), _enquiry(question="a" * 150_000))
    assert response.status_code == 413
    with translation.override(language):
        assert gettext("What you sent is too big") in response.content.decode()
        page = response.content.decode().replace("&nbsp;", "\xa0")
        assert filesizeformat(100_000) in page
    assert not Enquiry.objects.exists()


def test_a_malformed_body_gets_the_translated_400_page() -> None:
    response = Client().generic(
        "POST",
        _url("enquiries:new", "uk"),
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n',
        "multipart/form-data; boundary=x",
    )
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_100_kb_field_is_refused_with_a_message_that_names_the_limit(language: str) -> None:
    response = Client().post(_url("enquiries:new", language), _enquiry(question="ж" * 100_000))
    assert response.status_code == 400
    with translation.override(language):
        limit = 5000
        message = ngettext(
            "Your text must be %(limit)s character or fewer.",
            "Your text must be %(limit)s characters or fewer.",
            limit,
        ) % {"limit": limit}
    assert message in response.content.decode()
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("field", ["name", "email", "phone"])
def test_a_100_kb_short_field_is_refused(field: str) -> None:
    response = Client().post(_url("enquiries:new", "en"), _enquiry(**{field: "a" * 100_000}))
    assert response.status_code == 400
    assert "characters" in response.content.decode() or "e-mail" in response.content.decode()
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(ENQUIRY_MAX_ATTACHMENT_BYTES=1000)
def test_a_file_over_the_attachment_limit_is_refused(language: str) -> None:
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 2000, "application/pdf")
    response = Client().post(_url("enquiries:new", language), _enquiry(attachments=big))
    assert response.status_code == 400
    with translation.override(language):
        message = gettext("The file %(name)s is bigger than %(limit)s. Send a smaller file.") % {
            "name": "scan.pdf",
            "limit": filesizeformat(1000),
        }
    assert message in response.content.decode().replace("&nbsp;", "\xa0")
    assert not Enquiry.objects.exists()


@override_settings(ENQUIRY_MAX_ATTACHMENT_BYTES=1000)
def test_a_reply_with_a_file_over_the_limit_keeps_the_thread_as_it_was() -> None:
    enquiry = enquiry_make()
    token = enquiry_tracking_token_renew(enquiry=enquiry)
    before = Message.objects.count()
    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * 2000, "application/pdf")
    response = Client().post(
        _url("enquiries:track", "en", token=token), {"text": "More", "attachments": big}
    )
    assert response.status_code == 400
    assert Message.objects.count() == before
