"""Consent texts kept as versions, so the point can show exactly what a person agreed to.

The forms of the desk and of the appointments record the version of their own consent text
(``CONSENT_VERSION`` in enquiries/consent.py and appointments/consent.py, translated through
the .po files). ``consent_texts_record`` stores each version's text in every language the first
time it is seen; a stored version is never rewritten, so a change of meaning needs a new
version in the code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from infopoint.appointments import consent as booking_consent
from infopoint.enquiries import consent as enquiry_consent

from .models import ConsentPurpose, ConsentText, ConsentTextTranslation

# What each purpose's form records now, and the text it shows.
CURRENT = {
    ConsentPurpose.ENQUIRY: enquiry_consent,
    ConsentPurpose.BOOKING: booking_consent,
}
ORAL_SUFFIX = "/oral"


@transaction.atomic
def consent_texts_record() -> int:
    """Stores the current version of each consent text, in every site language, if new.

    Returns the number of versions added (0 when all were stored already).
    """
    added = 0
    for purpose, module in CURRENT.items():
        consent, created = ConsentText.objects.get_or_create(
            purpose=purpose, version=module.CONSENT_VERSION
        )
        present = set(consent.translations.values_list("language", flat=True))
        for code, _name in settings.LANGUAGES:
            if code in present:
                continue
            with translation.override(code):
                text = str(module.CONSENT_TEXT)
            ConsentTextTranslation.objects.create(consent=consent, language=code, text=text)
        added += int(created)
    return added


def consent_text_for(*, purpose: str, version: str) -> ConsentText | None:
    """The stored text a person agreed to; an oral consent is to the same text, read out."""
    if not version:
        return None
    base = version.removesuffix(ORAL_SUFFIX)
    return (
        ConsentText.objects.filter(purpose=purpose, version=base)
        .prefetch_related("translations")
        .first()
    )
