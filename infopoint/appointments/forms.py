"""Forms of the appointments: the slot filter, the person's details, staff booking, outcome."""

from __future__ import annotations

import secrets
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from infopoint.enquiries.forms import phone_number_clean
from infopoint.topics.selectors import topic_list

from .consent import CONSENT_TEXT
from .models import OUTCOMES, BookingStatus

ANY = ""


def new_form_token() -> str:
    """A fresh random key for one booking form: the same form sent twice books once."""
    return secrets.token_urlsafe(24)


def _language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def _topic_choices(empty_label: str) -> list[tuple[str, str]]:
    return [(ANY, empty_label), *((topic.slug, str(topic)) for topic in topic_list())]


class SlotFilterForm(forms.Form):
    """Which free times to show: language of the appointment, topic, week (GET)."""

    language = forms.ChoiceField(
        label=_("Language of the appointment"),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    topic = forms.ChoiceField(
        label=_("Topic (optional)"),
        required=False,
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    week = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = _language_choices()
        cast(forms.ChoiceField, self.fields["topic"]).choices = _topic_choices(gettext("Any topic"))


class ContactFieldsMixin(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation and a reminder here."),
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
    description = forms.CharField(
        label=_("What would you like advice about? (optional)"),
        help_text=_(
            "A few words help the adviser prepare. Do not write passwords or card numbers."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_phone(self) -> str:
        return phone_number_clean(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error(
                "email", ValidationError(gettext("Give an e-mail address, a phone number or both."))
            )
        return data


class BookingForm(ContactFieldsMixin):
    """The person's details for the chosen slot (POST)."""

    field_order = ["name", "email", "phone", "description", "consent"]

    slot = forms.CharField(widget=forms.HiddenInput)
    language = forms.CharField(widget=forms.HiddenInput)
    topic = forms.CharField(widget=forms.HiddenInput, required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("To book, agree to the processing of your data.")},
    )


class WaitingListForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=200, error_messages={"required": _("Enter your name.")}
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address in the right format, like name@example.com."),
        },
    )
    language = forms.CharField(widget=forms.HiddenInput)
    week = forms.DateField(widget=forms.HiddenInput)


class StaffBookingForm(ContactFieldsMixin):
    """A booking made by staff for someone who phoned, wrote or came in."""

    field_order = [
        "slot",
        "name",
        "email",
        "phone",
        "language",
        "topic",
        "description",
        "enquiry_reference",
        "consent",
    ]

    slot = forms.ChoiceField(
        label=_("Time"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a time."),
            "invalid_choice": _("Choose a time from the list."),
        },
    )
    language = forms.ChoiceField(label=_("Language of the appointment and e-mails"))
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    enquiry_reference = forms.CharField(
        label=_("Enquiry reference number (optional)"),
        help_text=_("Links the appointment to the person's enquiry, e.g. IP-2026-000123."),
        required=False,
        max_length=32,
    )
    consent = forms.BooleanField(
        label=_("The person agreed to the processing of their data for this appointment."),
        error_messages={"required": _("Ask the person for their consent first.")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, slot_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["slot"]).choices = slot_choices
        cast(forms.ChoiceField, self.fields["language"]).choices = _language_choices()
        cast(forms.ChoiceField, self.fields["topic"]).choices = _topic_choices(gettext("No topic"))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened"),
        widget=forms.RadioSelect,
        choices=[(status.value, status.label) for status in OUTCOMES],
        error_messages={"required": _("Choose what happened.")},
    )
    note = forms.CharField(
        label=_("Private note (optional)"),
        help_text=_("Seen only by advisers and coordinators."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].initial = BookingStatus.HELD
