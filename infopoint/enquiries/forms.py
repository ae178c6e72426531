"""Public forms of the desk: a new enquiry and a reply through the private link."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from infopoint.topics.selectors import topic_list

from . import conf
from .attachments import ACCEPTED_TYPES_TEXT, check_attachments
from .consent import CONSENT_TEXT
from .deflection import visit_parse
from .models import SafeContact

logger = logging.getLogger(__name__)

PHONE = re.compile(r"^\+?[\d\s().\-/]{6,30}$")

# Rate-limit scopes of intake (infopoint.core.ratelimit); the API counts e-mail addresses in
# the same scope as the web form, so one person's enquiries are counted once.
RATE_SCOPE_ADDRESS = "enquiries:address"
RATE_SCOPE_EMAIL = "enquiries:email"


def phone_number_clean(value: str) -> str:
    """A phone number as typed, if it looks like one; the same rule for every form."""
    phone = value.strip()
    if phone and not PHONE.match(phone):
        raise ValidationError(
            gettext("Enter a phone number with digits only, like +48 12 345 67 89."),
            code="invalid",
        )
    return phone


NO_TOPIC = ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; checked by content and number."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(file, initial) for file in data if file]
        else:
            files = [single(data, initial)] if data else []
        check_attachments(files)
        return files


def _text_max_length_message(limit: int) -> str:
    return ngettext(
        "Your text must be %(limit)s character or fewer.",
        "Your text must be %(limit)s characters or fewer.",
        limit,
    ) % {"limit": limit}


class EnquiryForm(forms.Form):
    """A new enquiry on the site. Field order is the order of the page."""

    topic = forms.ChoiceField(
        label=_("What is your question about?"),
        help_text=_("Choose “I don’t know” if you are not sure."),
        required=False,
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    question = forms.CharField(
        label=_("Your question"),
        help_text=_("Write in any language. Do not write passwords or card numbers."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter your question.")},
    )
    name = forms.CharField(
        label=_("Your name or nickname"),
        max_length=200,
        error_messages={"required": _("Enter your name or a nickname.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Enter an e-mail address in the right format, like name@example.com.")
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("With the country code if it is not a Polish number, like +380 44 123 4567."),
        required=False,
        max_length=30,
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of the answer"),
        error_messages={
            "required": _("Choose the language of the answer."),
            "invalid_choice": _("Choose the language of the answer."),
        },
    )
    safe_contact = forms.ChoiceField(
        label=_("How may we contact you?"),
        help_text=_("We will keep to this. Tell us if a call or an e-mail could put you at risk."),
        choices=SafeContact.choices,
        initial=SafeContact.ANY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how we may contact you."),
            "invalid_choice": _("Choose how we may contact you."),
        },
    )
    attachments = MultipleFileField(label=_("Files (optional)"))
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("To send your question, agree to the processing of your data.")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = conf.max_text_length()
        question = self.fields["question"]
        question.validators.append(_MaxLength(limit))
        question.widget.attrs["maxlength"] = str(limit)
        topic_field = cast(forms.ChoiceField, self.fields["topic"])
        topic_field.choices = [
            (NO_TOPIC, gettext("I don’t know")),
            *((topic.slug, str(topic)) for topic in topic_list()),
        ]
        language_field = cast(forms.ChoiceField, self.fields["preferred_language"])
        language_field.choices = list(settings.LANGUAGES)
        self.fields["preferred_language"].initial = (get_language() or "").split("-")[0]
        self.fields["attachments"].help_text = ngettext(
            "Up to %(count)s file of up to %(size)s: %(types)s.",
            "Up to %(count)s files, each up to %(size)s: %(types)s.",
            conf.max_attachments(),
        ) % {
            "count": conf.max_attachments(),
            "size": filesizeformat(conf.max_attachment_bytes()),
            "types": ACCEPTED_TYPES_TEXT,
        }

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        if not question:
            raise ValidationError(gettext("Enter your question."), code="required")
        return question

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(gettext("Enter your name or a nickname."), code="required")
        return name

    def clean_phone(self) -> str:
        return phone_number_clean(self.cleaned_data["phone"])

    def clean_topic(self) -> Any:
        slug = self.cleaned_data["topic"]
        if not slug:
            return None
        return next((topic for topic in topic_list() if topic.slug == slug), None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, phone = data.get("email"), data.get("phone")
        safe = data.get("safe_contact")
        if "email" in data and "phone" in data:
            if not email and not phone:
                self.add_error(
                    "email", gettext("Give an e-mail address or a phone number, so we can answer.")
                )
            elif safe == SafeContact.EMAIL_ONLY and not email:
                self.add_error("email", gettext("You chose e-mail only: give an e-mail address."))
            elif safe == SafeContact.PHONE_ONLY and not phone:
                self.add_error("phone", gettext("You chose phone only: give a phone number."))
        return data


class _MaxLength:
    """A max-length check with a translated message that names the limit (and no counts)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, value: str) -> None:
        if len(value) > self.limit:
            raise ValidationError(_text_max_length_message(self.limit), code="max_length")


_STARTED_SALT = "infopoint.enquiries.forms.started"


def form_started_token(*, at: float | None = None) -> str:
    """A signed note of when a form was shown (now, or ``at``), for BotChecksForm."""
    milliseconds = int((time.time() if at is None else at) * 1000)
    return signing.dumps(milliseconds, salt=_STARTED_SALT)


class _AlwaysEmptyInput(forms.TextInput):
    """Never shows a value back, so text a bot put in the honeypot is not sent again."""

    def format_value(self, value: Any) -> None:
        return None


class _StartedInput(forms.HiddenInput):
    """Carries a new timestamp each time it is shown, so a refused form can be sent again."""

    def format_value(self, value: Any) -> str:
        return form_started_token()


class BotChecksForm(forms.Form):
    """A honeypot field and a time check for public forms (no third-party CAPTCHA).

    A person never fills the honeypot (hidden from sight, from screen readers and from the tab
    order) and takes longer than settings.ENQUIRY_FORM_MIN_SECONDS to fill a form in; a form
    shown longer ago than settings.ENQUIRY_FORM_MAX_AGE_SECONDS, or with no valid signed
    timestamp, is refused too. A refusal is logged and explained on the page, and everything
    typed is kept, so a person can simply send the form again.
    """

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=_AlwaysEmptyInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=_StartedInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        problem = self._bot_check(data)
        if problem is not None:
            reason, message = problem
            logger.warning("Public form refused by the bot checks: %s.", reason)
            self.add_error(None, ValidationError(message, code="bot_check"))
        return data

    def _bot_check(self, data: dict[str, Any]) -> tuple[str, str] | None:
        if data.get("website"):
            return "honeypot filled in", gettext(
                "We could not send the form. Check your answers and send it again."
            )
        try:
            shown_at = int(signing.loads(data.get("started") or "", salt=_STARTED_SALT)) / 1000
        except (signing.BadSignature, TypeError, ValueError):
            shown_at = None
        age = time.time() - shown_at if shown_at is not None else None
        if age is None or age > settings.ENQUIRY_FORM_MAX_AGE_SECONDS:
            return "timestamp missing, forged or expired", gettext(
                "This form was open for too long. Check your answers and send it again."
            )
        if age < settings.ENQUIRY_FORM_MIN_SECONDS:
            return "sent too quickly", gettext(
                "The form was sent too quickly for us to be sure that a person sent it. "
                "Check your answers and send it again."
            )
        return None


class WebEnquiryForm(BotChecksForm, EnquiryForm):
    """The enquiry form of the site: EnquiryForm's rules plus the bot checks.

    ``visit`` is a random id the form carries while it is filled in, so that suggestions
    opened from it can be told apart from those followed by an enquiry (deflection.py).
    """

    visit = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("visit"):
            self.initial["visit"] = str(uuid.uuid4())

    def clean_visit(self) -> uuid.UUID | None:
        # Not something the person typed: a missing or mangled id only goes uncounted.
        return visit_parse(self.cleaned_data.get("visit"))

    def typed(self) -> dict[str, Any]:
        """What was typed into the bound form, to show it again in a fresh form (no errors)."""
        kept = ("topic", "question", "name", "email", "phone", "preferred_language")
        typed: dict[str, Any] = {name: self.data.get(name, "") for name in kept}
        typed["safe_contact"] = self.data.get("safe_contact") or SafeContact.ANY
        typed["consent"] = bool(self.data.get("consent"))
        typed["visit"] = str(visit_parse(self.data.get("visit")) or uuid.uuid4())
        return typed


class ReplyForm(forms.Form):
    """What the enquirer writes back through the private link."""

    text = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter your message.")},
    )
    attachments = MultipleFileField(label=_("Files (optional)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = conf.max_text_length()
        self.fields["text"].validators.append(_MaxLength(limit))
        self.fields["text"].widget.attrs["maxlength"] = str(limit)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(gettext("Enter your message."), code="required")
        return text
