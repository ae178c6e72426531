"""Retention periods, read when used (never at import time).

Each is declared, with its default and meaning, in config/settings/base.py. A period of 0
months turns that kind's anonymisation off.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from django.conf import settings


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (the 31st becomes the last)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def enquiry_months() -> int:
    return int(settings.RETENTION_ENQUIRY_MONTHS)


def appointment_months() -> int:
    return int(settings.RETENTION_APPOINTMENT_MONTHS)


def appointment_notes_months() -> int:
    return int(settings.RETENTION_APPOINTMENT_NOTES_MONTHS)


def waiting_list_months() -> int:
    return int(settings.RETENTION_WAITING_LIST_MONTHS)


def mail_months() -> int:
    return int(settings.RETENTION_MAIL_MONTHS)


def request_months() -> int:
    return int(settings.RETENTION_REQUEST_MONTHS)
