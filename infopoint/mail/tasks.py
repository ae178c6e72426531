"""Background work of the mail app: thin Celery tasks over the services.

Without a broker (the embedded profile) Celery runs them in the calling process,
and `manage.py serve` runs the periodic ones; with Redis, a worker and beat do.
Every task may run twice (a worker killed mid-task runs it again: acks late) and
each is safe to: the services claim what they send and skip what is processed.
"""

from dataclasses import asdict
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from .services import mail_incoming_handler, mailbox_fetch, outbox_send, outbox_send_due


# A lost database is tried again soon; whatever is still queued after the last try is
# sent by send_outbox_task, which beat runs every minute.
@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def send_message_task(pk: int) -> bool:
    """Sends one stored message; a message already sent is not sent again."""
    return outbox_send(pk=pk)


@shared_task
def send_outbox_task() -> int:
    """Sends every queued message that is due (first tries and retries); returns how many."""
    return outbox_send_due()


@shared_task
def fetch_mail_task() -> dict[str, Any] | None:
    """Reads the service mailbox, if one is configured (IMAP_URL)."""
    if not settings.IMAP_URL:
        return None
    return asdict(mailbox_fetch(handle=mail_incoming_handler()))
