"""manage.py backup [--into FOLDER]: the database and uploaded files, with a manifest."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.core.handover.backup import backup_create
from infopoint.core.handover.common import HandoverError


class Command(BaseCommand):
    help = (
        "Writes a backup folder (database in its engine's own format, uploaded files as a "
        "tar archive, manifest.json with checksums) under --into (default DATA_DIR/backups)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--into", type=Path, help="Folder the backup folder is made in.")

    def handle(self, *args: Any, **options: Any) -> None:
        into = options["into"] or Path(settings.DATA_DIR) / "backups"
        try:
            summary = backup_create(into=into)
        except HandoverError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            gettext("Backup written to %(path)s (%(engine)s, %(files)s uploaded files).")
            % {"path": summary.path, "engine": summary.engine, "files": summary.media_files}
        )
        self.stdout.write(str(summary.path))
