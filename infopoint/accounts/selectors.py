"""Reads of staff: roles, and the duty roster (who is on duty when, in which languages)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from infopoint.hours.calendar import office_zone

from . import conf
from .models import (
    DESK_ROLES,
    DutyShift,
    RecoveryCode,
    Role,
    SignInAttempt,
    SignInOutcome,
    TwoFactor,
    User,
)


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


# --- sign-in: lock-out and history -----------------------------------------------------------


def lock_end(
    failures: Iterable[datetime], *, limit: int, window: timedelta, duration: timedelta
) -> datetime | None:
    """When a lock-out made by ``failures`` ends: ``limit`` of them within ``window`` lock for
    ``duration`` from the one that reached the limit. None if they never reached it."""
    times = sorted(failures)
    end = None
    for index in range(limit - 1, len(times)):
        if times[index] - times[index - limit + 1] <= window:
            end = max(end or times[index], times[index] + duration)
    return end


def sign_in_locked_until(*, username: str, network: str, now: datetime) -> datetime | None:
    """Until when sign-in to ``username`` or from ``network`` is refused; None: it is not.

    Counts failed passwords and codes (not refusals while locked, so a lock-out ends on time
    even while someone keeps trying). An account's count starts again after it signs in.
    """
    since = now - conf.failure_window() - conf.lockout()
    failed = SignInAttempt.objects.filter(at__gte=since, at__lte=now).exclude(
        outcome__in=(SignInOutcome.SIGNED_IN, SignInOutcome.LOCKED)
    )
    last_success = (
        SignInAttempt.objects.filter(
            username__iexact=username, outcome=SignInOutcome.SIGNED_IN, at__gte=since
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    account = failed.filter(username__iexact=username)
    if last_success:
        account = account.filter(at__gt=last_success)
    ends = [
        lock_end(
            account.values_list("at", flat=True),
            limit=conf.max_failures(),
            window=conf.failure_window(),
            duration=conf.lockout(),
        ),
        lock_end(
            failed.filter(address=network).values_list("at", flat=True),
            limit=conf.max_failures_per_address(),
            window=conf.failure_window(),
            duration=conf.lockout(),
        ),
    ]
    latest = max((end for end in ends if end is not None), default=None)
    return latest if latest is not None and latest > now else None


def sign_in_history(*, viewer: Any, everyone: bool = False) -> QuerySet[SignInAttempt]:
    """Sign-in attempts, newest first: the viewer's own, or everyone's for a coordinator."""
    attempts = SignInAttempt.objects.select_related("user").order_by("-at", "-pk")
    if everyone and sees_everyones_sign_ins(viewer):
        return attempts
    return attempts.filter(user=viewer)


def sees_everyones_sign_ins(user: Any) -> bool:
    return user_has_role(user, (Role.COORDINATOR, Role.ADMINISTRATOR))


def two_factor_enabled(user: Any) -> bool:
    """Whether the user signs in with a code from an authenticator app."""
    if not getattr(user, "is_authenticated", False):
        return False
    return TwoFactor.objects.filter(user_id=user.pk).exists()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
