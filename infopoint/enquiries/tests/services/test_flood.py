"""The enquiry-flood alarm: the inbox notice and one e-mail to the coordinators per flood."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.enquiries.flood import SENDER, TOTAL, flood_alarm, flood_current
from infopoint.enquiries.models import Channel
from infopoint.enquiries.tests.factories import desk_user, enquiry_make
from infopoint.enquiries.tests.staff.conftest import MONDAY_10

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings: object) -> None:
    settings.ENQUIRY_FLOOD_PER_SENDER = 3
    settings.ENQUIRY_FLOOD_TOTAL = 6
    settings.ENQUIRY_FLOOD_WINDOW_MINUTES = 60
    cache.clear()


@pytest.fixture
def clock() -> object:
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def _enquiries(count: int, *, email: str = "", phone: str = "", **values: object) -> None:
    for number in range(count):
        enquiry_make(
            email=email or f"person{number}@example.net",
            phone=phone,
            channel=values.get("channel", Channel.WEB),
        )


def test_no_flood_at_or_under_the_limits(clock: object, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _enquiries(3, email="Olena@example.net")
    assert flood_current() == []


def test_one_sender_over_the_limit_is_a_flood_by_e_mail_in_any_case(clock: object) -> None:
    _enquiries(2, email="olena@example.net")
    _enquiries(2, email="OLENA@example.net")
    (flood,) = flood_current()
    assert (flood.kind, flood.count, flood.limit, flood.sender) == (
        SENDER,
        4,
        3,
        "olena@example.net",
    )


def test_one_phone_number_over_the_limit_is_a_flood(clock: object) -> None:
    _enquiries(4, phone="+48 600 000 000")
    assert [(f.kind, f.sender) for f in flood_current()] == [(SENDER, "+48 600 000 000")]


def test_the_total_over_the_limit_is_a_flood_and_the_window_ends_it(clock) -> None:
    _enquiries(7)
    assert [(f.kind, f.count) for f in flood_current()] == [(TOTAL, 7)]
    clock.shift(timedelta(minutes=61))
    assert flood_current() == []


def test_the_coordinators_get_one_e_mail_per_flood(
    clock: object, django_capture_on_commit_callbacks
) -> None:
    desk_user("coordinator", username="kasia", email="kasia@example.org")
    desk_user("coordinator", username="inactive", email="old@example.org", is_active=False)
    desk_user("consultant", username="olena", email="olena@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _enquiries(6, email="bot@example.net")
    alarms = [m for m in mail.outbox if m.to == ["kasia@example.org"]]
    assert len(alarms) == 1
    with translation.override("pl"):
        assert alarms[0].subject == gettext("Alarm: unusually many enquiries")
    assert "bot@example.net" in alarms[0].body
    assert "/staff/" in alarms[0].body
    # A later check in the same window sends nothing more; a new flood does.
    flood_alarm()
    assert len([m for m in mail.outbox if m.to == ["kasia@example.org"]]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _enquiries(1)
    assert len([m for m in mail.outbox if m.to == ["kasia@example.org"]]) == 2


def test_staff_see_the_flood_in_the_inbox(clock: object) -> None:
    client = Client()
    client.force_login(desk_user("consultant", username="olena"))
    with translation.override("en"):
        url = reverse("enquiries:staff:inbox")
        heading = gettext("Unusually many enquiries")
    assert heading not in client.get(url).content.decode()
    _enquiries(4, email="bot@example.net")
    page = client.get(url).content.decode()
    assert heading in page
    assert "bot@example.net" in page
