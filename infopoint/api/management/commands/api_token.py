"""manage.py api_token USERNAME [--rotate | --revoke]: a member of staff's API token."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from infopoint.accounts.models import User
from infopoint.api.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Prints the API token of a member of staff, making one if needed. The token acts with "
        "their role's permissions. --rotate replaces it; --revoke removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rotate", action="store_true", help="Replace the token.")
        action.add_argument("--revoke", action="store_true", help="Remove the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(
                gettext("There is no member of staff %(username)s.")
                % {"username": options["username"]}
            ) from None
        if options["revoke"]:
            if api_token_revoke(user=user):
                self.stdout.write(gettext("The token of %(user)s was removed.") % {"user": user})
            else:
                self.stdout.write(gettext("%(user)s had no token.") % {"user": user})
            return
        try:
            token, _created = api_token_issue(user=user, rotate=options["rotate"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        # The key alone on stdout, so that scripts can read it: TOKEN=$(manage.py api_token …).
        self.stdout.write(token.key)
