"""Bodies and queries of the staff endpoints (token): the enquiry inbox and the agenda.

The rules live where the web UI keeps them: the inbox's filters in InboxFilterForm, an
answer in ReplyForm, an assignee in AssignForm, an outcome in OutcomeForm, every change in
the services. These serializers check the JSON types, hand the values to the same forms,
and say what the schema promises.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from infopoint.accounts.selectors import desk_staff
from infopoint.appointments.forms import OutcomeForm
from infopoint.appointments.models import OUTCOMES, BookingStatus
from infopoint.enquiries.inbox import DUE_ALL, DUE_OVERDUE, DUE_TODAY
from infopoint.enquiries.models import Channel, Direction, SafeContact, Status
from infopoint.enquiries.staff.forms import AssignForm, InboxFilterForm, ReplyForm
from infopoint.hours.calendar import office_zone
from infopoint.topics.selectors import topic_list

from ..query import PageQuery
from .common import form_errors, json_values, language_choices, named_choice_field

# The longest agenda one request may ask for.
AGENDA_MAX_DAYS = 366


def _form_problems(form: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    form_errors(form, set(form.fields), errors)
    return errors


# --- the enquiry inbox -----------------------------------------------------------------------


class EnquiryQuery(PageQuery):
    """The inbox's filters; the same values and messages as the inbox page."""

    status = named_choice_field("EnquiryStatus", Status.choices, required=False)
    topic = serializers.SlugField(required=False, help_text=_("Slug of a topic."))
    language = serializers.ChoiceField(
        choices=[], required=False, help_text=_("Language the enquiry is written in.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    assignee = serializers.CharField(
        required=False,
        help_text=_("“me”, “unassigned”, or the id of a member of staff."),
    )
    due = serializers.ChoiceField(
        choices=[DUE_ALL, DUE_OVERDUE, DUE_TODAY],
        required=False,
        help_text=_(
            "overdue: an answer is owed and late; today: owed by the end of today, overdue "
            "included."
        ),
    )
    q = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Part of the reference, name, e-mail, phone, subject or any message."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = language_choices()  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        names = ("status", "topic", "language", "channel", "assignee", "due", "q")
        form = InboxFilterForm(
            {name: attrs[name] for name in names if name in attrs},
            topics=list(topic_list()),
            staff=list(desk_staff()),
        )
        if not form.is_valid():
            raise serializers.ValidationError(_form_problems(form))
        return {"page": attrs["page"], "page_size": attrs["page_size"], "filters": form.filters()}


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EnquirySerializer(serializers.Serializer):
    reference = serializers.CharField(help_text=_("Reference number; names it in the paths."))
    status = named_choice_field("EnquiryStatus", Status.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    topic = serializers.SlugField(allow_null=True)
    subject = serializers.CharField(allow_blank=True)
    language = serializers.CharField(help_text=_("Language it is written in."))
    preferred_language = serializers.CharField(help_text=_("Language of the answer."))
    name = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    safe_contact = serializers.ChoiceField(
        choices=SafeContact.choices, help_text=_("How the person may be contacted.")
    )
    assignee = PersonSerializer(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    first_response_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    merged_into = serializers.CharField(
        allow_null=True, help_text=_("Reference of the enquiry it was merged into.")
    )
    url = serializers.URLField(help_text=_("This enquiry in the API."))


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("Size in bytes."))


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    direction = serializers.ChoiceField(
        choices=Direction.choices, help_text=_("in: from the enquirer; out: from the point.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    author = PersonSerializer(allow_null=True, help_text=_("Staff who wrote it; null: the person."))
    text = serializers.CharField(allow_blank=True)
    automatic = serializers.BooleanField(
        help_text=_("An acknowledgement, auto-reply or bounce rather than a person's words.")
    )
    created_at = serializers.DateTimeField()
    attachments = AttachmentSerializer(many=True)


class NoteSerializer(serializers.Serializer):
    author = PersonSerializer(allow_null=True)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class EnquiryDetailSerializer(EnquirySerializer):
    messages = MessageSerializer(many=True, help_text=_("The thread, oldest first."))
    notes = NoteSerializer(many=True, help_text=_("Internal notes; never shown to the person."))


class ReplySerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000, help_text=_("The answer."))
    status = named_choice_field(
        "AnswerStatus",
        [(Status.ANSWERED, Status.ANSWERED.label), (Status.WAITING, Status.WAITING.label)],
        required=False,
        default=Status.ANSWERED,
        help_text=_("The status after the answer; waiting stops the due clock."),
    )
    send_email = serializers.BooleanField(
        required=False,
        default=True,
        help_text=_(
            "Send it by e-mail too, where the person's safe-contact choice allows; they can "
            "always read it through their private link."
        ),
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values, errors = json_values(self, data)
        form = ReplyForm(
            {
                "text": values.get("text", ""),
                "status": values.get("status", Status.ANSWERED),
                "send_email": values.get("send_email", True),
            },
            enquiry=self.context["enquiry"],
        )
        form.is_valid()
        form_errors(form, set(self.fields), errors)
        if errors:
            raise serializers.ValidationError(errors)
        return {
            "text": form.cleaned_data["text"],
            "status": form.cleaned_data["status"],
            "send_email": bool(form.cleaned_data.get("send_email")),
        }


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        allow_null=True, help_text=_("Id of a member of desk staff; null: nobody.")
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values, errors = json_values(self, data)
        if "assignee" not in data:
            errors.setdefault("assignee", [str(self.fields["assignee"].error_messages["required"])])
        if errors:
            raise serializers.ValidationError(errors)
        value = values["assignee"]
        form = AssignForm({"assignee": "" if value is None else value})
        if not form.is_valid():
            raise serializers.ValidationError(_form_problems(form))
        return {"assignee": form.cleaned_data["assignee"]}


class StatusChangeSerializer(serializers.Serializer):
    status = named_choice_field(
        "EnquiryStatus",
        Status.choices,
        help_text=_("The new status; only some moves are allowed from each status."),
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values, errors = json_values(self, data)
        if errors:
            raise serializers.ValidationError(errors)
        return dict(super().to_internal_value(values))


# --- the agenda ------------------------------------------------------------------------------


class AppointmentQuery(PageQuery):
    """An agenda: office dates from and to (both included), an adviser, a status."""

    adviser = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("Id of an adviser whose agenda you see; left out: all of them."),
    )
    status = named_choice_field(
        "AgendaStatus",
        [(value, label) for value, label in BookingStatus.choices if value != "cancelled"],
        required=False,
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so the two dates are added here.
        return {
            "from": serializers.DateField(
                required=False,
                help_text=_("First office date (YYYY-MM-DD, Europe/Warsaw); left out: today."),
            ),
            "to": serializers.DateField(
                required=False,
                help_text=_(
                    "Last office date, included; left out: six days after from. At most a "
                    "year after from."
                ),
            ),
            **super().get_fields(),
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.pop("from", None) or timezone.localdate(timezone=office_zone())
        end = attrs.pop("to", None) or start + timedelta(days=6)
        if end < start:
            raise serializers.ValidationError(
                {"to": [gettext("The last date must not be before the first date.")]}
            )
        if (end - start).days > AGENDA_MAX_DAYS:
            raise serializers.ValidationError(
                {
                    "to": [
                        ngettext(
                            "Ask for at most %(days)s day after the first date.",
                            "Ask for at most %(days)s days after the first date.",
                            AGENDA_MAX_DAYS,
                        )
                        % {"days": AGENDA_MAX_DAYS}
                    ]
                }
            )
        return {**attrs, "start": start, "end": end}


class AppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.CharField(help_text=_("UID of its calendar event."))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = named_choice_field("AppointmentStatus", BookingStatus.choices)
    adviser = PersonSerializer(help_text=_("The adviser; id as in the adviser filter."))
    name = serializers.CharField()
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    language = serializers.CharField()
    topic = serializers.SlugField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    enquiry = serializers.CharField(
        allow_null=True, help_text=_("Reference of the enquiry it was booked for.")
    )
    outcome_note = serializers.CharField(allow_blank=True)
    outcome_recorded_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    url = serializers.URLField(help_text=_("This appointment in the API."))


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(status.value, status.label) for status in OUTCOMES],
        help_text=_("What happened: held and no_show only once it has started."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Private note, seen only by advisers and coordinators."),
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values, errors = json_values(self, data)
        form = OutcomeForm({"outcome": values.get("outcome", ""), "note": values.get("note", "")})
        form.is_valid()
        form_errors(form, set(self.fields), errors)
        if errors:
            raise serializers.ValidationError(errors)
        return {"outcome": form.cleaned_data["outcome"], "note": form.cleaned_data["note"]}
