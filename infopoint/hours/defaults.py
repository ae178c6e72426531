"""Default content of the hours app, read from the content folder (CONTENT_DIR): ``hours.toml``.

The file's layout is described at its top. Texts in languages the site does not offer
(settings.LANGUAGES) are skipped, so a city may ship more languages than it turns on.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from infopoint.core.content import read_content_file

from .calendar import office_zone
from .models import NoticeLevel, Schedule
from .services import closure_upsert, schedule_set_weekly_hours, service_notice_upsert

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@transaction.atomic
def hours_default_content_load() -> int:
    """Creates or updates schedules, closures and notices; returns the rows created or changed."""
    content = read_content_file("hours.toml")
    changed = 0
    for entry in content.get("schedules", []):
        _schedule, schedule_changed = schedule_set_weekly_hours(
            slug=entry["slug"], name=entry["name"], weekly=_weekly(entry.get("weekly", {}))
        )
        changed += int(schedule_changed)
    for entry in content.get("closures", []):
        slug = entry.get("schedule")
        _closure, closure_changed = closure_upsert(
            schedule=Schedule.objects.get(slug=slug) if slug else None,
            starts_on=entry["starts_on"],
            ends_on=entry.get("ends_on", entry["starts_on"]),
            reasons=_offered(entry.get("reason", {})),
        )
        changed += closure_changed
    for entry in content.get("notices", []):
        _notice, notice_changed = service_notice_upsert(
            key=entry["key"],
            starts_at=_moment(entry["starts_on"]),
            ends_at=_moment(entry["ends_on"] + timedelta(days=1)) if "ends_on" in entry else None,
            level=entry.get("level", NoticeLevel.INFO),
            texts=_offered(
                {
                    language: {"title": text["title"], "text": text["text"]}
                    for language, text in entry.get("text", {}).items()
                }
            ),
        )
        changed += notice_changed
    return changed


def _weekly(weekly: Mapping[str, Any]) -> dict[int, list[tuple[time, time]]]:
    unknown = set(weekly) - set(WEEKDAYS)
    if unknown:
        raise ImproperlyConfigured(
            f"hours.toml: unknown weekdays {sorted(unknown)}; use {', '.join(WEEKDAYS)}."
        )
    return {
        WEEKDAYS.index(day): [(_time(opens), _time(closes)) for opens, closes in spans]
        for day, spans in weekly.items()
    }


def _time(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def _moment(value: date | datetime) -> datetime:
    """A TOML date means the start of that day in the office time zone."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=office_zone())
    return datetime.combine(value, time(0), tzinfo=office_zone())


def _offered(texts: Mapping[str, Any]) -> dict[str, Any]:
    offered = {code for code, _name in settings.LANGUAGES}
    return {language: text for language, text in texts.items() if language in offered}
