"""The enquiry-flood alarm: too many enquiries from one sender, or in all, in a short time.

A flood is more than settings.ENQUIRY_FLOOD_PER_SENDER enquiries from one e-mail address or
phone number, or more than settings.ENQUIRY_FLOOD_TOTAL enquiries in all, received within the
last settings.ENQUIRY_FLOOD_WINDOW_MINUTES (every channel: web, API, e-mail, staff). Staff see
the floods under way at the top of the inbox; the coordinators get one e-mail per flood and
window. The alarm refuses nothing: the rate limits do that (core/ratelimit.py); mail and the
counter intake of staff are never refused, so a flood there must be seen by a person.

Senders are counted by what the enquiry stores; the addresses web requests came from are not
stored (privacy), and their enquiries are limited per address by ENQUIRY_RATE_PER_ADDRESS.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from infopoint.accounts.models import Role, User
from infopoint.mail.services import mail_queue

from . import conf
from .models import Enquiry

logger = logging.getLogger(__name__)

SENDER = "sender"
TOTAL = "total"


@dataclass(frozen=True)
class Flood:
    kind: str  # SENDER or TOTAL
    count: int
    limit: int
    # The e-mail address or phone number of a sender's flood; empty for the total.
    sender: str = ""


def _window() -> timedelta:
    return timedelta(minutes=settings.ENQUIRY_FLOOD_WINDOW_MINUTES)


def flood_current(*, now: datetime | None = None) -> list[Flood]:
    """The floods under way now (see the module's docstring); the total first."""
    now = now or timezone.now()
    recent = Enquiry.objects.filter(created_at__gt=now - _window(), created_at__lte=now)
    floods: list[Flood] = []
    total_limit = settings.ENQUIRY_FLOOD_TOTAL
    total = recent.count()
    if total > total_limit:
        floods.append(Flood(kind=TOTAL, count=total, limit=total_limit))
    sender_limit = settings.ENQUIRY_FLOOD_PER_SENDER
    for field in ("email", "phone"):
        rows = (
            recent.exclude(**{field: ""})
            .annotate(sender=Lower(field))
            .values("sender")
            .annotate(count=Count("pk"))
            .filter(count__gt=sender_limit)
            .order_by("-count", "sender")
        )
        floods.extend(
            Flood(kind=SENDER, count=row["count"], limit=sender_limit, sender=row["sender"])
            for row in rows
        )
    return floods


def _coordinator_addresses() -> list[str]:
    coordinators = User.objects.filter(
        groups__name=Role.COORDINATOR, is_active=True, email__gt=""
    ).distinct()
    return sorted({user.email for user in coordinators})


def _alarm_key(flood: Flood, now: datetime) -> str:
    # One e-mail per flood and window: the window's index is part of the key.
    index = int(now.timestamp() // _window().total_seconds())
    sender = hashlib.sha256(flood.sender.encode()).hexdigest()[:16]
    return f"enquiries:flood:{flood.kind}:{sender}:{index}"


def flood_describe(flood: Flood) -> str:
    """One translated sentence about ``flood``, for the inbox notice and the e-mail."""
    minutes = settings.ENQUIRY_FLOOD_WINDOW_MINUTES
    if flood.kind == TOTAL:
        return gettext(
            "%(count)s enquiries arrived in the last %(minutes)s minutes (alarm above %(limit)s)."
        ) % {"count": flood.count, "minutes": minutes, "limit": flood.limit}
    return gettext(
        "%(count)s enquiries from %(sender)s arrived in the last %(minutes)s minutes "
        "(alarm above %(limit)s)."
    ) % {"count": flood.count, "sender": flood.sender, "minutes": minutes, "limit": flood.limit}


def flood_alarm(*, now: datetime | None = None) -> list[Flood]:
    """Checks for floods; logs each and e-mails the coordinators once per flood and window.

    Returns the floods found. Called after each new enquiry is committed (services.py).
    ``cache.add`` is atomic in every cache the project uses, so two processes that see the
    same flood send one e-mail.
    """
    now = now or timezone.now()
    floods = flood_current(now=now)
    if not floods:
        return floods
    timeout = int(_window().total_seconds())
    new = [flood for flood in floods if cache.add(_alarm_key(flood, now), True, timeout=timeout)]
    for flood in new:
        logger.warning(
            "Enquiry flood: %s enquiries (%s, limit %s).", flood.count, flood.kind, flood.limit
        )
    recipients = _coordinator_addresses()
    if new and recipients:
        with translation.override(settings.LANGUAGE_CODE):
            inbox = conf.site_url() + reverse("enquiries:staff:inbox")
            lines = [flood_describe(flood) for flood in new]
            text = "\n".join(
                [
                    *lines,
                    "",
                    gettext("Look at the new enquiries in the inbox: %(url)s") % {"url": inbox},
                ]
            )
            mail_queue(
                to=recipients,
                subject=gettext("Alarm: unusually many enquiries"),
                text=text,
            )
    return floods
