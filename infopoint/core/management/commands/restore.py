"""manage.py restore FOLDER [--yes]: puts a backup's database and uploaded files back."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.core.handover.backup import backup_restore, backup_verify
from infopoint.core.handover.common import HandoverError


class Command(BaseCommand):
    help = (
        "Replaces the database and uploaded files by those of a backup folder made by "
        "manage.py backup. Checks the backup first; stop the site and workers before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup folder.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask: replace the current data."
        )
        parser.add_argument(
            "--check", action="store_true", help="Only check the backup; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            manifest = backup_verify(path=path)
            if options["check"]:
                self.stdout.write(
                    gettext("The backup of %(created)s is whole and fits this instance.")
                    % {"created": manifest["created_at"]}
                )
                return
            if not options["yes"] and not self._confirmed(manifest["created_at"]):
                raise CommandError(gettext("Nothing was changed."))
            backup_restore(path=path)
        except HandoverError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            gettext("Restored the backup of %(created)s. Run manage.py migrate next.")
            % {"created": manifest["created_at"]}
        )

    def _confirmed(self, created: str) -> bool:
        answer = input(
            gettext(
                "This replaces all data and uploaded files by the backup of %(created)s. "
                "Type yes to go on: "
            )
            % {"created": created}
        )
        return answer.strip().lower() == "yes"
