"""Bodies shared by every endpoint: the error body, the page envelope, JSON type checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

# JSON type checks, with DRF's own (translated) messages.
_NOT_TEXT = serializers.CharField.default_error_messages["invalid"]
_NOT_BOOLEAN = serializers.BooleanField.default_error_messages["invalid"]
_NULL = serializers.Field.default_error_messages["null"]


def language_choices() -> list[tuple[str, str]]:
    """The site's languages; the schema names this choice set LanguageEnum
    (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""
    return list(settings.LANGUAGES)


def type_problem(field: serializers.Field, value: Any) -> Any:
    if value is None:
        return None if field.allow_null else _NULL
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _NOT_BOOLEAN
    return None if isinstance(value, str) else _NOT_TEXT


def form_errors(form: Any, names: Any, into: dict[str, list[str]]) -> None:
    for name, messages in form.errors.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name
        if key in names or key == api_settings.NON_FIELD_ERRORS_KEY:
            into.setdefault(key, [str(message) for message in messages])


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_(
            "Messages per field, in the language of the request; errors about the request as "
            "a whole come under non_field_errors."
        ),
    )
