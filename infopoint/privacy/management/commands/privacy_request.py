from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from infopoint.privacy.models import RequestKind
from infopoint.privacy.selectors import person_records_find
from infopoint.privacy.services import (
    contact_clean,
    dsr_create,
    dsr_erase,
    dsr_export,
    export_json,
)


class Command(BaseCommand):
    help = (
        "Handles a data subject request from the shell: find a person's records by e-mail "
        "and/or phone, export them as JSON, or erase them (anonymise in place). Export and "
        "erasure are recorded as requests and in the audit log. See docs/privacy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["find", "export", "erase"])
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--output", help="File for the JSON export (default: stdout).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Really erase: without it, erase only lists what it would erase.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            email, phone = contact_clean(email=options["email"], phone=options["phone"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        action = options["action"]
        records = person_records_find(email=email, phone=phone)
        if action == "find" or (action == "erase" and not options["yes"]):
            for kind, count in records.counts().items():
                self.stdout.write(f"{kind}: {count}")
            if action == "erase":
                self.stdout.write("Nothing was erased: run again with --yes to erase these.")
            return
        # The operator running the command vouches for the person's identity.
        if action == "export":
            dsr = dsr_create(
                kind=RequestKind.ACCESS, email=email, phone=phone, identity_checked=True
            )
            text = export_json(dsr_export(dsr=dsr, actor=None))
            if options["output"]:
                Path(options["output"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"{dsr.reference}: written to {options['output']}")
            else:
                self.stdout.write(text)
            return
        dsr = dsr_create(kind=RequestKind.ERASURE, email=email, phone=phone, identity_checked=True)
        counts = dsr_erase(dsr=dsr, actor=None)
        self.stdout.write(f"{dsr.reference}: erased")
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
