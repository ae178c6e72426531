"""Staff sign-in, two-factor set-up, password change, sign-out and sign-in history.

Each view parses the form, calls one service and renders; the rules live in services.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from infopoint.core.ratelimit import client_address

from . import conf, twofactor
from .forms import (
    CodeForm,
    PasswordConfirmForm,
    SetUpForm,
    SignInForm,
    StaffPasswordChangeForm,
)
from .models import DESK_ROLES, Role, User
from .selectors import (
    recovery_codes_left,
    sees_everyones_sign_ins,
    sign_in_history,
    two_factor_enabled,
    user_has_role,
)
from .services import (
    SignInRefused,
    recovery_codes_regenerate,
    sign_in_code,
    sign_in_password,
    sign_in_succeeded,
    two_factor_disable,
    two_factor_enable,
)

PENDING = "accounts:pending"
SETUP_SECRET = "accounts:setup_secret"  # noqa: S105  # nosec B105  # a session key, not a secret
NEW_CODES = "accounts:new_recovery_codes"
HISTORY_PAGE_SIZE = 50
COORDINATION_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)

View = Callable[..., HttpResponseBase]


def private(view: View) -> View:
    """Never cached, no Referer sent elsewhere: these pages hold secrets or personal data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"  # no-referrer would send Origin: null
        return response

    return wrapper


def _next_url(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _complete(request: HttpRequest, *, user: User, backend: str, next_url: str) -> HttpResponse:
    login(request, user, backend=backend)  # starts the session clock (apps.py)
    sign_in_succeeded(user=user, address=client_address(request))
    return redirect(next_url)


@private
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = sign_in_password(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    address=client_address(request),
                    request=request,
                )
            except SignInRefused as refusal:
                form.add_error(None, refusal.message)
                status = 403
            else:
                backend = str(getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]))
                if not two_factor_enabled(user):
                    return _complete(request, user=user, backend=backend, next_url=next_url)
                request.session.cycle_key()
                request.session[PENDING] = {
                    "user": user.pk,
                    "backend": backend,
                    "at": time.time(),
                    "next": next_url,
                }
                return redirect("accounts:sign_in_code")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url}, status=status)


@private
@require_http_methods(["GET", "POST"])
def sign_in_code_view(request: HttpRequest) -> HttpResponse:
    pending: dict[str, Any] = request.session.get(PENDING) or {}
    fresh = time.time() - float(pending.get("at", 0)) < conf.PENDING_SECONDS
    user = (
        User.objects.filter(pk=int(pending.get("user", 0)), is_active=True).first()
        if fresh
        else None
    )
    if user is None:
        request.session.pop(PENDING, None)
        messages.info(request, gettext("Signing in took too long. Please start again."))
        return redirect("accounts:sign_in")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                sign_in_code(
                    user=user, code=form.cleaned_data["code"], address=client_address(request)
                )
            except SignInRefused as refusal:
                form.add_error("code", refusal.message)
                status = 403
            else:
                del request.session[PENDING]
                return _complete(
                    request, user=user, backend=pending["backend"], next_url=pending["next"]
                )
    return render(request, "accounts/sign_in_code.html", {"form": form}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, gettext("You have signed out."))
    return redirect("accounts:sign_in")


def admin_sign_in(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
    """The admin's own sign-in page sends staff here, so every sign-in has the same checks."""
    if request.user.is_authenticated:
        # Signed in but not admitted by the admin (no staff flag): not a sign-in problem.
        messages.info(request, gettext("Your account has no access to the administration."))
        return redirect("accounts:home")
    target = resolve_url("accounts:sign_in")
    if request.GET.get("next"):
        target = f"{target}?{request.GET.urlencode()}"
    return redirect(target)


@private
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "works_desk": user_has_role(user, DESK_ROLES),
            "keeps_agenda": user_has_role(user, (Role.ADVISER, *COORDINATION_ROLES)),
            "coordinates": user_has_role(user, COORDINATION_ROLES),
            "two_factor": two_factor_enabled(user),
            "required": conf.require_two_factor(),
            "codes_left": recovery_codes_left(user),  # type: ignore[arg-type]
            "attempts": sign_in_history(viewer=user)[:5],
        },
    )


@private
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if two_factor_enabled(user):
        return redirect("accounts:home")
    secret = request.session.get(SETUP_SECRET)
    if not isinstance(secret, str):
        secret = request.session[SETUP_SECRET] = twofactor.secret_new()
    form = SetUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = two_factor_enable(user=user, secret=secret, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                del request.session[SETUP_SECRET]
                request.session[NEW_CODES] = codes
                messages.success(request, gettext("Two-factor sign-in is on."))
                return redirect("accounts:recovery_codes")
    uri = twofactor.provisioning_uri(secret=secret, username=user.get_username())
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(uri),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "required": conf.require_two_factor(),
        },
        status=status,
    )


@private
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once; a POST with the password makes new ones."""
    user: User = request.user  # type: ignore[assignment]
    if not two_factor_enabled(user):
        return redirect("accounts:two_factor_setup")
    form = PasswordConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                codes = recovery_codes_regenerate(
                    user=user,
                    password=form.cleaned_data["password"],
                    address=client_address(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[NEW_CODES] = codes
                return redirect("accounts:recovery_codes")
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "form": form,
            "codes": request.session.pop(NEW_CODES, None) if request.method == "GET" else None,
            "codes_left": recovery_codes_left(user),
        },
        status=status,
    )


@private
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not two_factor_enabled(user):
        return redirect("accounts:home")
    form = PasswordConfirmForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                two_factor_disable(
                    user=user,
                    password=form.cleaned_data["password"],
                    address=client_address(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("Two-factor sign-in is off."))
                return redirect("accounts:home")
    return render(
        request,
        "accounts/two_factor_off.html",
        {"form": form, "required": conf.require_two_factor()},
        status=status,
    )


@private
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = StaffPasswordChangeForm(
        request.user,
        request.POST if request.method == "POST" else None,
        address=client_address(request),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = form.save()
            update_session_auth_hash(request, user)
            messages.success(request, gettext("Your password has been changed."))
            return redirect("accounts:home")
    return render(request, "accounts/password_change.html", {"form": form}, status=status)


@private
@login_required
def sign_ins(request: HttpRequest) -> HttpResponse:
    """The viewer's sign-ins; coordinators and administrators may see everyone's."""
    everyone = request.GET.get("who") == "everyone" and sees_everyones_sign_ins(request.user)
    attempts = sign_in_history(viewer=request.user, everyone=everyone)
    page = Paginator(attempts, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/sign_ins.html",
        {
            "page": page,
            "everyone": everyone,
            "may_see_everyone": sees_everyones_sign_ins(request.user),
        },
    )
