import secrets

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role, User

# Models a coordinator edits in the admin: hours, notices, topics, directory.
COORDINATOR_APPS = ("hours", "topics", "directory", "pages")


@transaction.atomic
def role_groups_ensure() -> dict[str, Group]:
    """Creates the permission group of every role; the coordinator's may edit content apps."""
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    content_permissions = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    groups[Role.COORDINATOR].permissions.add(*content_permissions)
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
        defaults={"is_staff": True, "first_name": "Demo", "languages": ["pl", "uk", "ru", "en"]},
    )
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(groups[Role.COORDINATOR])
    return user, password
