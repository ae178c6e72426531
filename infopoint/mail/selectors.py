"""Reads of the mail app."""

from datetime import datetime

from django.db.models import QuerySet

from .models import IncomingMessage, OutgoingMessage


def outgoing_message_due_pks(*, now: datetime, limit: int = 500) -> list[int]:
    """Queued messages whose next attempt has come, oldest first."""
    return list(
        OutgoingMessage.objects.filter(
            status=OutgoingMessage.Status.QUEUED, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outgoing_message_list(*, status: str | None = None) -> QuerySet[OutgoingMessage]:
    """The outbox for staff, newest first, with attachments."""
    messages = OutgoingMessage.objects.prefetch_related("attachments")
    return messages.filter(status=status) if status else messages.all()


def outgoing_message_by_message_id(*, message_id: str) -> OutgoingMessage | None:
    return OutgoingMessage.objects.filter(message_id=message_id).first()


def incoming_message_list(*, status: str | None = None) -> QuerySet[IncomingMessage]:
    """Fetched mail for staff, newest first, without loading the raw bytes."""
    messages = IncomingMessage.objects.defer("raw")
    return messages.filter(status=status) if status else messages.all()
