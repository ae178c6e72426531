"""Background work of the mail app: thin wrappers over the services, for Celery or cron."""

from django.conf import settings

from .services import FetchResult, mail_incoming_handler, mailbox_fetch, outbox_send_due


def send_outbox_task() -> int:
    """Sends every queued message that is due; returns how many went out."""
    return outbox_send_due()


def fetch_mail_task() -> FetchResult | None:
    """Reads the service mailbox, if one is configured (IMAP_URL)."""
    if not settings.IMAP_URL:
        return None
    return mailbox_fetch(handle=mail_incoming_handler())
