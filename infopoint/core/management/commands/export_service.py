"""manage.py export_service [--into FOLDER]: the whole service for a new operator."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.core.handover.common import HandoverError
from infopoint.core.handover.exchange import service_export


class Command(BaseCommand):
    help = (
        "Writes the whole service (content, enquiries, appointments, audit log, users without "
        "secrets, files) to a zip of JSON Lines under --into (default DATA_DIR/exports); "
        "docs/handover.md describes the format."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--into", type=Path, help="Folder the archive is written in.")

    def handle(self, *args: Any, **options: Any) -> None:
        into = options["into"] or Path(settings.DATA_DIR) / "exports"
        try:
            summary = service_export(into=into)
        except HandoverError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            gettext("Exported %(rows)s records and %(files)s files to %(path)s.")
            % {"rows": sum(summary.counts.values()), "files": summary.files, "path": summary.path}
        )
        for name in summary.files_missing:
            self.stderr.write(
                gettext("Missing from storage, not exported: %(name)s") % {"name": name}
            )
        self.stdout.write(str(summary.path))
