"""Writing the translation rows of a translated object, and small helpers for editing them."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import TranslatedModel


@transaction.atomic
def translations_upsert(
    *, instance: TranslatedModel, translations: Mapping[str, Mapping[str, Any]]
) -> int:
    """Makes ``instance``'s row in each given language carry exactly the given field values.

    ``translations`` maps a language code to the fields of its row. Languages not
    named are left alone (the coordinator may have written them), and so are
    fields not named. A row is only saved when a value differs, so loading the
    same content twice changes nothing. Returns the number of rows created or changed.
    """
    manager = instance.translations
    parent_field = manager.field.name
    existing = {row.language: row for row in manager.all()}
    changed = 0
    for language, fields in translations.items():
        row = existing.get(language)
        if row is None:
            row = manager.model(**{parent_field: instance, "language": language, **fields})
            row.full_clean()
            row.save()
            changed += 1
            continue
        update_fields = [name for name, value in fields.items() if getattr(row, name) != value]
        if not update_fields:
            continue
        for name in update_fields:
            setattr(row, name, fields[name])
        row.full_clean()
        row.save(update_fields=update_fields)
        changed += 1
    return changed


def configured_languages() -> list[str]:
    """Codes of the languages the site offers, in menu order."""
    return [code for code, _name in settings.LANGUAGES]


def translations_in_configured_languages(
    translations: Mapping[str, Mapping[str, Any]],
) -> dict[str, Mapping[str, Any]]:
    """The given translations less those in languages the site does not offer.

    Default content may carry more languages than a city configures.
    """
    offered = set(configured_languages())
    return {code: fields for code, fields in translations.items() if code in offered}


def missing_language_initial(present: Iterable[str]) -> list[dict[str, str]]:
    """Initial data for blank translation forms: one per offered language not yet written."""
    present = set(present)
    return [{"language": code} for code in configured_languages() if code not in present]


# Admin: one translation form per offered language.


class TranslationInline(admin.StackedInline):
    """Translation rows of an object: as many forms as the site offers languages, no more."""

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        present = obj.translations.count() if obj is not None and obj.pk else 0
        return max(len(settings.LANGUAGES) - present, 0)

    def get_max_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return len(settings.LANGUAGES)


class TranslatedModelAdmin(admin.ModelAdmin):
    """Pre-fills the blank translation forms with the languages still missing.

    A blank form left untouched matches its initial data, so it is not saved.
    """

    def get_formset_kwargs(
        self, request: HttpRequest, obj: Any, inline: Any, prefix: str
    ) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, TranslationInline):
            present = obj.translations.values_list("language", flat=True) if obj.pk else []
            kwargs["initial"] = missing_language_initial(present)
        return kwargs

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return super().get_queryset(request).prefetch_related("translations")

    @admin.display(description=_("name"))
    def name(self, obj: TranslatedModel) -> str:
        translation = obj.translation()
        return translation.name if translation else ""
