"""Default content of the directory app, read from the content folder (CONTENT_DIR)."""

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from django.conf import settings

from infopoint.core.content import read_content_file
from infopoint.core.translations import translations_in_configured_languages
from infopoint.hours.models import Schedule
from infopoint.hours.services import schedule_set_weekly_hours

from .services import institution_upsert

# Gaps between positions leave room for a coordinator to insert an institution.
POSITION_STEP = 10
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TRANSLATED_FIELDS = ("name", "description", "rooms", "hours_note")


def weekly_hours_parse(hours: Mapping[str, list[str]]) -> dict[int, list[tuple[time, time]]]:
    """{"mon": ["09:00-19:00"], …} as the hours app wants it: weekday 0 = Monday."""
    weekly: dict[int, list[tuple[time, time]]] = {}
    for day, spans in hours.items():
        weekday = WEEKDAYS.index(day)
        for span in spans:
            opens, closes = (time.fromisoformat(part.strip()) for part in span.split("-"))
            weekly.setdefault(weekday, []).append((opens, closes))
    return weekly


def _schedule_for(
    slug: str, entry: Mapping[str, Any], names: Mapping[str, str]
) -> tuple[Schedule, bool]:
    # A schedule that exists keeps its name: the hours app (for the point itself)
    # or the coordinator may have named it, and renaming it back would not be idempotent.
    existing = Schedule.objects.filter(slug=slug).values_list("name", flat=True).first()
    name = existing or names.get(settings.LANGUAGE_CODE) or next(iter(names.values()), slug)
    return schedule_set_weekly_hours(
        slug=slug, name=name, weekly=weekly_hours_parse(entry["hours"])
    )


def directory_default_content_load() -> int:
    """Creates or updates the institutions of ``directory.toml`` by slug, in the file's order.

    Institutions with ``hours`` get a schedule of the same slug (the point's own is
    "information-point", shared with the hours app). Topics must be loaded first.
    Returns the number of institutions created or changed; a second run returns 0.
    """
    content = read_content_file("directory.toml")
    changed = 0
    for index, entry in enumerate(content.get("institutions", []), start=1):
        slug = entry["slug"]
        translations = {
            code: {field: fields.get(field, "").strip() for field in TRANSLATED_FIELDS}
            for code, fields in translations_in_configured_languages(entry["translations"]).items()
        }
        names = {code: fields["name"] for code, fields in translations.items()}
        schedule, schedule_changed = (
            _schedule_for(slug, entry, names) if "hours" in entry else (None, False)
        )
        reviewed_on = entry["reviewed_on"]
        if isinstance(reviewed_on, str):
            reviewed_on = date.fromisoformat(reviewed_on)
        _institution, institution_changed = institution_upsert(
            slug=slug,
            kind=entry["kind"],
            position=index * POSITION_STEP,
            street_address=entry.get("street_address", ""),
            postal_code=entry.get("postal_code", ""),
            city=entry.get("city", ""),
            phones=entry.get("phones", []),
            fax=entry.get("fax", ""),
            email=entry.get("email", ""),
            website=entry.get("website", ""),
            languages=entry.get("languages", []),
            topic_slugs=entry.get("topics", []),
            schedule=schedule,
            source_url=entry["source_url"],
            reviewed_on=reviewed_on,
            translations=translations,
        )
        changed += institution_changed or schedule_changed
    return changed
