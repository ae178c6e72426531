"""Plain helpers of the appointment tests (fixtures are in conftest.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
# Monday 23 November 2026, 10:00 in Kraków: the clock of most tests.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def person(**overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Ирина Петренко",
        "email": "iryna@example.com",
        "phone": "",
        "language": "ru",
        "description": "Продление карты побыту",
        "consent_version": "2026-11-24",
    }
    values.update(overrides)
    return values
