"""The consent to processing of personal data that the public gives at intake.

The text is translated through the .po files, so it exists in every language of the site. Any
change of its meaning must come with a new CONSENT_VERSION: each enquiry records the version
the enquirer agreed to and when.
"""

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-11-24"

CONSENT_TEXT = _(
    "I agree that the Information Point for Foreigners may process the personal data I give "
    "here (my name, contact details, my question and any files) to answer my enquiry. "
    "I can withdraw my consent at any time by writing to the point."
)

# Noted by staff for a call, a letter or a visit: the person agreed when asked.
CONSENT_VERSION_ORAL = f"{CONSENT_VERSION}/oral"
