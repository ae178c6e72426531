from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.models import Adviser, Booking
from infopoint.hours.models import Schedule, WeeklyHours

WARSAW = ZoneInfo("Europe/Warsaw")
# Monday 23 November 2026, 10:00 in Kraków.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def office_hours(db: None) -> Schedule:
    schedule = Schedule.objects.create(slug=settings.OFFICE_SCHEDULE, name="Point")
    for weekday in range(5):
        WeeklyHours.objects.create(
            schedule=schedule, weekday=weekday, opens=time(9), closes=time(19)
        )
    return schedule


@pytest.fixture(autouse=True)
def _site_settings(settings: object, tmp_path: object) -> None:
    settings.SITE_URL = "https://infopoint.example.org"  # type: ignore[attr-defined]
    settings.DEFAULT_FROM_EMAIL = "info-point@example.invalid"  # type: ignore[attr-defined]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def staff(role: str | None, username: str) -> User:
    user = User.objects.create_user(username=username, password="x", is_staff=role is not None)
    if role:
        user_roles_set(user=user, roles=[role])
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def coordinator(db: None) -> User:
    return staff(Role.COORDINATOR, "coordinator")


@pytest.fixture
def consultant(db: None) -> User:
    return staff(Role.CONSULTANT, "consultant")


@pytest.fixture
def adviser_user(db: None) -> User:
    return staff(Role.ADVISER, "adviser")


@pytest.fixture
def adviser(adviser_user: User) -> Adviser:
    return Adviser.objects.create(user=adviser_user, location="Room 12")


def booking_make(adviser: Adviser, *, starts_at: datetime, **overrides: object) -> Booking:
    values: dict[str, object] = {
        "adviser": adviser,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=45),
        "name": "Ирина Петренко",
        "email": "iryna@example.com",
        "phone": "+48 600 100 200",
        "language": "ru",
        "description": "Продление карты побыту",
        "consent_version": "2026-11-24",
        "consent_given_at": starts_at - timedelta(days=7),
        "uid": f"booking-{starts_at:%Y%m%d%H%M}@infopoint.example.org",
    }
    values.update(overrides)
    return Booking.objects.create(**values)
