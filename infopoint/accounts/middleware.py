"""Staff sessions end after a while idle and after a maximum age; two-factor can be required."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext

from . import conf
from .selectors import two_factor_enabled

SIGNED_IN_AT = "accounts:signed_in_at"
SEEN_AT = "accounts:seen_at"
# Seen-times are written at most this often, so most requests do not save the session.
SEEN_RESOLUTION_SECONDS = 60
# Pages a member of staff who must set up two-factor sign-in can still open.
OPEN_WITHOUT_TWO_FACTOR = {"sign_in", "sign_in_code", "sign_out", "two_factor_setup"}


def session_start(request: HttpRequest) -> None:
    """Marks the moment of signing in (call right after ``login``)."""
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[SEEN_AT] = now


def session_start_on_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request)


def session_expired(request: HttpRequest, *, now: float) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    seen_at = request.session.get(SEEN_AT)
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return True  # a session older than these limits: sign in again once
    return (
        now - seen_at > conf.idle_timeout().total_seconds()
        or now - signed_in_at > conf.session_max_age().total_seconds()
    )


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponseBase | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = time.time()
        if session_expired(request, now=now):
            logout(request)
            messages.info(
                request, gettext("You were signed out because the session ended. Sign in again.")
            )
            return redirect_to_login(request.get_full_path())
        elif now - request.session.get(SEEN_AT, now) > SEEN_RESOLUTION_SECONDS:
            request.session[SEEN_AT] = now
        match = request.resolver_match
        exempt = bool(
            match and match.app_name == "accounts" and match.url_name in OPEN_WITHOUT_TWO_FACTOR
        )
        if conf.require_two_factor() and not exempt and not two_factor_enabled(user):
            return redirect("accounts:two_factor_setup")
        return None
