from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from infopoint.privacy.retention import retention_run


class Command(BaseCommand):
    help = (
        "Anonymises the records kept longer than their retention period (RETENTION_* "
        "settings, docs/privacy.md). With --dry-run it lists them and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be anonymised; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = retention_run(dry_run=options["dry_run"])
        self.stdout.write("Would be anonymised:" if result.dry_run else "Anonymised:")
        for line in result.lines():
            self.stdout.write(line)
