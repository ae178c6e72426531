"""Writes of the API itself: the tokens staff use to call it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from infopoint.accounts.models import Role, User
from infopoint.accounts.selectors import user_has_role


@transaction.atomic
def api_token_issue(*, user: User, rotate: bool = False) -> tuple[Token, bool]:
    """The user's API token, made if they have none; returns it and whether it is new.

    Only active staff with a role get one: the token acts with exactly their permissions.
    ``rotate`` replaces an existing token, so the old one stops working at once.
    """
    if not user.is_active or not user_has_role(user, Role.values):
        raise ValidationError(
            gettext("%(user)s is not an active member of staff with a role.") % {"user": user},
            code="no_role",
        )
    if rotate:
        Token.objects.filter(user=user).delete()
    return Token.objects.get_or_create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    """Removes the user's API token; returns whether there was one."""
    deleted, _by_model = Token.objects.filter(user=user).delete()
    return deleted > 0
