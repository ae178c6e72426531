from getpass import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.accounts.models import Role
from infopoint.accounts.services import staff_create

ROLES = [Role.CONSULTANT.value, Role.ADVISER.value, Role.COORDINATOR.value]


class Command(BaseCommand):
    help = (
        "Creates a member of staff with one role and prints a one-time password "
        "(or asks for one with --ask-password)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--languages", default="", help="Languages spoken, comma-separated: uk,ru"
        )
        parser.add_argument(
            "--ask-password", action="store_true", help="Type the password instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        languages = [code.strip() for code in options["languages"].split(",") if code.strip()]
        password = None
        if options["ask_password"]:
            password = getpass(gettext("Password: "))
            if password != getpass(gettext("Password again: ")):
                raise CommandError(gettext("The two passwords differ."))
        try:
            user, generated = staff_create(
                username=options["username"],
                role=options["role"],
                email=options["email"],
                languages=languages,
                password=password,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            gettext("Created %(user)s (%(role)s).")
            % {"user": user.username, "role": options["role"]}
        )
        if generated:
            self.stdout.write(
                gettext(
                    "One-time password: %(password)s. Give it in person and ask them to "
                    "change it after they sign in."
                )
                % {"password": generated}
            )
