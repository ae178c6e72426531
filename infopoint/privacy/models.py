"""The audit log, consent texts and data subject requests. The rules that change them live in
audit.py, services.py and retention.py."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation


class AuditAction(models.TextChoices):
    VIEWED = "viewed", _("Viewed personal data")
    CHANGED = "changed", _("Changed personal data")
    EXPORTED = "exported", _("Exported personal data")
    ERASED = "erased", _("Erased personal data")
    ANONYMISED = "anonymised", _("Anonymised after the retention period")
    SEARCHED = "searched", _("Searched for a person's records")
    REQUEST_RECORDED = "request_recorded", _("Recorded a data subject request")
    SIGNED_IN = "signed_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGNED_OUT = "signed_out", _("Signed out")
    PERMISSIONS_CHANGED = "permissions_changed", _("Roles or permissions changed")


class AppendOnlyError(Exception):
    """An audit event was to be changed or deleted: the log is append-only."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    """One thing a person did with personal data or with access to it. Never changed.

    It names its target by model label and primary key only, never by a name, an e-mail
    address or free text, so the log itself holds as little personal data as it can. The
    address is cut to its network (IPv4 /24, IPv6 /48). PostgreSQL refuses updates and
    deletes by a trigger (migration 0001); the only update allowed is the actor becoming
    empty when a staff account is deleted (``actor_username`` keeps who it was).
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices)
    target_type = models.CharField(_("kind of record"), max_length=100, blank=True)
    target_id = models.CharField(_("record number"), max_length=64, blank=True)
    # Short machine words (field names, role names, counts): never personal data.
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_network = models.CharField(_("network address"), max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor_username", "at"], name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def target(self) -> str:
        return f"{self.target_type}:{self.target_id}" if self.target_type else ""


class ConsentPurpose(models.TextChoices):
    ENQUIRY = "enquiry", _("Asking a question")
    BOOKING = "booking", _("Booking a legal-advice appointment")


class ConsentText(TranslatedModel):
    """One version of a consent text, in every language, exactly as people saw it.

    Enquiries and bookings record the version (``consent_version``); this row keeps what that
    version said. Rows are added when the code's version changes and never edited after.
    """

    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    version = models.CharField(_("version"), max_length=40)
    recorded_at = models.DateTimeField(_("first recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.version}"


class ConsentTextTranslation(Translation):
    consent = models.ForeignKey(ConsentText, on_delete=models.CASCADE, related_name="translations")
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("consent text translation")
        verbose_name_plural = _("consent text translations")
        constraints = [
            models.UniqueConstraint(
                fields=["consent", "language"], name="consent_text_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consent} ({self.language})"


class RequestKind(models.TextChoices):
    ACCESS = "access", _("See or receive a copy of their data")
    ERASURE = "erasure", _("Erase their data")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    EXPORTED = "exported", _("Copy given")
    ERASED = "erased", _("Erased")
    REFUSED = "refused", _("Refused")


class RefusalReason(models.TextChoices):
    IDENTITY = "identity", _("The person could not show who they are")
    UNFOUNDED = "unfounded", _("The request is manifestly unfounded or excessive")
    LEGAL_DUTY = "legal_duty", _("The law requires the point to keep the data")


class DataSubjectRequest(models.Model):
    """A person asked what the point holds about them, or to erase it; and how it was handled.

    The e-mail address and phone are what the records are found by. After an erasure they are
    kept as a SHA-256 digest only, so the request can be shown to have been handled without
    keeping the data it removed.
    """

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("request"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    identity_digest = models.CharField(max_length=64, blank=True, editable=False)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    identity_checked = models.BooleanField(
        _("identity checked"),
        default=False,
        help_text=_("The person showed they are who the records are about."),
    )
    refusal_reason = models.CharField(
        _("reason for refusing"), max_length=12, choices=RefusalReason.choices, blank=True
    )
    records_found = models.JSONField(_("records found"), default=dict, blank=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("data subject request")
        verbose_name_plural = _("data subject requests")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(email="", phone="", identity_digest=""),
                name="dsr_names_a_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="open", handled_at__isnull=True)
                | (~models.Q(status="open") & models.Q(handled_at__isnull=False)),
                name="dsr_handled_time_with_status",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN
