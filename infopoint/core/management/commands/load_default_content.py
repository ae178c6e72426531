from typing import Any

from django.core.management.base import BaseCommand

from infopoint.core.content import default_content_load


class Command(BaseCommand):
    help = "Loads the default content from CONTENT_DIR. Idempotent: a second run changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = default_content_load()
        for app, count in changed.items():
            self.stdout.write(f"{app}: {count} created or updated")
