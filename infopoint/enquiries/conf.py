"""Settings of the enquiry desk, read when used (never at import time).

Each is declared, with its default and meaning, in config/settings/base.py.
"""

from datetime import timedelta

from django.conf import settings


def answer_within_days() -> int:
    return settings.ENQUIRY_ANSWER_WITHIN_DAYS


def working_day() -> timedelta:
    return timedelta(hours=settings.ENQUIRY_WORKING_DAY_HOURS)


def reference_prefix() -> str:
    return settings.ENQUIRY_REFERENCE_PREFIX


def max_text_length() -> int:
    return settings.ENQUIRY_MAX_TEXT_LENGTH


def max_attachments() -> int:
    return settings.ENQUIRY_MAX_ATTACHMENTS


def max_attachment_bytes() -> int:
    return settings.ENQUIRY_MAX_ATTACHMENT_BYTES


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")
