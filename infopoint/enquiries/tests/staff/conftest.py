from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.tests.factories import desk_user, enquiry_make

WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


def staff_url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(f"enquiries:staff:{name}", kwargs=kwargs or None)


@pytest.fixture
def now() -> object:
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def consultant(db: None) -> User:
    return desk_user("consultant", username="olena", first_name="Olena", last_name="Shevchenko")


@pytest.fixture
def adviser(db: None) -> User:
    return desk_user("adviser", username="adviser", first_name="Adam", last_name="Nowak")


@pytest.fixture
def consultant_client(consultant: User) -> Client:
    client = Client()
    client.force_login(consultant)
    return client


@pytest.fixture
def adviser_client(adviser: User) -> Client:
    client = Client()
    client.force_login(adviser)
    return client


@pytest.fixture
def enquiry(now: object) -> Enquiry:
    return enquiry_make()
