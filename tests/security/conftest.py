"""Fixtures of the security tests: the point's hours, an adviser with free Tuesdays, staff."""

import pytest
from django.test import Client

from infopoint.accounts.models import User

# Office hours, site settings, frozen time and an adviser, as the appointment tests have them.
from infopoint.appointments.tests.conftest import (  # noqa: F401
    _site_settings,
    adviser,
    frozen,
    make_adviser,
    office_hours,
)
from infopoint.enquiries.tests.factories import desk_user


@pytest.fixture
def consultant(db: None) -> User:
    return desk_user("consultant", username="olena", first_name="Olena", last_name="Shevchenko")


@pytest.fixture
def coordinator(db: None) -> User:
    return desk_user("coordinator", username="kasia", first_name="Kasia", last_name="Nowak")


@pytest.fixture
def staff_client(consultant: User) -> Client:
    client = Client()
    client.force_login(consultant)
    return client


# Chromium for the browser check of the staff views (tests/browser's fixtures).
from tests.browser.conftest import browser, new_page  # noqa: E402, F401
