"""Enquiries, their messages, files and internal notes. The rules that change them: services.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import language_choices


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone call")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting for the enquirer")
    ANSWERED = "answered", _("Answered")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


class SafeContact(models.TextChoices):
    """How the enquirer may be contacted; staff see it on every screen of the enquiry."""

    ANY = "any", _("By e-mail or by phone")
    EMAIL_ONLY = "email_only", _("By e-mail only: never call me")
    PHONE_ONLY = "phone_only", _("By phone only: never send me e-mails")
    LINK_ONLY = "link_only", _("No e-mails and no calls: I will read the answer through my link")


PUBLIC_STATUS_LABELS: dict[str, Any] = {
    Status.NEW: _("Received"),
    Status.OPEN: _("We are working on it"),
    Status.WAITING: _("Waiting for your reply"),
    Status.ANSWERED: _("Answered"),
    Status.REFERRED: _("Referred to another institution"),
    Status.CLOSED: _("Closed"),
}


class Direction(models.TextChoices):
    IN = "in", _("From the enquirer")
    OUT = "out", _("From the point")


class Enquiry(models.Model):
    """A question someone asked the point, by any channel, and everything done about it."""

    reference = models.CharField(_("reference number"), max_length=32, unique=True)
    # SHA-256 of the private tracking token; the token itself is never stored.
    tracking_token_hash = models.CharField(max_length=64, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiries",
        verbose_name=_("topic"),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=12, choices=language_choices)
    preferred_language = models.CharField(
        _("language of the answer"), max_length=12, choices=language_choices
    )
    name = models.CharField(_("name or nickname"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    safe_contact = models.CharField(
        _("safe contact"), max_length=12, choices=SafeContact.choices, default=SafeContact.ANY
    )
    consent_version = models.CharField(_("consent version"), max_length=40, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    # Set while the status is "waiting for the enquirer": the due clock is paused since then.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_enquiries",
        verbose_name=_("assignee"),
    )
    # A mail that named this enquiry's reference but came from another sender: staff review.
    related_enquiry = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_enquiries",
        verbose_name=_("related enquiry"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_enquiries",
        verbose_name=_("merged into"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    # Opening time from receipt to the first answer, stored then: reports aggregate it in SQL.
    first_response_working_seconds = models.PositiveIntegerField(
        _("first answer within (working seconds)"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="enquiry_status_due"),
            models.Index(fields=["assignee", "status"], name="enquiry_assignee_status"),
            models.Index(fields=["topic", "status"], name="enquiry_topic_status"),
            models.Index(fields=["language", "status"], name="enquiry_language_status"),
            models.Index(fields=["channel", "status"], name="enquiry_channel_status"),
            # Covering on PostgreSQL (other databases ignore ``include``): the reports read
            # a period's enquiries from the index alone, not from the whole table.
            models.Index(
                fields=["created_at"],
                include=[
                    "topic",
                    "language",
                    "channel",
                    "status",
                    "first_response_working_seconds",
                    "first_response_at",
                    "due_at",
                ],
                name="enquiry_created_report",
            ),
            models.Index(fields=["email"], name="enquiry_email"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_version="", consent_given_at__isnull=True)
                | (~Q(consent_version="") & Q(consent_given_at__isnull=False)),
                name="enquiry_consent_version_with_time",
            ),
            models.CheckConstraint(
                condition=Q(waiting_since__isnull=True) | Q(status="waiting"),
                name="enquiry_waiting_since_only_when_waiting",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="enquiry_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=~Q(related_enquiry=F("pk")), name="enquiry_not_related_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def allows_email(self) -> bool:
        return bool(self.email) and self.safe_contact in (SafeContact.ANY, SafeContact.EMAIL_ONLY)

    @property
    def allows_phone(self) -> bool:
        return bool(self.phone) and self.safe_contact in (SafeContact.ANY, SafeContact.PHONE_ONLY)

    @property
    def public_status_label(self) -> str:
        """The status in words for the enquirer (staff words like "open" mean little to them)."""
        return str(PUBLIC_STATUS_LABELS[self.status])

    @property
    def public_due_at(self) -> datetime | None:
        """The due time to show the enquirer: only while the point owes an answer."""
        return self.due_at if self.status in (Status.NEW, Status.OPEN) else None

    @property
    def is_paused(self) -> bool:
        """The due clock is stopped while the point waits for the enquirer."""
        return self.waiting_since is not None


class Message(models.Model):
    """One message of an enquiry's thread, either way, by any channel."""

    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="messages", verbose_name=_("enquiry")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    # The member of staff who wrote or logged it; null for what the enquirer wrote themselves.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiry_messages",
        verbose_name=_("author"),
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    text = models.TextField(_("text"), blank=True)
    # Message-ID without angle brackets, of mail received or sent; used to thread replies.
    email_message_id = models.CharField(_("e-mail Message-ID"), max_length=255, blank=True)
    # Sent or received without a person writing it: acknowledgements, auto-replies, bounces.
    automatic = models.BooleanField(_("automatic"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["email_message_id"], name="enquiry_message_mail_id"),
            models.Index(fields=["enquiry", "created_at"], name="enquiry_message_thread"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email_message_id"],
                condition=~Q(email_message_id=""),
                name="enquiry_message_unique_mail_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry} {self.get_direction_display()} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the enquirer's file name may carry personal data or path tricks.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"enquiries/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file sent with a message; its type was checked by content, not by name."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_filename


class InternalNote(models.Model):
    """A note among staff about an enquiry. Never shown to the enquirer."""

    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="notes", verbose_name=_("enquiry")
    )
    # Null for notes the desk writes itself (e.g. a file it did not keep).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiry_notes",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.enquiry}: {self.text[:40]}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ReplyTemplate(models.Model):
    """A ready answer staff start a reply from, per topic (or for any topic) and language.

    The text may name ``{name}``, ``{reference}``, ``{topic}`` and ``{consultant}``: they are
    filled in from the enquiry when the template is picked (see inbox.reply_template_render).
    """

    topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("topic"),
        help_text=_("Leave empty for a template that fits any topic."),
    )
    language = models.CharField(_("language"), max_length=12, choices=language_choices)
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(
        _("text"),
        help_text=_(
            "You can write {name}, {reference}, {topic} and {consultant}: they are filled in "
            "from the enquiry."
        ),
    )

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["language", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language", "title"],
                condition=Q(topic__isnull=False),
                name="reply_template_unique_title",
            ),
            # NULLs are distinct in a unique constraint: templates for any topic need their own.
            models.UniqueConstraint(
                fields=["language", "title"],
                condition=Q(topic__isnull=True),
                name="reply_template_unique_title_any_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Referral(models.Model):
    """An enquirer was sent to an institution of the directory, with its details in the reply."""

    enquiry = models.ForeignKey(
        Enquiry, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("enquiry")
    )
    # Kept for reports: an institution that people were referred to cannot just disappear.
    institution = models.ForeignKey(
        "directory.Institution",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("institution"),
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("reply"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enquiry_referrals",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.enquiry} → {self.institution}"


class EnquiryTriage(models.Model):
    """What the knowledge base made of an enquiry when it arrived, and what a consultant decided.

    The suggestion (language, topic, referral and articles, each with a confidence from 0 to 1)
    is computed after the enquiry is saved, so intake never waits for it or fails because of
    it. ``reviewed_*`` hold the consultant's decision (a correction or an acceptance).
    """

    enquiry = models.OneToOneField(
        Enquiry, on_delete=models.CASCADE, related_name="triage", verbose_name=_("enquiry")
    )
    language = models.CharField(_("detected language"), max_length=12, blank=True)
    language_confidence = models.FloatField(_("language confidence"), default=0.0)
    topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested topic"),
    )
    topic_confidence = models.FloatField(_("topic confidence"), default=0.0)
    referral = models.ForeignKey(
        "directory.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested referral"),
    )
    referral_confidence = models.FloatField(_("referral confidence"), default=0.0)
    # [{"slug": ..., "language": ..., "score": ...}], best first.
    articles = models.JSONField(_("suggested articles"), default=list, blank=True)
    created_at = models.DateTimeField(_("computed"), default=timezone.now)
    reviewed_topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("topic chosen by staff"),
    )
    # With reviewed_at set and this empty, staff decided the enquiry needs no referral.
    reviewed_referral = models.ForeignKey(
        "directory.Institution",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral chosen by staff"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("triage")
        verbose_name_plural = _("triages")
        constraints = [
            models.CheckConstraint(
                condition=Q(language_confidence__gte=0, language_confidence__lte=1)
                & Q(topic_confidence__gte=0, topic_confidence__lte=1)
                & Q(referral_confidence__gte=0, referral_confidence__lte=1),
                name="enquiry_triage_confidences_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry_id}: {self.topic_id or '—'}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class SuggestionOpening(models.Model):
    """An article opened from the suggestions beside the enquiry form, for deflection counts.

    No personal data: ``visit`` is a random id kept in the browser's session, only to tell
    whether an enquiry was then sent from the same session (see deflection.py for the rule).
    """

    visit = models.UUIDField(_("visit"), db_index=True)
    article_slug = models.SlugField(_("article"), max_length=50)
    language = models.CharField(_("language of the page"), max_length=12)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    # An enquiry was sent from the same session within the window after the opening.
    submitted_at = models.DateTimeField(_("enquiry sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion opened")
        verbose_name_plural = _("suggestions opened")
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["opened_at"], name="suggestion_opening_opened")]

    def __str__(self) -> str:
        return f"{self.article_slug} {self.opened_at:%Y-%m-%d %H:%M}"
