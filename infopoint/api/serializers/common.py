"""Bodies shared by every endpoint: the error body, the page envelope, JSON type checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

# JSON type checks, with DRF's own (translated) messages.
_NOT_TEXT = serializers.CharField.default_error_messages["invalid"]
_NOT_BOOLEAN = serializers.BooleanField.default_error_messages["invalid"]
_NULL = serializers.Field.default_error_messages["null"]
_NOT_INTEGER = serializers.IntegerField.default_error_messages["invalid"]


def language_choices() -> list[tuple[str, str]]:
    """The site's languages; the schema names this choice set LanguageEnum
    (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"])."""
    return list(settings.LANGUAGES)


_CHOICE_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def named_choice_field(component: str, choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A choice field whose choice set is the schema component ``component``.

    Fields of the same name with other choice sets (an enquiry's status, an appointment's)
    would otherwise collide in the schema's enum names.
    """
    if component not in _CHOICE_FIELDS:
        values = [value for value, _label in choices]
        _CHOICE_FIELDS[component] = extend_schema_field(
            {"type": "string", "enum": values}, component_name=component
        )(type(f"{component}Field", (serializers.ChoiceField,), {}))
    return _CHOICE_FIELDS[component](choices=choices, **kwargs)


def type_problem(field: serializers.Field, value: Any) -> Any:
    """The message when ``value`` is not of the JSON type ``field`` promises, else None."""
    if value is None:
        return None if field.allow_null else _NULL
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _NOT_BOOLEAN
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _NOT_INTEGER
    return None if isinstance(value, str) else _NOT_TEXT


def json_values(
    serializer: serializers.Serializer, data: Any
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The body's values of the serializer's fields that have the right JSON type, and the
    errors of those that do not. A body that is not a JSON object is refused at once; names
    the serializer does not know are ignored, as the site's forms ignore them."""
    if not isinstance(data, Mapping):
        message = serializer.error_messages["invalid"].format(datatype=type(data).__name__)
        raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in serializer.fields.items():
        if name in data:
            problem = type_problem(field, data[name])
            if problem:
                errors[name] = [str(problem)]
            else:
                values[name] = data[name]
    return values, errors


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
