"""Reads of enquiries for the public side; staff look-ups with permissions live in access.py."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Attachment, Enquiry, Message
from .services import tracking_token_hash


def enquiry_for_tracking(*, token: str) -> Enquiry:
    """The enquiry a private tracking token opens; Enquiry.DoesNotExist when none does.

    The look-up is by the token's SHA-256 hash (the token is never stored), so it reveals
    nothing through timing about tokens that almost match. A merged enquiry's link opens
    the enquiry it was merged into.
    """
    if not token or len(token) > 200:
        raise Enquiry.DoesNotExist
    enquiry = Enquiry.objects.select_related("topic", "merged_into").get(
        tracking_token_hash=tracking_token_hash(token)
    )
    seen = set()
    while enquiry.merged_into_id and enquiry.pk not in seen:
        seen.add(enquiry.pk)
        enquiry = Enquiry.objects.select_related("topic", "merged_into").get(
            pk=enquiry.merged_into_id
        )
    return enquiry


def enquiry_thread(*, enquiry: Enquiry, include_automatic: bool = False) -> QuerySet[Message]:
    """The enquiry's messages, oldest first, with their attachments; never internal notes.

    Automatic messages (acknowledgements, auto-replies, bounces) are left out unless asked for.
    """
    messages = Message.objects.filter(enquiry=enquiry)
    if not include_automatic:
        messages = messages.filter(automatic=False)
    return (
        messages.select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("created_at", "pk")
    )
