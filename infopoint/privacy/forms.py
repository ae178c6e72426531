"""Forms of the privacy pages. They only check input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditAction, RefusalReason, RequestKind
from .selectors import AuditFilters

DATE_ERRORS = {"invalid": _("Enter a date like 2026-11-24.")}


class AuditFilterForm(forms.Form):
    """The audit log's filters, read from the query string; a wrong value gets a message."""

    actor = forms.CharField(
        label=_("Staff user name"),
        required=False,
        max_length=150,
        error_messages={"max_length": _("A user name has at most 150 characters.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        error_messages={"invalid_choice": _("Choose an action from the list.")},
    )
    target_type = forms.ChoiceField(
        label=_("Kind of record"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of record from the list.")},
    )
    target_id = forms.CharField(
        label=_("Record number"),
        required=False,
        max_length=64,
        error_messages={"max_length": _("A record number has at most 64 characters.")},
    )
    since = forms.DateField(
        label=_("From (date)"),
        required=False,
        help_text=_("For example 2026-11-01."),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("To (date)"),
        required=False,
        help_text=_("Included."),
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, target_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [("", gettext("Any action")), *AuditAction.choices]
        target_type = cast(forms.ChoiceField, self.fields["target_type"])
        target_type.choices = [
            ("", gettext("Any kind")),
            *((label, label) for label in target_types),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", gettext("The end date must be on or after the start date."))
        return data

    def filters(self) -> AuditFilters:
        """The valid filters; a field with an error filters nothing."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            target_type=data.get("target_type") or "",
            target_id=data.get("target_id") or "",
            since=data.get("since"),
            until=data.get("until") if "until" not in self.errors else None,
        )


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What does the person ask for?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the person asks for."),
            "invalid_choice": _("Choose what the person asks for."),
        },
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        help_text=_("Records are found by this address in any case of letters."),
        error_messages={"max_length": _("An e-mail address has at most 254 characters.")},
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("Records are found by the last 9 digits, with or without the country code."),
        error_messages={"max_length": _("A phone number has at most 40 characters.")},
    )
    identity_checked = forms.BooleanField(
        label=_("I have checked that the person is who the records are about"),
        required=False,
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this erases the records listed above and cannot be undone"),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class IdentityForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("The person has shown that they are who the records are about"),
        error_messages={"required": _("Tick the box to confirm the person's identity.")},
    )


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the request refused?"),
        choices=RefusalReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why the request is refused."),
            "invalid_choice": _("Choose why the request is refused."),
        },
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("json", "JSON"), ("html", "HTML")],
        error_messages={
            "required": _("Choose JSON or HTML."),
            "invalid_choice": _("Choose JSON or HTML."),
        },
    )
    # The readable copy is written for the person: in their language unless one is chosen.
    language = forms.ChoiceField(
        label=_("Language of the readable copy"),
        required=False,
        choices=lambda: [("", _("The person's own language")), *settings.LANGUAGES],
        error_messages={"invalid_choice": _("Choose one of the site's languages.")},
    )
