"""Reads of staff: roles, and the duty roster (who is on duty when, in which languages)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from infopoint.hours.calendar import office_zone

from .models import DESK_ROLES, DutyShift, User


def user_has_role(user: Any, roles: Iterable[str]) -> bool:
    """Whether a signed-in, active user is in the group of one of ``roles``.

    Superusers have every role. The answer is kept on the user object for the request, so
    templates and views may ask again without another query.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = tuple(roles)
    cache = user.__dict__.setdefault("_role_cache", {})
    if roles not in cache:
        cache[roles] = user.groups.filter(name__in=roles).exists()
    return bool(cache[roles])


def user_works_desk(user: Any) -> bool:
    """Whether the user may work the enquiry desk (consultant, coordinator or administrator)."""
    return user_has_role(user, DESK_ROLES)


def desk_staff() -> QuerySet[User]:
    """Active members of staff who work the desk, by name; superusers included."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__name__in=DESK_ROLES) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _site_languages(codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    return [code for code, _name in settings.LANGUAGES if code in wanted]


def duty_shifts_on(on: date) -> QuerySet[DutyShift]:
    """The shifts of one day of desk staff, by start time, with their staff member."""
    return (
        DutyShift.objects.filter(date=on, user__in=desk_staff())
        .select_related("user")
        .order_by("starts_at", "pk")
    )


def languages_on_duty(on: date | None = None) -> list[str]:
    """Language codes covered by desk staff on duty on the day ``on`` (default today).

    In the order of settings.LANGUAGES; codes the site does not offer are left out. One query.
    """
    on = on or timezone.localdate(timezone=office_zone())
    spoken: set[str] = set()
    for languages in duty_shifts_on(on).values_list("user__languages", flat=True):
        spoken.update(languages or [])
    return _site_languages(spoken)


def staff_on_duty(*, at: datetime | None = None) -> list[User]:
    """Desk staff with a shift that covers the moment ``at`` (default now), by name."""
    local = timezone.localtime(at or timezone.now(), office_zone())
    shifts = duty_shifts_on(local.date()).filter(
        starts_at__lte=local.time(), ends_at__gt=local.time()
    )
    users = {shift.user.pk: shift.user for shift in shifts}
    return sorted(users.values(), key=lambda user: (str(user), user.pk))
