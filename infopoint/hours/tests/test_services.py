from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from infopoint.hours.models import ChangedHours, Closure, ServiceNotice, WeeklyHours
from infopoint.hours.services import (
    closure_upsert,
    schedule_set_weekly_hours,
    service_notice_upsert,
)

from .factories import ScheduleFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def test_schedule_set_weekly_hours_is_idempotent():
    weekly = {0: [(time(9), time(12)), (time(13), time(17))], 5: [(time(9), time(14))]}
    schedule, changed = schedule_set_weekly_hours(slug="office", name="Office", weekly=weekly)
    assert changed
    assert schedule.weekly_hours.count() == 3
    _schedule, changed = schedule_set_weekly_hours(slug="office", name="Office", weekly=weekly)
    assert not changed
    _schedule, changed = schedule_set_weekly_hours(
        slug="office", name="Office", weekly={0: [(time(9), time(17))]}
    )
    assert changed
    assert list(schedule.weekly_hours.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(17))
    ]


@pytest.mark.parametrize(
    "weekly",
    [
        {0: [(time(9), time(12)), (time(11), time(14))]},
        {0: [(time(14), time(9))]},
        {0: [(time(9), time(9))]},
    ],
)
def test_schedule_set_weekly_hours_refuses_overlapping_or_inverted_hours(weekly):
    with pytest.raises(ValidationError):
        schedule_set_weekly_hours(slug="office", name="Office", weekly=weekly)
    assert not WeeklyHours.objects.exists()


def test_models_refuse_inverted_hours_in_clean():
    schedule = ScheduleFactory()
    with pytest.raises(ValidationError) as weekly_error:
        WeeklyHours(schedule=schedule, weekday=0, opens=time(19), closes=time(9)).full_clean()
    assert "closes" in weekly_error.value.message_dict
    with pytest.raises(ValidationError) as changed_error:
        ChangedHours(
            schedule=schedule, date=date(2026, 12, 23), opens=time(12), closes=time(12)
        ).full_clean()
    assert "closes" in changed_error.value.message_dict
    with pytest.raises(ValidationError) as closure_error:
        Closure(
            schedule=schedule, starts_on=date(2026, 12, 2), ends_on=date(2026, 12, 1)
        ).full_clean()
    assert "ends_on" in closure_error.value.message_dict
    with pytest.raises(ValidationError) as notice_error:
        ServiceNotice(
            starts_at=datetime(2026, 12, 2, tzinfo=WARSAW),
            ends_at=datetime(2026, 12, 1, tzinfo=WARSAW),
        ).full_clean()
    assert "ends_at" in notice_error.value.message_dict


def test_service_notice_upsert_updates_by_key():
    texts = {"en": {"title": "Online only", "text": "By phone and online."}}
    starts = datetime(2021, 2, 9, tzinfo=WARSAW)
    _notice, changed = service_notice_upsert(
        key="online", starts_at=starts, ends_at=None, texts=texts
    )
    assert changed == 2
    _notice, changed = service_notice_upsert(
        key="online", starts_at=starts, ends_at=None, texts=texts
    )
    assert changed == 0
    _notice, changed = service_notice_upsert(
        key="online",
        starts_at=starts,
        ends_at=None,
        texts={**texts, "pl": {"title": "Tylko online", "text": "Telefonicznie i online."}},
    )
    assert changed == 1
    assert ServiceNotice.objects.get().available_languages() == ["en", "pl"]


def test_service_notice_keys_are_unique_but_may_be_empty():
    starts = datetime(2021, 2, 9, tzinfo=WARSAW)
    ServiceNotice.objects.create(starts_at=starts)
    ServiceNotice(starts_at=starts).full_clean()
    ServiceNotice.objects.create(starts_at=starts, key="online")
    with pytest.raises(ValidationError):
        ServiceNotice(starts_at=starts, key="online").full_clean()


def test_closure_upsert_is_idempotent():
    schedule = ScheduleFactory()
    reasons = {"en": "Stocktaking", "pl": "Inwentaryzacja"}
    day = date(2026, 12, 31)
    _closure, changed = closure_upsert(
        schedule=schedule, starts_on=day, ends_on=day, reasons=reasons
    )
    assert changed == 3
    _closure, changed = closure_upsert(
        schedule=schedule, starts_on=day, ends_on=day, reasons=reasons
    )
    assert changed == 0
