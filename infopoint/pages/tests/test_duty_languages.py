from datetime import date, time

import pytest
import time_machine

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import duty_shift_create, user_roles_set


@pytest.mark.django_db
@time_machine.travel("2026-11-25T10:00:00+01:00", tick=False)
def test_home_says_which_languages_are_covered_today(client, point):
    consultant = User.objects.create(username="olena", is_staff=True, languages=["uk", "pl"])
    user_roles_set(user=consultant, roles=[Role.CONSULTANT])
    duty_shift_create(user=consultant, date=date(2026, 11, 25), starts_at=time(9), ends_at=time(15))

    html = client.get("/en/").content.decode()

    assert "Consultants on duty today speak: Polish, Ukrainian." in html


@pytest.mark.django_db
def test_home_says_nothing_of_languages_when_nobody_is_on_duty(client, point):
    assert "Consultants on duty today" not in client.get("/en/").content.decode()
