"""Default news: content/<city>/news/*.toml, one [[item]] per news item."""

from __future__ import annotations

import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings

from infopoint.core.translations import translations_in_configured_languages
from infopoint.hours.calendar import office_zone

from .models import NewsItem
from .services import TRANSLATED_FIELDS, news_item_upsert


def news_files() -> list[Path]:
    folder = Path(settings.CONTENT_DIR) / "news"
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def news_entries() -> list[dict[str, Any]]:
    """Every [[item]] of the content folder, in file and then file order."""
    entries: list[dict[str, Any]] = []
    for path in news_files():
        with path.open("rb") as handle:
            entries.extend(tomllib.load(handle).get("item", []))
    return entries


def _published_at(value: Any) -> datetime:
    """A TOML date or local date-time, taken in the office's time zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=office_zone())
    return value if value.tzinfo else value.replace(tzinfo=office_zone())


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return date.fromisoformat(value) if isinstance(value, str) else value


def _upsert(entry: dict[str, Any], *, with_related: bool) -> bool:
    translations = {
        code: {field: fields.get(field, "") for field in TRANSLATED_FIELDS}
        for code, fields in translations_in_configured_languages(
            entry.get("translations", {})
        ).items()
    }
    _item, changed = news_item_upsert(
        slug=entry["slug"],
        published_at=_published_at(entry["published_at"]),
        updated_on=_date(entry.get("updated_on")),
        source_url=entry.get("source_url", ""),
        translations=translations,
        related_slugs=entry.get("related", []) if with_related else (),
    )
    return changed


def news_default_content_load() -> int:
    """Creates or updates the items of the content folder by slug.

    New items are created first, so that an item may name as related one that comes later.
    Returns the number of items created or changed; a second run returns 0. The
    coordinator's own items and languages are left alone.
    """
    entries = news_entries()
    existing = set(NewsItem.objects.values_list("slug", flat=True))
    changed = set()
    for entry in entries:
        if entry["slug"] not in existing and _upsert(entry, with_related=False):
            changed.add(entry["slug"])
    for entry in entries:
        if _upsert(entry, with_related=True):
            changed.add(entry["slug"])
    return len(changed)
