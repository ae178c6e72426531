"""The one gate of the report pages: coordinators and administrators only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from infopoint.accounts.models import Role
from infopoint.accounts.selectors import user_has_role

View = Callable[..., HttpResponseBase]
REPORT_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)


def user_reads_reports(user: Any) -> bool:
    return user_has_role(user, REPORT_ROLES)


def coordinator_required(view: View) -> View:
    """Anonymous people go to sign in; staff of other roles get a 403 page. Never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_reads_reports(request.user):
            return render(request, "reports/forbidden.html", status=403)
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper
