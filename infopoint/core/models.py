"""Base models shared by every app: content translated one row per language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def language_choices() -> list[tuple[str, str]]:
    # A callable, so that a language added in settings needs no migration.
    return list(settings.LANGUAGES)


class Translation(models.Model):
    """One language's text of a translatable object.

    Subclasses add a foreign key named after the parent with
    ``related_name="translations"``, their text fields, and a unique
    constraint on (parent, language).
    """

    language = models.CharField(_("language"), max_length=12, choices=language_choices)

    # Set by ``pick_translation``: true when this row stands in for a missing language.
    is_fallback = False

    class Meta:
        abstract = True


def fallback_order(language: str | None = None) -> list[str]:
    """Languages to try for content, best first: the requested one, then the fallbacks."""
    requested = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    order = [requested, *settings.LANGUAGE_FALLBACKS]
    order += [code for code, _name in settings.LANGUAGES]
    return list(dict.fromkeys(order))


TranslationT = TypeVar("TranslationT", bound=Translation)


def pick_translation(
    translations: Iterable[TranslationT], language: str | None = None
) -> TranslationT | None:
    """The translation in ``language``, else the first fallback that exists, marked as such."""
    by_language = {translation.language: translation for translation in translations}
    order = fallback_order(language)
    for code in order:
        if code in by_language:
            chosen = by_language[code]
            chosen.is_fallback = code != order[0]
            return chosen
    return None


class TranslatedModel(models.Model):
    """A model whose text lives in ``translations``; prefetch them to avoid a query per row."""

    if TYPE_CHECKING:
        translations: Any

    class Meta:
        abstract = True

    def translation(self, language: str | None = None) -> Any:
        return pick_translation(self.translations.all(), language)

    @property
    def localised(self) -> Any:
        """The translation for the active language, for use in templates."""
        return self.translation()

    def available_languages(self) -> list[str]:
        return sorted(translation.language for translation in self.translations.all())
