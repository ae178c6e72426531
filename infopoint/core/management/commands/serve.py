from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from infopoint.core.scheduler import EmbeddedScheduler


class Command(BaseCommand):
    help = (
        "Serves the site for the embedded profile and, when there is no task broker, "
        "runs the periodic jobs (mail, reminders, clean-up) in the same process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        scheduler = None
        if settings.CELERY_TASK_ALWAYS_EAGER and settings.CELERY_BEAT_SCHEDULE:
            scheduler = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE)
            scheduler.start()
            self.stdout.write(f"Periodic jobs run in this process: {', '.join(scheduler.schedule)}")
        try:
            # No autoreloader: it would fork a second process with a second scheduler.
            call_command("runserver", addrport, use_reloader=False)
        finally:
            if scheduler:
                scheduler.stop()
