"""Settings of the enquiry desk, read when used (never at import time), with their defaults.

| setting | default | meaning |
|---|---|---|
| ENQUIRY_ANSWER_WITHIN_DAYS | 2 | working days to answer, unless the topic says otherwise |
| ENQUIRY_WORKING_DAY_HOURS | 10 | hours of opening time that make one working day |
| ENQUIRY_REFERENCE_PREFIX | "IP" | first part of reference numbers: IP-2026-000123 |
| ENQUIRY_MAX_TEXT_LENGTH | 5000 | characters of a question or reply typed on the site |
| ENQUIRY_MAX_ATTACHMENTS | 5 | files per message |
| ENQUIRY_MAX_ATTACHMENT_BYTES | 10 MB | size of one file |
| SITE_URL | "http://127.0.0.1:8000" | scheme and host of the public site, for links in e-mails |
"""

from datetime import timedelta

from django.conf import settings


def answer_within_days() -> int:
    return int(getattr(settings, "ENQUIRY_ANSWER_WITHIN_DAYS", 2))


def working_day() -> timedelta:
    return timedelta(hours=float(getattr(settings, "ENQUIRY_WORKING_DAY_HOURS", 10)))


def reference_prefix() -> str:
    return str(getattr(settings, "ENQUIRY_REFERENCE_PREFIX", "IP"))


def max_text_length() -> int:
    return int(getattr(settings, "ENQUIRY_MAX_TEXT_LENGTH", 5000))


def max_attachments() -> int:
    return int(getattr(settings, "ENQUIRY_MAX_ATTACHMENTS", 5))


def max_attachment_bytes() -> int:
    return int(getattr(settings, "ENQUIRY_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")
