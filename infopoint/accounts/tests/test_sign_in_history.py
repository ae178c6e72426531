"""Each member of staff sees their own sign-ins; coordinators see everyone's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from infopoint.accounts.models import Role, SignInAttempt, User
from infopoint.accounts.services import user_roles_set

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempts(staff: User) -> None:
    other = User.objects.create_user(username="petro", password=PASSWORD)
    user_roles_set(user=other, roles=[Role.CONSULTANT])
    for username in ("olena", "petro"):
        Client(REMOTE_ADDR="203.0.113.77").post(
            reverse("accounts:sign_in"), {"username": username, "password": "wrong"}
        )


def test_staff_see_their_own_attempts_with_the_network_only(
    client: Client, staff: User, attempts: None
) -> None:
    client.force_login(staff)
    body = client.get(reverse("accounts:sign_ins") + "?who=everyone").content.decode()
    assert "203.0.113.0/24" in body and "203.0.113.77" not in body
    assert SignInAttempt.objects.filter(user__username="petro").exists()
    assert body.count("203.0.113.0/24") == 1  # petro's is not shown to a consultant


def test_coordinators_see_everyones(client: Client, staff: User, attempts: None) -> None:
    coordinator = User.objects.create_user(username="koord", password=PASSWORD)
    user_roles_set(user=coordinator, roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    body = client.get(reverse("accounts:sign_ins") + "?who=everyone").content.decode()
    assert "olena" in body and "petro" in body


def test_the_history_needs_a_sign_in(client: Client) -> None:
    response = client.get(reverse("accounts:sign_ins"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_a_bad_page_number_shows_the_last_page(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get(reverse("accounts:sign_ins") + "?page=abc").status_code == 200


def test_the_account_page_links_to_the_work_of_each_role(client: Client, staff: User) -> None:
    client.force_login(staff)
    body = client.get(reverse("accounts:home")).content.decode()
    assert reverse("enquiries:staff:inbox") in body
    assert reverse("reports:index") not in body
    adviser = User.objects.create_user(username="adam", password=PASSWORD)
    user_roles_set(user=adviser, roles=[Role.ADVISER])
    client.force_login(adviser)
    body = client.get(reverse("accounts:home")).content.decode()
    assert reverse("appointments:agenda") in body
    assert reverse("enquiries:staff:inbox") not in body
