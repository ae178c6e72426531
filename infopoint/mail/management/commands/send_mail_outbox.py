from typing import Any

from django.core.management.base import BaseCommand

from infopoint.mail.services import outbox_send_due


class Command(BaseCommand):
    help = "Sends every queued e-mail whose next attempt is due (failed tries wait and retry)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = outbox_send_due()
        self.stdout.write(f"sent {sent}")
