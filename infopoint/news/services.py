"""Every write to the news goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from infopoint.core.translations import translations_upsert

from .models import NewsItem

TRANSLATED_FIELDS = ("title", "lead", "body", "picture_alt")


def picture_descriptions_missing(*, has_picture: bool, translations: Iterable[Any]) -> list[str]:
    """Languages whose text lacks a description of the item's picture.

    ``translations`` are rows or mappings with ``language`` and ``picture_alt``. A picture
    must be described in every language it is shown in (WCAG 1.1.1).
    """
    if not has_picture:
        return []
    missing = []
    for row in translations:
        get = row.get if isinstance(row, Mapping) else lambda name, row=row: getattr(row, name)
        if not str(get("picture_alt") or "").strip():
            missing.append(str(get("language")))
    return sorted(missing)


def _missing_descriptions_error(languages: list[str]) -> ValidationError:
    return ValidationError(
        _("Describe the picture in every language. Missing: %(languages)s."),
        params={"languages": ", ".join(languages)},
        code="picture_alt",
    )


@transaction.atomic
def news_item_upsert(
    *,
    slug: str,
    published_at: datetime | None,
    translations: Mapping[str, Mapping[str, str]],
    updated_on: date | None = None,
    source_url: str = "",
    related_slugs: Iterable[str] = (),
) -> tuple[NewsItem, bool]:
    """Creates the news item ``slug`` or brings every given field to the given value.

    ``translations`` maps a language code to {"title", "lead", "body", "picture_alt"};
    languages not named are left alone. Related items that do not exist are an error, so
    nothing is half-written. Returns the item and whether anything was created or changed.
    """
    if published_at is not None and timezone.is_naive(published_at):
        raise ValidationError(_("The publish time needs a time zone."))
    related = list(NewsItem.objects.filter(slug__in=set(related_slugs)).exclude(slug=slug))
    unknown = sorted(set(related_slugs) - {item.slug for item in related} - {slug})
    if unknown:
        raise ValidationError(
            _("No news item with the slug %(slugs)s."), params={"slugs": ", ".join(unknown)}
        )
    values: dict[str, Any] = {
        "published_at": published_at,
        "updated_on": updated_on,
        "source_url": source_url,
    }
    item = NewsItem.objects.filter(slug=slug).first()
    changed = False
    if item is None:
        item = NewsItem(slug=slug, **values)
        item.full_clean()
        item.save()
        changed = True
    else:
        update_fields = [name for name, value in values.items() if getattr(item, name) != value]
        if update_fields:
            for name in update_fields:
                setattr(item, name, values[name])
            item.full_clean()
            item.save(update_fields=update_fields)
            changed = True
    changed |= bool(translations_upsert(instance=item, translations=translations))
    missing = picture_descriptions_missing(
        has_picture=bool(item.picture), translations=item.translations.all()
    )
    if missing:
        raise _missing_descriptions_error(missing)
    if {other.pk for other in item.related.all()} != {other.pk for other in related}:
        item.related.set(related)
        changed = True
    return item, changed


@transaction.atomic
def news_item_publish(*, item: NewsItem, at: datetime | None = None) -> NewsItem:
    """Publishes ``item`` now, or schedules it for ``at``; the first publish time is kept.

    A last-update date before the new publish date says nothing any more, so it is dropped.
    """
    if item.published_at is not None and item.published_at <= timezone.now():
        return item
    if at is not None and timezone.is_naive(at):
        raise ValidationError(_("The publish time needs a time zone."))
    item.published_at = at or timezone.now()
    if item.updated_on is not None and item.updated_on < timezone.localdate(item.published_at):
        item.updated_on = None
    item.full_clean()
    item.save(update_fields=["published_at", "updated_on"])
    return item


@transaction.atomic
def news_item_unpublish(*, item: NewsItem) -> NewsItem:
    """Takes ``item`` off the site (back to draft)."""
    item.published_at = None
    item.full_clean()
    item.save(update_fields=["published_at"])
    return item


def picture_check(picture: File) -> None:
    """Raises ValidationError unless ``picture`` is an image of an allowed type and size."""
    errors: list[ValidationError] = []
    for validator in NewsItem._meta.get_field("picture").validators:
        try:
            validator(picture)
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    # Pillow opens and verifies the file: a renamed PDF or a broken upload is refused here.
    forms.ImageField().to_python(picture)
    picture.seek(0)


@transaction.atomic
def news_item_picture_set(
    *, item: NewsItem, picture: File | None, descriptions: Mapping[str, str]
) -> NewsItem:
    """Gives ``item`` a picture (None removes it) described in each language of its text.

    ``descriptions`` maps a language code to what the picture shows. The picture is checked
    (an image, an allowed type and size) and every language described before anything is
    saved.
    """
    rows = list(item.translations.all())
    for row in rows:
        if row.language in descriptions:
            row.picture_alt = descriptions[row.language].strip()
    missing = picture_descriptions_missing(has_picture=picture is not None, translations=rows)
    if missing:
        raise _missing_descriptions_error(missing)
    if picture is None:
        item.picture = None  # type: ignore[assignment]
        item.picture_width = item.picture_height = None
    else:
        picture_check(picture)
        item.picture.save(Path(picture.name or "picture").name, picture, save=False)
    item.save(update_fields=["picture", "picture_width", "picture_height"])
    for row in rows:
        row.full_clean()
        row.save(update_fields=["picture_alt"])
    return item
