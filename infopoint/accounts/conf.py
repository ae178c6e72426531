"""The sign-in settings, read when asked (never at import time)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings


def require_two_factor() -> bool:
    return bool(settings.STAFF_REQUIRE_TWO_FACTOR)


def max_failures() -> int:
    return int(settings.SIGN_IN_MAX_FAILURES)


def max_failures_per_address() -> int:
    return int(settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS)


def failure_window() -> timedelta:
    return timedelta(minutes=settings.SIGN_IN_FAILURE_WINDOW_MINUTES)


def lockout() -> timedelta:
    return timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)


def idle_timeout() -> timedelta:
    return timedelta(minutes=settings.SESSION_IDLE_MINUTES)


def session_max_age() -> timedelta:
    return timedelta(hours=settings.SESSION_MAX_HOURS)


def history_kept() -> timedelta:
    return timedelta(days=settings.SIGN_IN_HISTORY_DAYS)


# How long the password stays good while the code is asked for.
PENDING_SECONDS = 300
