"""Data for the public-page tests, created through the apps' own services."""

from datetime import date, time

import pytest
from django.conf import settings

from infopoint.directory.models import Institution, InstitutionKind
from infopoint.directory.services import institution_upsert
from infopoint.hours.services import schedule_set_weekly_hours
from infopoint.pages.models import Page
from infopoint.pages.services import page_create_missing
from infopoint.topics.models import Topic
from infopoint.topics.services import topic_upsert

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
POINT_WEEKLY = {
    **{day: [(time(9), time(19))] for day in range(5)},
    5: [(time(9), time(14))],
}
SOURCE = "https://example.org/source"


@pytest.fixture
def point(db: None) -> Institution:
    """The point with its hours, two topics (one only in English) and an office it refers to."""
    schedule, _changed = schedule_set_weekly_hours(
        slug=settings.OFFICE_SCHEDULE, name="Point", weekly=POINT_WEEKLY
    )
    topic_upsert(
        slug="housing",
        position=1,
        translations={
            code: {"name": f"Housing {code}", "description": f"Renting {code}"}
            for code in LANGUAGE_CODES
        },
    )
    topic_upsert(
        slug="culture",
        position=2,
        translations={"en": {"name": "Culture", "description": "Theatres and museums"}},
    )
    institution, _changed = institution_upsert(
        slug="information-point",
        kind=InstitutionKind.INFORMATION_POINT,
        position=0,
        source_url=SOURCE,
        reviewed_on=date(2026, 11, 24),
        translations={
            code: {"name": f"The point {code}", "rooms": "Room 12"} for code in LANGUAGE_CODES
        },
        street_address="ul. Przykładowa 1",
        city="Kraków",
        phones=["+48 100 200 300"],
        languages=LANGUAGE_CODES,
        topic_slugs=["housing", "culture"],
        schedule=schedule,
    )
    office_schedule, _changed = schedule_set_weekly_hours(
        slug="office", name="Office", weekly={0: [(time(8), time(15))]}
    )
    institution_upsert(
        slug="office",
        kind=InstitutionKind.PUBLIC_OFFICE,
        position=1,
        source_url=SOURCE,
        reviewed_on=date(2026, 11, 20),
        translations={"en": {"name": "The office", "description": "Residence permits"}},
        street_address="ul. Urzędowa 2",
        postal_code="00-001",
        city="Kraków",
        phones=["12 345 67 89"],
        fax="12 345 67 00",
        languages=["pl", "en"],
        topic_slugs=["housing"],
        schedule=office_schedule,
    )
    return institution


@pytest.fixture
def privacy_page(db: None) -> Page:
    page, _created = page_create_missing(
        slug="privacy",
        updated_on=date(2026, 11, 24),
        translations={
            "en": {"title": "Privacy policy", "body": "## Who we are\n\nThe *city*."},
            "pl": {"title": "Polityka prywatności", "body": "## Kim jesteśmy\n\nMiasto."},
        },
    )
    return page


@pytest.fixture
def housing(point: Institution) -> Topic:
    return Topic.objects.get(slug="housing")
