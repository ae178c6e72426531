from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infopoint.mail.imap import ImapError
from infopoint.mail.services import mail_incoming_handler, mailbox_fetch


class Command(BaseCommand):
    help = (
        "Reads unseen mail from the service mailbox (IMAP_URL) and hands each message to "
        "MAIL_INCOMING_HANDLER. Safe to run often: a message is never processed twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, help="Read at most this many messages.")
        parser.add_argument("--url", help="Mailbox URL instead of IMAP_URL.")

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"] or settings.IMAP_URL
        if not url:
            self.stdout.write("No mailbox is configured (IMAP_URL is empty); nothing to do.")
            return
        handle = mail_incoming_handler()
        if handle is None:
            self.stderr.write(
                "No MAIL_INCOMING_HANDLER is configured: mail is stored but left unread."
            )
        try:
            result = mailbox_fetch(handle=handle, url=url, limit=options["limit"])
        except ImapError as error:
            raise CommandError(f"Cannot read the mailbox: {error}") from error
        self.stdout.write(
            f"fetched {result.fetched}, processed {result.processed}, "
            f"skipped {result.skipped}, failed {result.failed}, pending {result.pending}"
        )
