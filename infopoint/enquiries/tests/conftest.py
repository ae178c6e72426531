from datetime import time

import pytest
from django.conf import settings

from infopoint.hours.models import Schedule, WeeklyHours


@pytest.fixture(autouse=True)
def office_hours(db: None) -> Schedule:
    """The default hours of the point: Mon–Fri 9–19, Sat 9–14 (Europe/Warsaw)."""
    schedule = Schedule.objects.create(slug=settings.OFFICE_SCHEDULE, name="Point")
    for weekday in range(5):
        WeeklyHours.objects.create(
            schedule=schedule, weekday=weekday, opens=time(9), closes=time(19)
        )
    WeeklyHours.objects.create(schedule=schedule, weekday=5, opens=time(9), closes=time(14))
    return schedule


@pytest.fixture(autouse=True)
def _site_settings(settings: object) -> None:
    settings.SITE_URL = "https://infopoint.example.org"
    settings.DEFAULT_FROM_EMAIL = "info-point@example.invalid"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# Published articles in several languages, for the triage and suggestion tests.
from infopoint.knowledge.tests.conftest import articles, directory  # noqa: E402, F401
