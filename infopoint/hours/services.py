"""Every write to opening hours goes through here."""

from collections.abc import Mapping
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction

from .calendar import spans_problems
from .models import (
    Closure,
    ClosureTranslation,
    NoticeLevel,
    Schedule,
    ServiceNotice,
    ServiceNoticeTranslation,
    WeeklyHours,
)


@transaction.atomic
def schedule_set_weekly_hours(
    *, slug: str, name: str, weekly: dict[int, list[tuple[time, time]]]
) -> tuple[Schedule, bool]:
    """Creates or updates a schedule so that its weekly hours are exactly ``weekly``.

    ``weekly`` maps a weekday (0 = Monday) to its opening intervals. Returns the
    schedule and whether anything changed, so default-content loading stays idempotent.
    Inverted or overlapping intervals on one weekday raise ValidationError.
    """
    problems = spans_problems(weekly)
    if problems:
        raise ValidationError([message for _weekday, message in problems])
    schedule, created = Schedule.objects.get_or_create(slug=slug, defaults={"name": name})
    changed = created
    if schedule.name != name:
        schedule.name = name
        schedule.save(update_fields=["name"])
        changed = True
    wanted = {
        (weekday, opens, closes) for weekday, spans in weekly.items() for opens, closes in spans
    }
    existing = {(row.weekday, row.opens, row.closes): row for row in schedule.weekly_hours.all()}
    for key, row in existing.items():
        if key not in wanted:
            row.delete()
            changed = True
    for weekday, opens, closes in sorted(wanted - existing.keys()):
        row = WeeklyHours(schedule=schedule, weekday=weekday, opens=opens, closes=closes)
        row.full_clean()
        row.save()
        changed = True
    return schedule, changed


def _set_translations(
    parent_field: str,
    parent: object,
    model: type[ClosureTranslation] | type[ServiceNoticeTranslation],
    texts: Mapping[str, Mapping[str, str]],
) -> int:
    """Creates or updates one translation row per language; returns the rows changed."""
    changed = 0
    existing = {row.language: row for row in model.objects.filter(**{parent_field: parent})}
    for language, fields in texts.items():
        row = existing.get(language)
        if row is None:
            row = model(**{parent_field: parent, "language": language, **fields})
            row.full_clean()
            row.save()
            changed += 1
            continue
        updates = [name for name, value in fields.items() if getattr(row, name) != value]
        if updates:
            for name in updates:
                setattr(row, name, fields[name])
            row.full_clean()
            row.save(update_fields=updates)
            changed += 1
    return changed


@transaction.atomic
def service_notice_upsert(
    *,
    key: str,
    starts_at: datetime,
    ends_at: datetime | None,
    level: str = NoticeLevel.INFO,
    texts: Mapping[str, Mapping[str, str]],
) -> tuple[ServiceNotice, int]:
    """Creates or updates the notice with this ``key``; ``texts`` maps a language to its
    ``title`` and ``text``. Languages not in settings.LANGUAGES are refused by validation.

    Returns the notice and the number of rows created or changed (0 when all was as wanted).
    """
    notice = ServiceNotice.objects.filter(key=key).first()
    changed = 0
    values = {"starts_at": starts_at, "ends_at": ends_at, "level": level}
    if notice is None:
        notice = ServiceNotice(key=key, **values)
        notice.full_clean()
        notice.save()
        changed += 1
    else:
        updates = [name for name, value in values.items() if getattr(notice, name) != value]
        if updates:
            for name in updates:
                setattr(notice, name, values[name])
            notice.full_clean()
            notice.save(update_fields=updates)
            changed += 1
    changed += _set_translations("notice", notice, ServiceNoticeTranslation, texts)
    return notice, changed


@transaction.atomic
def closure_upsert(
    *,
    schedule: Schedule | None,
    starts_on: date,
    ends_on: date,
    reasons: Mapping[str, str],
) -> tuple[Closure, int]:
    """Creates or updates the closure of ``schedule`` (None: every place) over these days.

    A closure is found again by its schedule and dates; ``reasons`` maps a language to the text.
    Returns the closure and the number of rows created or changed.
    """
    closure = Closure.objects.filter(
        schedule=schedule, starts_on=starts_on, ends_on=ends_on
    ).first()
    changed = 0
    if closure is None:
        closure = Closure(schedule=schedule, starts_on=starts_on, ends_on=ends_on)
        closure.full_clean()
        closure.save()
        changed += 1
    texts = {language: {"reason": reason} for language, reason in reasons.items()}
    changed += _set_translations("closure", closure, ClosureTranslation, texts)
    return closure, changed
