from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from infopoint.hours.defaults import hours_default_content_load
from infopoint.hours.models import Schedule, ServiceNotice, ServiceNoticeTranslation, WeeklyHours
from infopoint.hours.selectors import notices_in_force

pytestmark = pytest.mark.django_db


def test_default_content_sets_the_points_hours_and_notice(settings):
    assert hours_default_content_load() > 0
    schedule = Schedule.objects.get(slug=settings.OFFICE_SCHEDULE)
    hours = list(schedule.weekly_hours.values_list("weekday", "opens", "closes"))
    assert hours == [
        *[(day, time(9), time(19)) for day in range(5)],
        (5, time(9), time(14)),
    ]
    notice = ServiceNotice.objects.get(key="online-and-phone-only")
    assert notice.starts_at == datetime(2021, 2, 9, tzinfo=ZoneInfo("Europe/Warsaw"))
    assert notice.ends_at is None
    assert notice.available_languages() == sorted(code for code, _name in settings.LANGUAGES)
    assert "Social Policy and Health Department" in notice.translation("en").text
    assert notices_in_force(datetime(2026, 11, 24, tzinfo=ZoneInfo("UTC"))) == [notice]


def test_default_content_twice_changes_nothing():
    hours_default_content_load()
    before = (
        list(WeeklyHours.objects.values()),
        list(ServiceNotice.objects.values()),
        list(ServiceNoticeTranslation.objects.values()),
    )
    assert hours_default_content_load() == 0
    after = (
        list(WeeklyHours.objects.values()),
        list(ServiceNotice.objects.values()),
        list(ServiceNoticeTranslation.objects.values()),
    )
    assert before == after


def test_a_rerun_restores_edited_content():
    hours_default_content_load()
    translation = ServiceNoticeTranslation.objects.get(language="en")
    translation.title = "Edited"
    translation.save()
    assert hours_default_content_load() == 1
    assert ServiceNotice.objects.count() == 1
    assert ServiceNoticeTranslation.objects.get(language="en").title != "Edited"


def test_languages_the_site_does_not_offer_are_skipped(settings):
    settings.LANGUAGES = [("pl", "polski"), ("en", "English")]
    hours_default_content_load()
    assert ServiceNotice.objects.get().available_languages() == ["en", "pl"]


def test_a_city_without_the_file_loads_nothing(settings, tmp_path):
    settings.CONTENT_DIR = tmp_path
    assert hours_default_content_load() == 0
    assert not Schedule.objects.exists()


def test_a_city_file_with_closures_and_an_end_date(settings, tmp_path):
    (tmp_path / "hours.toml").write_text(
        """
[[schedules]]
slug = "town-hall"
name = "Town hall"
[schedules.weekly]
mon = [["08:00", "12:00"], ["13:00", "16:00"]]

[[closures]]
schedule = "town-hall"
starts_on = 2026-12-31
reason.en = "Stocktaking"
reason.pl = "Inwentaryzacja"

[[notices]]
key = "move"
starts_on = 2026-12-01
ends_on = 2026-12-07
[notices.text.en]
title = "We are moving"
text = "Closed for a week."
""",
        encoding="utf-8",
    )
    settings.CONTENT_DIR = tmp_path
    assert hours_default_content_load() == 6
    assert hours_default_content_load() == 0
    notice = ServiceNotice.objects.get(key="move")
    warsaw = ZoneInfo("Europe/Warsaw")
    assert notice.ends_at == datetime(2026, 12, 8, tzinfo=warsaw)
    assert notices_in_force(datetime(2026, 12, 7, 23, tzinfo=warsaw)) == [notice]
    assert notices_in_force(datetime(2026, 12, 8, tzinfo=warsaw)) == []
