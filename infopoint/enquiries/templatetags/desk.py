"""Template helpers of the staff screens."""

from __future__ import annotations

from typing import Any

from django import template

from infopoint.accounts.models import Role
from infopoint.accounts.selectors import user_has_role

register = template.Library()

COORDINATING_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


@register.filter
def coordinates(user: Any) -> bool:
    """Whether ``user`` sees the coordinator's pages of the desk (e.g. the deflection counts)."""
    return user_has_role(user, COORDINATING_ROLES)
