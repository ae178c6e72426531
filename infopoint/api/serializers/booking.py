"""Bodies of the legal-advice appointments: GET /slots and POST /bookings.

The rules live in the appointments app: SlotFilterForm judges the language and the topic,
BookingForm the person's details, slot_from_key and appointment_book the time. The
serializers check only the JSON types and say what the schema promises.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from infopoint.appointments import conf as appointments_conf
from infopoint.appointments import consent as booking_consent
from infopoint.appointments.forms import BookingForm, SlotFilterForm
from infopoint.hours.calendar import office_zone

from ..query import Query
from .common import ErrorSerializer, form_errors, language_choices, type_problem


class SlotQuerySerializer(Query):
    """The query of GET /slots: a range of office dates, a language and a topic."""

    language = serializers.ChoiceField(
        choices=[], help_text=_("Language code: only advisers who speak it are offered.")
    )
    topic = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Slug of the topic; left out: any topic."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so the two dates are added here.
        fields = super().get_fields()
        return {
            "from": serializers.DateField(
                required=False,
                help_text=_("First office date (YYYY-MM-DD, Europe/Warsaw); left out: today."),
            ),
            "to": serializers.DateField(
                required=False,
                help_text=_(
                    "Last office date, included (YYYY-MM-DD); left out: the end of the booking "
                    "horizon. At most the horizon's number of days after from."
                ),
            ),
            **fields,
        }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        dates: dict[str, date | None] = {"from": None, "to": None}
        for name in dates:
            value = data.get(name)
            if value not in (None, ""):
                try:
                    dates[name] = self.fields[name].run_validation(value)
                except serializers.ValidationError as error:
                    errors[name] = [str(message) for message in error.detail]  # type: ignore[union-attr]
        form = SlotFilterForm(
            data={"language": data.get("language", ""), "topic": data.get("topic", "")}
        )
        form.is_valid()
        form_errors(form, ("language", "topic"), errors)
        days = appointments_conf.horizon().days
        start = dates["from"] or timezone.localdate(timezone=office_zone())
        end = dates["to"]
        if end is None and "to" not in errors:
            try:
                end = start + timedelta(days=days)
            except OverflowError:
                end = date.max
        if end is not None and not errors.keys() & {"from", "to"}:
            if end < start:
                errors["to"] = [gettext("The last date must not be before the first date.")]
            elif (end - start).days > days:
                errors["to"] = [
                    ngettext(
                        "Ask for at most %(days)s day after the first date.",
                        "Ask for at most %(days)s days after the first date.",
                        days,
                    )
                    % {"days": days}
                ]
        if errors:
            raise serializers.ValidationError(errors)
        return {
            "start": start,
            "end": end,
            "language": form.cleaned_data["language"],
            "topic": form.cleaned_data.get("topic") or "",
        }


class SlotSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Names the slot in POST /bookings."))
    starts_at = serializers.DateTimeField(
        help_text=_("Start (ISO 8601, with the offset of Europe/Warsaw).")
    )
    ends_at = serializers.DateTimeField(help_text=_("End (ISO 8601, with the offset)."))
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=_("Languages the adviser speaks.")
    )


class SlotListSerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("First office date looked at."))
    end = serializers.DateField(help_text=_("Last office date looked at."))
    count = serializers.IntegerField(help_text=_("Number of slots."))
    slots = SlotSerializer(many=True, help_text=_("Free slots, earliest first."))


class BookingCreateSerializer(serializers.Serializer):
    """A booking of a free slot, on behalf of the person who will come."""

    slot = serializers.CharField(help_text=_("Key of a free slot from GET /slots."))
    name = serializers.CharField(max_length=200, help_text=_("Name of the person."))
    email = serializers.EmailField(
        required=False,
        allow_blank=True,
        max_length=254,
        help_text=_(
            "E-mail address for the confirmation, with the calendar invitation, and a "
            "reminder. Give an e-mail address, a phone or both."
        ),
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("Phone number, with the country code if not Polish."),
    )
    language = serializers.ChoiceField(
        choices=[], help_text=_("Language of the appointment and of the e-mails.")
    )
    topic = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text=_("Slug of the topic; null if the person is not sure."),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("A few words about the matter, for the adviser."),
    )
    consent = serializers.BooleanField()  # help texts: see __init__
    consent_version = serializers.CharField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]
        self.fields["consent"].help_text = gettext(
            "True: the person agreed to this text, shown to them in their language: “%(text)s”"
        ) % {"text": booking_consent.CONSENT_TEXT}
        self.fields["consent_version"].help_text = gettext(
            "Version of the consent text the person agreed to; it must be the current one, "
            "%(version)s."
        ) % {"version": booking_consent.CONSENT_VERSION}

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            message = self.error_messages["invalid"].format(datatype=type(data).__name__)
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {}
        for name, field in self.fields.items():
            if name in data:
                problem = type_problem(field, data[name])
                if problem:
                    errors[name] = [str(problem)]
                else:
                    values[name] = data[name]
        if "consent_version" not in errors and data.get("consent_version") != (
            booking_consent.CONSENT_VERSION
        ):
            errors["consent_version"] = [
                gettext(
                    "Show the person the current consent text and send its version, %(version)s."
                )
                % {"version": booking_consent.CONSENT_VERSION}
            ]
        topic = values.get("topic") or ""
        choice = SlotFilterForm(data={"language": values.get("language", ""), "topic": topic})
        choice.is_valid()
        form_errors(choice, ("language", "topic"), errors)
        # The key of the form is the API's Idempotency-Key (the view's business), not a field.
        form = BookingForm(data={**values, "topic": topic, "form_token": "api"})  # nosec B105  # not a secret
        form.is_valid()
        form_errors(form, ("slot", "name", "email", "phone", "description", "consent"), errors)
        if errors:
            raise serializers.ValidationError(errors)
        cleaned = form.cleaned_data
        return {
            "slot": cleaned["slot"],
            "name": cleaned["name"],
            "email": cleaned["email"],
            "phone": cleaned["phone"],
            "description": cleaned["description"],
            "language": choice.cleaned_data["language"],
            "topic": choice.cleaned_data.get("topic") or "",
        }


class BookingCreatedSerializer(serializers.Serializer):
    uid = serializers.CharField(
        help_text=_("Identifier of the appointment; also the UID of its calendar event.")
    )
    starts_at = serializers.DateTimeField(
        help_text=_("Start (ISO 8601, with the offset of Europe/Warsaw).")
    )
    ends_at = serializers.DateTimeField(help_text=_("End (ISO 8601, with the offset)."))
    url = serializers.URLField(
        help_text=_("Private page of the appointment; give it only to the person.")
    )
    cancel_url = serializers.URLField(
        help_text=_("Private page where the person cancels, until the cut-off before it.")
    )
    move_url = serializers.URLField(
        help_text=_("Private page where the person moves it to another time, until the cut-off.")
    )


class BookingTakenSerializer(ErrorSerializer):
    next_slots = SlotSerializer(many=True, help_text=_("The next free slots to offer instead."))
