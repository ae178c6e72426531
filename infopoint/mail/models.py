"""The outbox (stored before sending) and the store of fetched mail (kept raw)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMessage(models.Model):
    """One e-mail to send; stored first, sent by a background task, retried with back-off.

    While a sender holds it the status is ``sending`` and ``next_attempt_at`` is the end of
    its claim: a sender that died mid-send leaves it to be taken again after that time.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("sender"), max_length=320)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("plain text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "sending", "sent", "failed"]),
                name="mail_outgoing_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class OutgoingAttachment(models.Model):
    message = models.ForeignKey(
        OutgoingMessage,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class IncomingMessage(models.Model):
    """One fetched mail, raw bytes always kept: makes fetching idempotent, keeps bad mail.

    ``message_id`` is the Message-ID header (with angle brackets) or, for mail without
    one, ``<sha256-…@message-id.invalid>`` of the raw bytes.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, not processed yet")
        PROCESSED = "processed", _("processed")
        FAILED = "failed", _("failed")

    message_id = models.CharField(_("Message-ID"), max_length=998, unique=True)
    raw = models.BinaryField(_("raw message"))
    raw_size = models.PositiveIntegerField(_("size in bytes"), default=0)
    mailbox = models.CharField(_("mailbox folder"), max_length=255, blank=True)
    uid = models.PositiveBigIntegerField(_("mailbox UID"), null=True, blank=True)
    from_address = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    parse_error = models.TextField(_("why it could not be read"), blank=True)
    handle_error = models.TextField(_("why it could not be processed"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, editable=False)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "received_at"], name="mail_incoming_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["received", "processed", "failed"]),
                name="mail_incoming_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.subject or self.message_id
