"""One error body for every endpoint of the API: ``{"errors": {"field": ["message"]}}``.

Errors that belong to no field (a body that is not JSON, too many requests, a missing token)
come under ``non_field_errors``. Messages are translated into the language of the request
(Accept-Language). Nested fields are named with dots (``address.city``, ``items.0.name``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def _flatten(detail: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key)
            if name == api_settings.NON_FIELD_ERRORS_KEY and prefix:
                name = prefix
            elif prefix:
                name = f"{prefix}.{name}"
            _flatten(value, name, into)
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                _flatten(item, f"{prefix}.{index}" if prefix else str(index), into)
            else:
                _flatten(item, prefix, into)
    else:
        into.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).append(str(detail))


def error_body(detail: Any) -> dict[str, dict[str, list[str]]]:
    """An exception's detail (a message, a list or a dict of them) as the API's error body."""
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        detail = detail["detail"]
    errors: dict[str, list[str]] = {}
    _flatten(detail, "", errors)
    return {"errors": errors}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status codes, Retry-After, WWW-Authenticate), with the API's body.

    A body over Django's DATA_UPLOAD_MAX_MEMORY_SIZE is answered 413 here, not with the
    site's HTML error page. A look-up that finds nothing (``enquiry_for_staff`` and the like
    raise the model's DoesNotExist) is a 404, as on the site.
    """
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, ObjectDoesNotExist):
        exc = NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(response.data)
    return response
