"""Reads of the mail app."""

from datetime import datetime

from django.db.models import Min, QuerySet

from .models import IncomingMessage, OutgoingMessage


def outgoing_message_due_pks(*, now: datetime, limit: int = 500) -> list[int]:
    """Messages to send now, oldest first: queued and due, or left by a sender that died."""
    return list(
        OutgoingMessage.objects.filter(
            status__in=[OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.SENDING],
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outgoing_message_oldest_unsent_at() -> datetime | None:
    """When the oldest message still waiting to go out was queued (None: nothing waits)."""
    return (
        OutgoingMessage.objects.filter(
            status__in=[OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.SENDING]
        )
        .aggregate(oldest=Min("created_at"))
        .get("oldest")
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
