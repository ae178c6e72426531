"""What the API's views share: the documented error answers, Django's errors as the API's."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.settings import api_settings

from infopoint.hours.calendar import office_zone

from ..serializers.common import ErrorSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("The body is not valid; nothing saved.")),
    413: OpenApiResponse(ErrorSerializer, description=_("The body is too large.")),
    429: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "Too many requests; the Retry-After header says in how many seconds to retry."
        ),
    ),
}


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as the API's errors, per field."""
    if hasattr(error, "error_dict"):
        return {
            api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name: messages
            for name, messages in error.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}


def local(value: datetime) -> str:
    """A moment in ISO 8601 with the offset of the office's zone."""
    return timezone.localtime(value, office_zone()).isoformat()
