"""Forms of the staff screens. They only check input; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from infopoint.accounts.models import User
from infopoint.accounts.selectors import desk_staff
from infopoint.directory.models import Institution
from infopoint.topics.models import Topic

from ..forms import phone_number_clean
from ..inbox import (
    ASSIGNEE_ME,
    ASSIGNEE_NONE,
    DUE_ALL,
    DUE_OVERDUE,
    DUE_TODAY,
    InboxFilters,
)
from ..models import Channel, Enquiry, ReplyTemplate, SafeContact, Status
from ..services import TRANSITIONS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

LOGGED_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.VISIT)


def _staff_label(user: User) -> str:
    return str(user)


def _languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


def _filter_field(*, label: _StrOrPromise, invalid: _StrOrPromise) -> forms.ChoiceField:
    """An optional inbox filter; its choices are set per request, a value not among them gets
    ``invalid``."""
    return forms.ChoiceField(
        label=label, required=False, error_messages={"invalid_choice": invalid}
    )


class InboxFilterForm(forms.Form):
    """The inbox's filters, read from the query string; a wrong value gets a message."""

    q = forms.CharField(
        label=_("Search"),
        help_text=_("Reference number, name, e-mail, phone or words from the messages."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Search for at most 200 characters.")},
    )
    status = _filter_field(label=_("Status"), invalid=_("Choose a status from the list."))
    topic = _filter_field(label=_("Topic"), invalid=_("Choose a topic from the list."))
    language = _filter_field(label=_("Language"), invalid=_("Choose a language from the list."))
    channel = _filter_field(label=_("Channel"), invalid=_("Choose a channel from the list."))
    assignee = _filter_field(
        label=_("Assigned to"),
        invalid=_("Choose who the enquiry is assigned to from the list."),
    )
    due = _filter_field(label=_("Due"), invalid=_("Choose a due time from the list."))

    def __init__(self, *args: Any, topics: list[Topic], staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fields_choices(
            status=[("", gettext("Any status")), *Status.choices],
            topic=[("", gettext("Any topic")), *((topic.slug, str(topic)) for topic in topics)],
            language=[("", gettext("Any language")), *_languages()],
            channel=[("", gettext("Any channel")), *Channel.choices],
            assignee=[
                ("", gettext("Anyone or nobody")),
                (ASSIGNEE_ME, gettext("Me")),
                (ASSIGNEE_NONE, gettext("Nobody yet")),
                *((str(user.pk), _staff_label(user)) for user in staff),
            ],
            due=[
                (DUE_ALL, gettext("Any time")),
                (DUE_OVERDUE, gettext("Overdue")),
                (DUE_TODAY, gettext("By the end of today")),
            ],
        )
        self._topics = {topic.slug: topic for topic in topics}

    def _fields_choices(self, **choices: list[tuple[str, Any]]) -> None:
        for name, values in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = values

    def filters(self) -> InboxFilters:
        """The filters of the fields that are valid (a wrong one filters nothing)."""
        data = getattr(self, "cleaned_data", {})
        topic = self._topics.get(data.get("topic") or "")
        return InboxFilters(
            status=data.get("status") or "",
            topic_id=topic.pk if topic else None,
            language=data.get("language") or "",
            channel=data.get("channel") or "",
            assignee=data.get("assignee") or "",
            due=data.get("due") or DUE_ALL,
            q=data.get("q") or "",
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        error_messages={
            "required": _("Choose a status."),
            "invalid_choice": _("This enquiry cannot move to that status now."),
        },
    )

    def __init__(self, *args: Any, enquiry: Enquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(enquiry.status, set())
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody"),
        error_messages={"invalid_choice": _("Choose a member of staff from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = desk_staff()


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        help_text=_("Only staff see notes. The enquirer never does."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10000,
        error_messages={"required": _("Enter the note.")},
    )


def _answer_statuses() -> list[tuple[str, Any]]:
    return [
        (Status.ANSWERED, _("Answered")),
        (Status.WAITING, _("Waiting for the enquirer (the due clock stops)")),
    ]


class TemplatePickForm(forms.Form):
    """Picked with GET, so that it works without JavaScript: the reply text is prefilled."""

    template = forms.ModelChoiceField(
        label=_("Start from a template"),
        queryset=ReplyTemplate.objects.none(),
        required=False,
        empty_label=_("No template"),
        error_messages={"invalid_choice": _("Choose a template from the list.")},
    )

    def __init__(self, *args: Any, templates: list[ReplyTemplate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["template"])
        field.queryset = ReplyTemplate.objects.filter(pk__in=[t.pk for t in templates])
        field.choices = [
            ("", gettext("No template")),
            *((t.pk, f"{t.title} ({t.get_language_display()})") for t in templates),
        ]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={"required": _("Enter the answer.")},
    )
    status = forms.ChoiceField(
        label=_("After sending, the enquiry is"),
        initial=Status.ANSWERED,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the status after the answer."),
            "invalid_choice": _("Choose the status after the answer."),
        },
    )
    send_email = forms.BooleanField(
        label=_("Send it by e-mail too"),
        required=False,
        initial=True,
        help_text=_("The enquirer can always read the answer through their private link."),
    )

    def __init__(self, *args: Any, enquiry: Enquiry, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = _answer_statuses()
        if not enquiry.allows_email:
            # Safe contact (or no address) rules e-mail out: say so, do not offer it.
            del self.fields["send_email"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(gettext("Enter the answer."), code="required")
        return text


class PhoneAnswerForm(forms.Form):
    """An answer the consultant gave on the phone, recorded in the thread (nothing is sent)."""

    text = forms.CharField(
        label=_("What you told the caller"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"required": _("Enter what you told the caller.")},
    )
    status = forms.ChoiceField(
        label=_("After the call, the enquiry is"),
        initial=Status.ANSWERED,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the status after the call."),
            "invalid_choice": _("Choose the status after the call."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = _answer_statuses()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(gettext("Enter what you told the caller."), code="required")
        return text


class ReferralForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        error_messages={
            "required": _("Choose the institution."),
            "invalid_choice": _("Choose an institution from the list."),
        },
    )
    text = forms.CharField(
        label=_("Your words before the institution's details (optional)"),
        help_text=_(
            "The institution's name, address, rooms, phones and hours are added below, "
            "in the language of the answer."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )

    def __init__(self, *args: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["institution"]).queryset = institutions


class TriageReviewForm(forms.Form):
    """The consultant accepts the suggested topic and referral, or corrects them."""

    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.none(),
        error_messages={
            "required": _("Choose the topic."),
            "invalid_choice": _("Choose a topic from the list."),
        },
    )
    referral = forms.ModelChoiceField(
        label=_("Refer to"),
        help_text=_("Only records where the question belongs; nothing is sent to anybody."),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("No referral needed"),
        error_messages={"invalid_choice": _("Choose an institution from the list.")},
    )

    def __init__(self, *args: Any, topics: Any, institutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = topics
        cast(forms.ModelChoiceField, self.fields["referral"]).queryset = institutions


class MergeForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number of the enquiry to keep"),
        help_text=_("This enquiry's messages and notes move there and this one is closed."),
        max_length=32,
        error_messages={"required": _("Enter the reference number of the enquiry to keep.")},
    )


class LogContactForm(forms.Form):
    """A call, a letter or a visit, logged in a few seconds. Field order is the page's."""

    channel = forms.ChoiceField(
        label=_("How did they contact us?"),
        choices=[(value, label) for value, label in Channel.choices if value in LOGGED_CHANNELS],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose phone, letter or visit."),
            "invalid_choice": _("Choose phone, letter or visit."),
        },
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        error_messages={"invalid_choice": _("Choose a topic from the list.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        error_messages={
            "required": _("Choose the language."),
            "invalid_choice": _("Choose the language."),
        },
    )
    summary = forms.CharField(
        label=_("Summary of the question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": _("Enter a summary of the question.")},
    )
    name = forms.CharField(label=_("Name (if given)"), required=False, max_length=200)
    email = forms.EmailField(
        label=_("E-mail (if given)"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("Enter an e-mail address in the right format, like name@example.com.")
        },
    )
    phone = forms.CharField(label=_("Phone (if given)"), required=False, max_length=30)
    safe_contact = forms.ChoiceField(
        label=_("How may we contact them?"),
        choices=SafeContact.choices,
        initial=SafeContact.ANY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how we may contact them."),
            "invalid_choice": _("Choose how we may contact them."),
        },
    )
    consent = forms.BooleanField(
        label=_("They agreed to the processing of their data when asked"),
        required=False,
    )

    def __init__(self, *args: Any, topics: list[Topic], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._topics = {topic.slug: topic for topic in topics}
        cast(forms.ChoiceField, self.fields["topic"]).choices = [
            ("", gettext("Not sure")),
            *((topic.slug, str(topic)) for topic in topics),
        ]
        cast(forms.ChoiceField, self.fields["language"]).choices = _languages()
        self.fields["language"].initial = language

    def clean_summary(self) -> str:
        summary = self.cleaned_data["summary"].strip()
        if not summary:
            raise ValidationError(gettext("Enter a summary of the question."), code="required")
        return summary

    def clean_phone(self) -> str:
        return phone_number_clean(self.cleaned_data["phone"])

    def clean_topic(self) -> Topic | None:
        return self._topics.get(self.cleaned_data["topic"] or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        safe = data.get("safe_contact")
        if safe == SafeContact.EMAIL_ONLY and "email" in data and not data.get("email"):
            self.add_error("email", gettext("E-mail only was chosen: give an e-mail address."))
        if safe == SafeContact.PHONE_ONLY and "phone" in data and not data.get("phone"):
            self.add_error("phone", gettext("Phone only was chosen: give a phone number."))
        return data
