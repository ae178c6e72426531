"""E-mails of the desk: the acknowledgement and replies, threaded so that mail clients group them.

Every e-mail carries a Message-ID we make (and store on the thread's Message), In-Reply-To and
References pointing at the thread, and the reference number in square brackets in the subject.
Bodies are multipart text + HTML, rendered in the enquirer's preferred language, with dates in
the office time zone. Called by services only; nothing here writes except through mail_queue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from infopoint.hours.calendar import office_zone
from infopoint.mail.services import mail_queue

from . import conf
from .models import Direction, Enquiry, Message

# Mail clients keep the References header short; the first and the last ones matter most.
MAX_REFERENCES = 20


def normalise_message_id(value: str | None) -> str:
    """A Message-ID as stored: without angle brackets and surrounding space."""
    return (value or "").strip().strip("<>").strip()


def new_message_id() -> str:
    """A fresh Message-ID (without angle brackets) in the domain of DEFAULT_FROM_EMAIL."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "infopoint.invalid"
    return normalise_message_id(make_msgid(domain=domain))


def _bracketed(ids: Iterable[str]) -> str:
    return " ".join(f"<{value}>" for value in ids)


def reference_pattern() -> re.Pattern[str]:
    """Finds a reference number of this desk (e.g. IP-2026-000123) in a subject."""
    return re.compile(
        rf"\b({re.escape(conf.reference_prefix())}-\d{{4}}-\d{{6,}})\b", re.IGNORECASE
    )


def tracking_url(*, token: str, language: str) -> str:
    """The absolute private link to an enquiry, in ``language``."""
    with translation.override(language):
        path = reverse("enquiries:track", kwargs={"token": token})
    return conf.site_url() + path


def mail_subject(enquiry: Enquiry, *, reply: bool) -> str:
    """The subject of every e-mail of the thread: same words, reference in square brackets.

    Uses the active language (callers wrap it in translation.override).
    """
    subject = enquiry.subject or gettext("Your enquiry")
    if enquiry.reference.lower() not in subject.lower():
        subject = f"[{enquiry.reference}] {subject}"
    return f"Re: {subject}" if reply or enquiry.channel == "email" else subject


def _thread_ids(enquiry: Enquiry) -> tuple[str, list[str]]:
    """(the last incoming Message-ID, all the thread's Message-IDs oldest first)."""
    rows = list(
        # In the order the desk stored them, which is the order of the conversation.
        enquiry.messages.exclude(email_message_id="")
        .order_by("pk")
        .values_list("direction", "email_message_id")
    )
    last_incoming = next(
        (value for direction, value in reversed(rows) if direction == Direction.IN), ""
    )
    ids = [value for _direction, value in rows]
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return last_incoming, ids


def _render(name: str, context: dict[str, Any]) -> tuple[str, str]:
    text = render_to_string(f"enquiries/email/{name}.txt", context)
    html = render_to_string(f"enquiries/email/{name}.html", context)
    return text, html


def _queue(
    *,
    enquiry: Enquiry,
    message: Message,
    subject: str,
    text: str,
    html: str,
    extra_headers: dict[str, str] | None = None,
) -> None:
    last_incoming, ids = _thread_ids(enquiry)
    ids = [value for value in ids if value != message.email_message_id]
    headers = dict(extra_headers or {})
    if last_incoming or ids:
        headers["In-Reply-To"] = f"<{last_incoming or ids[-1]}>"
        headers["References"] = _bracketed(ids)
    mail_queue(
        to=[enquiry.email],
        subject=subject,
        text=text,
        html=html,
        headers=headers,
        message_id=f"<{message.email_message_id}>",
    )


def _context(enquiry: Enquiry, **extra: Any) -> dict[str, Any]:
    return {
        "enquiry": enquiry,
        "site_name": settings.SITE_NAME,
        "site_url": conf.site_url(),
        **extra,
    }


def acknowledgement_queue(*, enquiry: Enquiry, message: Message, token: str) -> None:
    """Queues the acknowledgement: reference, when the answer is due, the private link.

    ``message`` is the automatic outgoing Message already saved with its Message-ID.
    """
    language = enquiry.preferred_language
    with translation.override(language), timezone.override(office_zone()):
        subject = mail_subject(enquiry, reply=False)
        text, html = _render(
            "acknowledgement",
            _context(enquiry, tracking_url=tracking_url(token=token, language=language)),
        )
    _queue(
        enquiry=enquiry,
        message=message,
        subject=subject,
        text=text,
        html=html,
        # RFC 3834: tells other robots (auto-responders) not to answer this one.
        extra_headers={"Auto-Submitted": "auto-replied"},
    )


def reply_queue(*, enquiry: Enquiry, message: Message) -> None:
    """Queues a consultant's reply (``message``, saved with its Message-ID) to the enquirer."""
    with translation.override(enquiry.preferred_language), timezone.override(office_zone()):
        subject = mail_subject(enquiry, reply=True)
        text, html = _render("reply", _context(enquiry, message=message))
    _queue(enquiry=enquiry, message=message, subject=subject, text=text, html=html)
