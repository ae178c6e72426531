"""Consent texts are kept per version, in every language, as the forms showed them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from infopoint.appointments import consent as booking_consent
from infopoint.enquiries import consent as enquiry_consent
from infopoint.privacy.consent import consent_text_for, consent_texts_record
from infopoint.privacy.models import ConsentPurpose, ConsentText

pytestmark = pytest.mark.django_db


def test_migrating_stores_the_current_versions() -> None:
    # post_migrate ran when the test database was made.
    assert set(ConsentText.objects.values_list("version", flat=True)) == {
        enquiry_consent.CONSENT_VERSION,
        booking_consent.CONSENT_VERSION,
    }


def test_the_current_versions_are_recorded_once_in_every_language() -> None:
    ConsentText.objects.all().delete()
    assert consent_texts_record() == 2
    assert consent_texts_record() == 0
    stored = consent_text_for(
        purpose=ConsentPurpose.ENQUIRY, version=enquiry_consent.CONSENT_VERSION
    )
    assert stored is not None
    assert sorted(stored.available_languages()) == sorted(code for code, _ in settings.LANGUAGES)
    for code in stored.available_languages():
        with translation.override(code):
            assert stored.translation(code).text == str(enquiry_consent.CONSENT_TEXT)


def test_an_oral_consent_is_to_the_same_text() -> None:
    consent_texts_record()
    oral = consent_text_for(
        purpose=ConsentPurpose.BOOKING, version=booking_consent.CONSENT_VERSION_ORAL
    )
    assert oral is not None and oral.version == booking_consent.CONSENT_VERSION


def test_an_unknown_or_missing_version_has_no_text() -> None:
    consent_texts_record()
    assert consent_text_for(purpose=ConsentPurpose.ENQUIRY, version="1999-01-01") is None
    assert consent_text_for(purpose=ConsentPurpose.ENQUIRY, version="") is None


def test_a_stored_version_is_never_rewritten(settings: object) -> None:
    consent_texts_record()
    stored = ConsentText.objects.get(purpose=ConsentPurpose.ENQUIRY)
    row = stored.translations.get(language="en")
    row.text = "What people saw back then."
    row.save()
    consent_texts_record()
    assert stored.translations.get(language="en").text == "What people saw back then."
