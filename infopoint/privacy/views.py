"""Coordinator pages: the audit log, and data subject requests with their confirmation steps.

Each view parses input, calls one service or selector, and renders. Only coordinators and
administrators open them; anonymous people go to sign in, other staff get a 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from infopoint.accounts.models import Role
from infopoint.accounts.selectors import user_has_role

from .forms import (
    AuditFilterForm,
    EraseForm,
    ExportForm,
    IdentityForm,
    RefuseForm,
    RequestForm,
)
from .models import DataSubjectRequest
from .readable import export_language, export_readable
from .selectors import audit_search, audit_target_types, dsr_list
from .services import (
    dsr_create,
    dsr_erase,
    dsr_export,
    dsr_identity_confirm,
    dsr_records,
    dsr_refuse,
    export_json,
)

PAGE_SIZE = 50
PRIVACY_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)

View = Callable[..., HttpResponseBase]


def coordinator_required(view: View) -> View:
    """Coordinators and administrators only. Pages are never cached: they carry personal data."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_has_role(request.user, PRIVACY_ROLES):
            return render(request, "privacy/forbidden.html", status=403)
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper


def _request_for(pk: int) -> DataSubjectRequest:
    try:
        return dsr_list().get(pk=pk)
    except DataSubjectRequest.DoesNotExist as error:
        raise Http404 from error


@require_GET
@coordinator_required
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET, target_types=audit_target_types())
    valid = form.is_valid()
    events = audit_search(filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/audit_log.html",
        {"form": form, "page": page, "filtered": bool(request.GET)},
        status=200 if valid else 400,
    )


@require_GET
@coordinator_required
def request_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(dsr_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/request_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@coordinator_required
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST) if request.method == "POST" else RequestForm()
    if request.method == "POST":
        if form.is_valid():
            try:
                dsr = dsr_create(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("Request %(reference)s was recorded.") % {"reference": dsr.reference},
                )
                return redirect("privacy:request", pk=dsr.pk)
        return render(request, "privacy/request_new.html", {"form": form}, status=400)
    return render(request, "privacy/request_new.html", {"form": form})


def _add_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _detail(
    request: HttpRequest, dsr: DataSubjectRequest, status: int = 200, **forms_: Any
) -> HttpResponse:
    context = {
        "dsr": dsr,
        "records": dsr_records(dsr=dsr, actor=request.user, request=request),
        "refuse_form": forms_.get("refuse_form") or RefuseForm(),
        "export_form": ExportForm(),
        "errors": forms_.get("errors", []),
    }
    return render(request, "privacy/request_detail.html", context, status=status)


@require_GET
@coordinator_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _request_for(pk))


@require_POST
@coordinator_required
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = _request_for(pk)
    form = ExportForm(request.POST)
    if not form.is_valid():
        errors = [message for field in form.errors.values() for message in field]
        return _detail(request, dsr, status=400, errors=errors)
    fmt = form.cleaned_data["format"]
    try:
        data = dsr_export(dsr=dsr, actor=request.user, request=request, fmt=fmt)
    except ValidationError as error:
        return _detail(request, dsr, status=400, errors=error.messages)
    if fmt == "json":
        response = HttpResponse(export_json(data), content_type="application/json; charset=utf-8")
    else:
        language = export_language(data=data, chosen=form.cleaned_data["language"])
        with translation.override(language):
            context = {"data": export_readable(data), "dsr": dsr, "LANGUAGE_CODE": language}
            page = render_to_string("privacy/export.html", context)
        response = HttpResponse(page, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dsr.reference}.{fmt}"'
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_http_methods(["GET", "POST"])
@coordinator_required
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = _request_for(pk)
    form = EraseForm(request.POST) if request.method == "POST" else EraseForm()
    if request.method == "POST" and form.is_valid():
        try:
            dsr_erase(dsr=dsr, actor=request.user, request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The person's records were erased."))
            return redirect("privacy:request", pk=dsr.pk)
    records = dsr_records(dsr=dsr, actor=request.user, request=request)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/request_erase.html",
        {"dsr": dsr, "records": records, "form": form},
        status=status,
    )


@require_POST
@coordinator_required
def request_identity(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = _request_for(pk)
    form = IdentityForm(request.POST)
    if not form.is_valid():
        return _detail(request, dsr, status=400, errors=form.errors["confirm"])
    try:
        dsr_identity_confirm(dsr=dsr, actor=request.user, request=request)
    except ValidationError as error:
        return _detail(request, dsr, status=400, errors=error.messages)
    messages.success(request, gettext("The person's identity is noted as checked."))
    return redirect("privacy:request", pk=dsr.pk)


@require_POST
@coordinator_required
def request_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    dsr = _request_for(pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            dsr_refuse(
                dsr=dsr, reason=form.cleaned_data["reason"], actor=request.user, request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("The request was refused."))
            return redirect("privacy:request", pk=dsr.pk)
    return _detail(request, dsr, status=400, refuse_form=form)
