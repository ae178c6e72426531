"""The audit log, consent texts and data subject requests. The rules that change them live in
audit.py, services.py and retention.py."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
