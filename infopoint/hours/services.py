"""Every write to opening hours goes through here."""

from datetime import time

from django.db import transaction

from .models import Schedule, WeeklyHours


@transaction.atomic
def schedule_set_weekly_hours(
    *, slug: str, name: str, weekly: dict[int, list[tuple[time, time]]]
) -> tuple[Schedule, bool]:
    """Creates or updates a schedule so that its weekly hours are exactly ``weekly``.

    ``weekly`` maps a weekday (0 = Monday) to its opening intervals. Returns the
    schedule and whether anything changed, so default-content loading stays idempotent.
    """
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
