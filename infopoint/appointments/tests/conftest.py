from collections.abc import Callable
from datetime import time

import pytest
import time_machine
from django.conf import settings

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.models import Adviser, AdviserTranslation, AvailabilityRule
from infopoint.hours.models import Schedule, WeeklyHours

from .helpers import NOW


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
    settings.DEFAULT_FROM_EMAIL = "Information Point <info-point@example.invalid>"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.APPOINTMENTS_MIN_NOTICE_HOURS = 24
    settings.APPOINTMENTS_HORIZON_DAYS = 42
    settings.APPOINTMENTS_CHANGE_CUTOFF_HOURS = 24


@pytest.fixture
def frozen() -> object:
    """Time stands at NOW (Monday 23 November 2026, 10:00 Warsaw)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_adviser(db: None) -> Callable[..., Adviser]:
    def make(
        username: str = "adam",
        *,
        languages: tuple[str, ...] = ("pl", "ru", "uk"),
        rules: tuple[tuple[int, time, time], ...] = ((1, time(15), time(19)),),
        minutes: int = 45,
        buffer: int = 15,
        first_name: str = "Adam",
        last_name: str = "Nowak",
    ) -> Adviser:
        user = User.objects.create_user(
            username=username,
            first_name=first_name,
            last_name=last_name,
            languages=list(languages),
        )
        user_roles_set(user=user, roles=[Role.ADVISER])
        adviser = Adviser.objects.create(
            user=user,
            appointment_minutes=minutes,
            buffer_minutes=buffer,
            location="ul. Jana Dekerta 24, block B, room 12",
        )
        for code, note in (
            ("en", "Come to the reception; the adviser will collect you."),
            ("ru", "Подойдите к стойке информации, юрист вас встретит."),
        ):
            AdviserTranslation.objects.create(adviser=adviser, language=code, note=note)
        for weekday, starts_at, ends_at in rules:
            AvailabilityRule.objects.create(
                adviser=adviser, weekday=weekday, starts_at=starts_at, ends_at=ends_at
            )
        return adviser

    return make


@pytest.fixture
def adviser(make_adviser: Callable[..., Adviser]) -> Adviser:
    """Adam Nowak: Tuesdays 15:00–19:00, 45 minutes and a 15-minute break; pl, ru, uk."""
    return make_adviser()
