"""Bodies of POST /enquiries. Intake rules live in one place, the site's EnquiryForm: the
serializer checks only that each value has the JSON type the schema promises, then lets the
form judge the values, so the API and the web form accept and refuse exactly the same
enquiries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from infopoint.enquiries.consent import CONSENT_TEXT, CONSENT_VERSION
from infopoint.enquiries.forms import EnquiryForm
from infopoint.enquiries.models import SafeContact

from .common import language_choices, type_problem


class EnquiryCreateSerializer(serializers.Serializer):
    """A new enquiry from a partner site or app, on behalf of the person asking."""

    topic = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_("Slug of the topic of the question; null if the person is not sure."),
    )
    question = serializers.CharField(help_text=_("The question, in any language."))
    name = serializers.CharField(max_length=200, help_text=_("Name or nickname of the person."))
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text=_("E-mail address for the answer. Give an e-mail address, a phone or both."),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("Phone number for the answer, with the country code if not Polish."),
    )
    preferred_language = serializers.ChoiceField(
        choices=[], help_text=_("Language code of the answer.")
    )
    safe_contact = serializers.ChoiceField(
        choices=SafeContact.choices,
        required=False,
        default=SafeContact.ANY,
        help_text=_(
            "How the point may contact the person, if a call or an e-mail puts them at risk."
        ),
    )
    consent = serializers.BooleanField()  # help texts: see __init__
    consent_version = serializers.CharField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["preferred_language"]
        language.choices = language_choices()  # type: ignore[attr-defined]
        self.fields["consent"].help_text = gettext(
            "True: the person agreed to this text, shown to them in their language: “%(text)s”"
        ) % {"text": CONSENT_TEXT}
        self.fields["consent_version"].help_text = gettext(
            "Version of the consent text the person agreed to; it must be the current one, "
            "%(version)s."
        ) % {"version": CONSENT_VERSION}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        errors: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            if name in data:
                problem = type_problem(field, data[name])
                if problem:
                    errors[name] = [str(problem)]
        if "consent_version" not in errors and data.get("consent_version") != CONSENT_VERSION:
            errors["consent_version"] = [
                gettext(
                    "Show the person the current consent text and send its version, %(version)s."
                )
                % {"version": CONSENT_VERSION}
            ]
        form = EnquiryForm(data=self._form_data(data, skip=errors))
        form.is_valid()
        for name, messages in form.errors.items():
            if name == "__all__":
                name = api_settings.NON_FIELD_ERRORS_KEY
            elif name not in self.fields:
                continue
            errors.setdefault(name, [str(message) for message in messages])
        if errors:
            raise serializers.ValidationError(errors)
        cleaned = form.cleaned_data
        return {name: cleaned[name] for name in self.fields if name in cleaned}

    def _form_data(self, data: Mapping[str, Any], *, skip: Mapping[str, Any]) -> dict[str, Any]:
        """The JSON values the form should judge, as the form reads them; values of the wrong
        type are left out (their error is already known)."""
        values: dict[str, Any] = {"safe_contact": SafeContact.ANY}
        for name in self.fields:
            if name in data and name not in skip:
                values[name] = data[name]
        if values.get("topic") is None:
            values["topic"] = ""
        return values


class EnquiryCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text=_("Reference number of the enquiry."))
    tracking_url = serializers.URLField(
        help_text=_(
            "Private page where the person follows the enquiry and writes back; give it only "
            "to them."
        )
    )
    due_at = serializers.DateTimeField(
        help_text=_("When the answer is due (ISO 8601, with the offset of the office's zone).")
    )
