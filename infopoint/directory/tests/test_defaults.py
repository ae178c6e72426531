import re
from datetime import date, time
from urllib.parse import urlsplit

from django.conf import settings

from infopoint.core.content import read_content_file
from infopoint.directory.defaults import directory_default_content_load, weekly_hours_parse
from infopoint.directory.models import Institution, InstitutionTranslation
from infopoint.hours.models import Schedule, WeeklyHours
from infopoint.topics.models import Topic

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _row_snapshot() -> dict[str, list]:
    return {
        "institutions": list(Institution.objects.order_by("pk").values()),
        "translations": list(InstitutionTranslation.objects.order_by("pk").values()),
        "topics": list(Institution.topics.through.objects.order_by("pk").values()),
        "schedules": list(Schedule.objects.order_by("pk").values()),
        "weekly_hours": list(WeeklyHours.objects.order_by("pk").values()),
    }


def test_second_run_returns_zero_and_changes_no_row(directory):
    assert directory == len(read_content_file("directory.toml")["institutions"])
    before = _row_snapshot()

    assert directory_default_content_load() == 0
    assert _row_snapshot() == before


def test_a_changed_phone_is_restored_and_counted(directory):
    Institution.objects.filter(slug="information-point").update(phones=["000"])

    assert directory_default_content_load() == 1
    assert Institution.objects.get(slug="information-point").phones == ["887 201 598"]


def test_every_institution_has_every_offered_language_and_a_source(directory):
    codes = sorted(code for code, _name in settings.LANGUAGES)
    for institution in Institution.objects.prefetch_related("translations"):
        assert institution.available_languages() == codes, institution.slug
        assert all(t.name and t.description for t in institution.translations.all())
        assert institution.source_url.startswith(("http://", "https://"))
        assert institution.reviewed_on == date(2026, 11, 24)


def test_the_information_point_as_the_seed_gives_it(directory):
    point = Institution.objects.get(slug="information-point")

    assert point.kind == "information-point"
    assert point.street_address == "ul. Jana Dekerta 24"
    assert point.city == "Kraków"
    assert point.translation("en").rooms == "block B, room 12"
    assert point.phones == ["887 201 598"]
    assert point.languages == ["pl", "uk", "ru", "en"]
    assert point.email == ""  # the site shows settings.CONTACT_EMAIL
    assert point.topics.count() == Topic.objects.count() == 13
    assert point.schedule.slug == "information-point"
    weekly = {(row.weekday, row.opens, row.closes) for row in point.schedule.weekly_hours.all()}
    assert weekly == {
        *((day, time(9), time(19)) for day in range(5)),
        (5, time(9), time(14)),
    }


def test_the_department_of_foreigners_affairs_as_the_seed_gives_it(directory):
    office = Institution.objects.get(slug="voivodeship-office-foreigners")

    assert office.kind == "public-office"
    assert office.street_address == "ul. Przy Rondzie 6"
    assert office.postal_code == "31-547"
    assert office.city == "Kraków"
    assert office.fax == "12 39 21 354"
    assert (
        office.translation("en").rooms
        == "ground floor – service rooms 1 and 2; 1st floor – rooms 105–106"
    )
    assert set(office.topics.values_list("slug", flat=True)) == {"legal-stay", "work"}


def test_the_advisory_points_as_the_seed_gives_them(directory):
    krakow = Institution.objects.get(slug="advisory-point-krakow")
    nowy_sacz = Institution.objects.get(slug="advisory-point-nowy-sacz")

    assert (krakow.street_address, krakow.city) == ("ul. Basztowa 22", "Kraków")
    assert (nowy_sacz.street_address, nowy_sacz.city) == ("ul. Jagiellońska 52", "Nowy Sącz")
    assert krakow.phones == ["12 426 90 01"]
    assert nowy_sacz.phones == ["18 540 23 26"]
    for point in (krakow, nowy_sacz):
        assert point.kind == "advisory-point"
        assert sorted(point.languages) == ["en", "pl", "ru", "uk"]
        assert set(point.topics.values_list("slug", flat=True)) == {
            "legal-stay",
            "work",
            "social-welfare",
        }
        assert "2018" in point.translation("en").hours_note
        assert point.schedule.weekly_hours.filter(weekday=0, opens=time(10)).exists()


def test_emails_only_where_the_institution_publishes_them_itself():
    """Every e-mail address in the content is on the domain of the institution's own page."""
    assert not EMAIL.search(str(read_content_file("topics.toml")))
    for entry in read_content_file("directory.toml")["institutions"]:
        official_hosts = {
            urlsplit(entry[key]).hostname.removeprefix("www.")
            for key in ("source_url", "website")
            if entry.get(key)
        }
        for match in EMAIL.finditer(str(entry)):
            domain = match.group().split("@")[1]
            assert domain in official_hosts, (entry["slug"], match.group())
    information_point = next(
        entry
        for entry in read_content_file("directory.toml")["institutions"]
        if entry["slug"] == "information-point"
    )
    assert not EMAIL.search(str(information_point))


def test_existing_schedule_keeps_its_name(db):
    Schedule.objects.create(slug="information-point", name="Named by the hours app")
    from infopoint.topics.defaults import topics_default_content_load

    topics_default_content_load()
    directory_default_content_load()

    assert Schedule.objects.get(slug="information-point").name == "Named by the hours app"
    assert directory_default_content_load() == 0


def test_weekly_hours_parse():
    assert weekly_hours_parse({"mon": ["07:30-15:30"], "sat": ["09:00-11:00", "12:00-14:00"]}) == {
        0: [(time(7, 30), time(15, 30))],
        5: [(time(9), time(11)), (time(12), time(14))],
    }
