"""Settings of the appointments, read when used (never at import time).

Each is declared, with its default and meaning, in config/settings/base.py.
"""

from datetime import timedelta

from django.conf import settings


def min_notice() -> timedelta:
    """Opening time of the office between now and the earliest slot that can be booked."""
    return timedelta(hours=settings.APPOINTMENTS_MIN_NOTICE_HOURS)


def horizon() -> timedelta:
    """How far ahead slots can be booked."""
    return timedelta(days=settings.APPOINTMENTS_HORIZON_DAYS)


def change_cutoff() -> timedelta:
    """Time before an appointment after which its link no longer cancels or moves it."""
    return timedelta(hours=settings.APPOINTMENTS_CHANGE_CUTOFF_HOURS)


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")
