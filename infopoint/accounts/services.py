from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from .models import DutyShift, Role, User

# Apps whose models a coordinator edits in the admin: hours and notices, topics, directory,
# pages, advisers' availability, knowledge-base articles.
COORDINATOR_APPS = ("hours", "topics", "directory", "pages", "appointments", "knowledge")
# What a legal adviser may edit in the admin: their own profile and availability (the admin
# narrows it to their own rows).
ADVISER_MODELS = ("adviser", "advisertranslation", "availabilityrule", "availabilityexception")


@transaction.atomic
def role_groups_ensure() -> dict[str, Group]:
    """Creates the permission group of every role; the coordinator's may edit content apps."""
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    content_permissions = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    groups[Role.COORDINATOR].permissions.add(*content_permissions)
    adviser_permissions = Permission.objects.filter(
        content_type__app_label="appointments",
        content_type__model__in=ADVISER_MODELS,
        codename__regex=r"^(view|add|change)_",
    )
    groups[Role.ADVISER].permissions.add(*adviser_permissions)
    return groups


@transaction.atomic
def demo_coordinator_ensure(*, username: str = "coordinator") -> tuple[User, str | None]:
    """Creates the demo coordinator with a random password.

    Returns the user and the new password, or None when the account already existed
    (its password is never reset, so a changed one stays changed).
    """
    groups = role_groups_ensure()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_staff": True,
            "first_name": "Demo",
            "languages": [code for code, _name in settings.LANGUAGES],
        },
    )
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(groups[Role.COORDINATOR])
    return user, password


@transaction.atomic
def duty_shift_create(
    *, user: User, date: datetime.date, starts_at: datetime.time, ends_at: datetime.time
) -> DutyShift:
    """Puts a member of staff on duty; shifts of one person on one day must not overlap."""
    shift = DutyShift(user=user, date=date, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    overlapping = DutyShift.objects.filter(
        user=user, date=date, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlapping.exists():
        raise ValidationError(
            gettext("%(user)s is already on duty at that time on %(date)s.")
            % {"user": user, "date": date.isoformat()},
            code="overlap",
        )
    shift.save()
    return shift


@transaction.atomic
def user_roles_set(*, user: User, roles: list[str]) -> User:
    """Gives a member of staff exactly ``roles``; any role lets them sign in (``is_staff``).

    Staff sign in on the admin's sign-in page, which admits only ``is_staff`` accounts.
    """
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(gettext("Unknown role."), code="role")
    groups = role_groups_ensure()
    user.groups.remove(*(groups[role] for role in Role.values if role not in roles))
    user.groups.add(*(groups[role] for role in roles))
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user
