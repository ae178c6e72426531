"""The consent the person gives when booking; a change of meaning needs a new version."""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-11-24"

CONSENT_TEXT = _(
    "I agree that the Information Point for Foreigners may process the personal data I give "
    "here (my name, contact details and what I want advice about) to arrange and hold my "
    "appointment with a legal adviser. I can withdraw my consent at any time by writing to "
    "the point."
)

# Noted by staff for a call, a letter or a visit: the person agreed when asked.
CONSENT_VERSION_ORAL = f"{CONSENT_VERSION}/oral"
