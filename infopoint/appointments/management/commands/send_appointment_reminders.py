from typing import Any

from django.core.management.base import BaseCommand

from infopoint.appointments.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Queues the reminders of legal-advice appointments that are due (the point's last "
        "working day before each one). Safe to run often: each appointment is reminded once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"reminders queued: {reminders_send_due()}")
