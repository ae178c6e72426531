import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Institution

LANGUAGE_CODE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z0-9]+)?$")


class CommaSeparatedListField(forms.CharField):
    """A list of short strings edited as one line of text, separated by commas."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        text = super().to_python(value) or ""
        return [item.strip() for item in text.split(",") if item.strip()]


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class InstitutionAdminForm(forms.ModelForm):
    phones = CommaSeparatedListField(
        label=_("phone numbers"),
        required=False,
        help_text=_("Exactly as the institution publishes them, separated by commas."),
    )
    languages = CommaSeparatedListField(
        label=_("languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. pl, uk, ru, en."),
    )

    class Meta:
        model = Institution
        formfield_callback = _formfield
        fields = [
            "slug",
            "kind",
            "position",
            "topics",
            "street_address",
            "postal_code",
            "city",
            "phones",
            "fax",
            "email",
            "website",
            "languages",
            "schedule",
            "source_url",
            "reviewed_on",
        ]

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in self.cleaned_data["languages"]]
        wrong = [code for code in codes if not LANGUAGE_CODE_PATTERN.match(code)]
        if wrong:
            raise ValidationError(
                _("Not a language code: %(codes)s."), params={"codes": ", ".join(wrong)}
            )
        return list(dict.fromkeys(codes))
