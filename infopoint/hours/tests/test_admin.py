from datetime import date, time

import pytest
from django.forms import inlineformset_factory
from django.urls import reverse
from django.utils import translation

from infopoint.hours.admin import ChangedHoursFormSet, WeeklyHoursFormSet
from infopoint.hours.models import ChangedHours, Schedule, ServiceNotice, WeeklyHours

from .factories import (
    ClosureFactory,
    ScheduleFactory,
    ServiceNoticeFactory,
    ServiceNoticeTranslationFactory,
)

pytestmark = pytest.mark.django_db


def formset_data(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def weekly_formset(rows):
    formset_class = inlineformset_factory(
        Schedule, WeeklyHours, formset=WeeklyHoursFormSet, fields=["weekday", "opens", "closes"]
    )
    return formset_class(data=formset_data("weekly_hours", rows), instance=ScheduleFactory())


def changed_formset(rows):
    formset_class = inlineformset_factory(
        Schedule, ChangedHours, formset=ChangedHoursFormSet, fields=["date", "opens", "closes"]
    )
    return formset_class(data=formset_data("changed_hours", rows), instance=ScheduleFactory())


def test_weekly_formset_accepts_a_lunch_break_and_the_same_hours_on_other_days():
    formset = weekly_formset(
        [
            {"weekday": "0", "opens": "09:00", "closes": "12:00"},
            {"weekday": "0", "opens": "12:00", "closes": "17:00"},
            {"weekday": "1", "opens": "09:00", "closes": "17:00"},
        ]
    )
    assert formset.is_valid(), formset.errors


def test_weekly_formset_rejects_overlapping_hours_on_one_weekday():
    with translation.override("en"):
        formset = weekly_formset(
            [
                {"weekday": "0", "opens": "09:00", "closes": "13:00"},
                {"weekday": "0", "opens": "12:00", "closes": "17:00"},
            ]
        )
        assert not formset.is_valid()
        assert formset.non_form_errors() == [
            "Monday: Opening hours 09:00–13:00 and 12:00–17:00 overlap."
        ]


def test_weekly_formset_rejects_inverted_hours():
    with translation.override("en"):
        formset = weekly_formset([{"weekday": "5", "opens": "14:00", "closes": "09:00"}])
        assert not formset.is_valid()
        assert formset.errors[0] == {"closes": ["Closing time must be later than opening time."]}


def test_weekly_formset_ignores_deleted_rows():
    formset = weekly_formset(
        [
            {"weekday": "0", "opens": "09:00", "closes": "13:00"},
            {"weekday": "0", "opens": "12:00", "closes": "17:00", "DELETE": "on"},
        ]
    )
    assert formset.is_valid(), formset.errors


def test_changed_hours_formset_rejects_overlaps_on_one_date_only():
    with translation.override("en"):
        ok = changed_formset(
            [
                {"date": "2026-12-23", "opens": "09:00", "closes": "13:00"},
                {"date": "2026-12-30", "opens": "12:00", "closes": "17:00"},
            ]
        )
        assert ok.is_valid(), ok.errors
        bad = changed_formset(
            [
                {"date": "2026-12-23", "opens": "09:00", "closes": "13:00"},
                {"date": "2026-12-23", "opens": "09:00", "closes": "10:00"},
            ]
        )
        assert not bad.is_valid()
        assert bad.non_form_errors() == [
            "2026-12-23: Opening hours 09:00–10:00 and 09:00–13:00 overlap."
        ]


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:hours_schedule_add",
        "admin:hours_closure_add",
        "admin:hours_servicenotice_add",
        "admin:hours_schedule_changelist",
        "admin:hours_closure_changelist",
        "admin:hours_servicenotice_changelist",
    ],
)
def test_admin_pages_open(admin_client, url_name):
    ScheduleFactory()
    ClosureFactory(starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 2))
    response = admin_client.get(reverse(url_name))
    assert response.status_code == 200


def test_translation_inlines_offer_one_row_per_language(admin_client, settings):
    response = admin_client.get(reverse("admin:hours_servicenotice_add"))
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial.get("language") for form in formset.forms] == [
        code for code, _name in settings.LANGUAGES
    ]


def test_translation_inlines_offer_the_missing_languages(admin_client, settings):
    notice = ServiceNoticeFactory(starts_at="2026-12-01T00:00:00+01:00")
    ServiceNoticeTranslationFactory(notice=notice, language="pl")
    response = admin_client.get(reverse("admin:hours_servicenotice_change", args=[notice.pk]))
    formset = response.context["inline_admin_formsets"][0].formset
    languages = [form.initial.get("language") for form in formset.forms]
    assert languages == [code for code, _name in settings.LANGUAGES]


def test_admin_saves_a_notice_with_two_of_the_languages(admin_client, settings):
    rows = [{"language": code, "title": "", "text": ""} for code, _name in settings.LANGUAGES]
    rows[0].update(title="Tytuł", text="Tekst")
    rows[-1].update(title="Title", text="Text")
    data = {
        "level": "info",
        "starts_at_0": "2026-12-01",
        "starts_at_1": "00:00:00",
        "key": "",
        **formset_data("translations", rows),
    }
    data["translations-INITIAL_FORMS"] = "0"
    response = admin_client.post(reverse("admin:hours_servicenotice_add"), data)
    assert response.status_code == 302, response.context["errors"]
    notice = ServiceNotice.objects.get()
    assert notice.available_languages() == sorted([rows[0]["language"], rows[-1]["language"]])


def test_admin_refuses_overlapping_weekly_hours(admin_client):
    data = {
        "name": "Office",
        "slug": "office",
        **formset_data(
            "weekly_hours",
            [
                {"weekday": "0", "opens": "09:00", "closes": "13:00"},
                {"weekday": "0", "opens": "12:00", "closes": "17:00"},
            ],
        ),
        **formset_data("changed_hours", []),
    }
    with translation.override("en"):
        response = admin_client.post(
            reverse("admin:hours_schedule_add"), data, HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert not Schedule.objects.filter(slug="office").exists()


def test_admin_saves_valid_weekly_hours(admin_client):
    data = {
        "name": "Office",
        "slug": "office",
        **formset_data("weekly_hours", [{"weekday": "5", "opens": "09:00", "closes": "14:00"}]),
        **formset_data("changed_hours", []),
    }
    response = admin_client.post(reverse("admin:hours_schedule_add"), data)
    assert response.status_code == 302
    hours = WeeklyHours.objects.get(schedule__slug="office")
    assert (hours.weekday, hours.opens, hours.closes) == (5, time(9), time(14))


def test_notice_changelist_shows_titles(admin_client):
    ServiceNoticeFactory(starts_at="2026-12-01T00:00:00+01:00")
    response = admin_client.get(reverse("admin:hours_servicenotice_changelist"))
    assert response.status_code == 200
