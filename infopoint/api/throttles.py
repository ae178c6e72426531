"""DRF throttles over the core rate limiter (infopoint.core.ratelimit).

Each throttle names a scope and the setting that holds its rate (``10/hour``; ``off``), so
limits are counted in the shared cache and configured like every other limit of the site.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from infopoint.core.ratelimit import client_address, rate_limit_check_rate
from infopoint.enquiries.forms import RATE_SCOPE_EMAIL

logger = logging.getLogger(__name__)


class CoreRateThrottle(BaseThrottle):
    scope = ""
    rate_setting = ""

    def __init__(self) -> None:
        self.retry_after: int | None = None

    def get_key(self, request: Request, view: Any) -> str | None:
        """What is counted; None: this request is not limited by this throttle."""
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        key = self.get_key(request, view)
        if not key:
            return True
        result = rate_limit_check_rate(
            scope=self.scope, key=key, rate=getattr(settings, self.rate_setting)
        )
        if result.hit:
            logger.warning("API request refused: over the %s rate limit.", self.scope)
            self.retry_after = result.retry_after
        return not result.hit

    def wait(self) -> float | None:
        return self.retry_after


class AddressRateThrottle(CoreRateThrottle):
    """Every request of an anonymous caller, per address (settings.API_RATE_PER_ADDRESS).

    Callers signed in with a token are staff: they are not limited by address.
    """

    scope = "api:address"
    rate_setting = "API_RATE_PER_ADDRESS"

    def get_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return client_address(request)


class EnquiryEmailRateThrottle(CoreRateThrottle):
    """Enquiries per e-mail address (settings.ENQUIRY_RATE_PER_EMAIL), counted together with
    the web form's, so no one can flood a person's mailbox with acknowledgements.

    The view checks it after validation, so that only enquiries that would be saved count.
    """

    scope = RATE_SCOPE_EMAIL
    rate_setting = "ENQUIRY_RATE_PER_EMAIL"

    def get_key(self, request: Request, view: Any) -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        return email.strip().lower() if isinstance(email, str) else None


class BookingEmailRateThrottle(CoreRateThrottle):
    """Bookings per e-mail address (settings.APPOINTMENTS_RATE_PER_EMAIL), so no one can
    fill the advisers' week, or a person's mailbox, under one address.

    The view checks it after validation, so that only bookings that would be made count.
    """

    scope = "appointments:email"
    rate_setting = "APPOINTMENTS_RATE_PER_EMAIL"

    def get_key(self, request: Request, view: Any) -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        return email.strip().lower() if isinstance(email, str) and email.strip() else None
