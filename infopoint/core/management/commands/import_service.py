"""manage.py import_service ARCHIVE: loads a hand-over export into a new, empty instance."""

from pathlib import Path
from typing import Any

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.core.handover.common import HandoverError
from infopoint.core.handover.exchange import service_import


class Command(BaseCommand):
    help = (
        "Loads an archive made by export_service into this instance, which must be migrated "
        "and empty; then rebuilds the search index. Staff set new passwords afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The zip archive made by export_service.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = service_import(path=options["path"])
        except HandoverError as error:
            raise CommandError(str(error)) from None
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        # The search index is left out of the export: it is built from the articles.
        if "knowledge_reindex" in get_commands():
            call_command("knowledge_reindex", stdout=self.stdout)
        self.stdout.write(gettext("Imported %(rows)s records.") % {"rows": sum(counts.values())})
