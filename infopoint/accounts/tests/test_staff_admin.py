"""Coordinators add and edit staff in the admin, without any way to raise anyone's rights."""

import pytest
from django.urls import reverse

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set

pytestmark = pytest.mark.django_db


def _staff(username: str, roles: list[str], **fields) -> User:
    user = User.objects.create_user(username=username, password="a long pass phrase 42", **fields)
    return user_roles_set(user=user, roles=roles)


@pytest.fixture
def coordinator_client(client):
    client.force_login(_staff("coord", [Role.COORDINATOR]))
    return client


def _add_data(**overrides):
    data = {
        "username": "olena",
        "usable_password": "true",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
        "first_name": "Olena",
        "last_name": "Koval",
        "email": "olena@example.org",
        "roles": ["adviser"],
        "languages": ["uk", "ru"],
    }
    return data | overrides


def test_a_coordinator_adds_an_adviser_who_can_then_open_the_admin(
    coordinator_client, client
) -> None:
    add = reverse("admin:accounts_user_add")
    page = coordinator_client.get(add).content.decode()
    assert 'type="checkbox" name="languages" value="uk"' in page
    assert 'value="administrator"' not in page
    assert "is_superuser" not in page
    response = coordinator_client.post(add, _add_data())
    assert response.status_code == 302, response.content.decode()
    olena = User.objects.get(username="olena")
    assert olena.languages == ["uk", "ru"]
    assert olena.is_staff and not olena.is_superuser
    assert list(olena.groups.values_list("name", flat=True)) == ["adviser"]
    client.force_login(olena)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_coordinator_cannot_grant_or_reach_more_rights(coordinator_client) -> None:
    add = reverse("admin:accounts_user_add")
    response = coordinator_client.post(
        add,
        _add_data(
            roles=["administrator"],
            is_superuser="on",
            is_staff="on",
            user_permissions=["1"],
        ),
    )
    assert response.status_code == 200
    assert "roles" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="olena").exists()
    kasia = _staff("kasia", [Role.CONSULTANT])
    change = reverse("admin:accounts_user_change", args=[kasia.pk])
    page = coordinator_client.get(change).content.decode()
    assert "user_permissions" not in page and "is_superuser" not in page
    response = coordinator_client.post(
        change,
        {
            "username": "kasia",
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": "on",
            "roles": ["consultant", "coordinator"],
            "languages": ["pl"],
            "is_superuser": "on",
            "last_login": "",
            "date_joined": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    kasia.refresh_from_db()
    assert not kasia.is_superuser
    assert set(kasia.groups.values_list("name", flat=True)) == {"consultant", "coordinator"}
    assert kasia.languages == ["pl"]
    assert not kasia.user_permissions.exists()


def test_a_coordinator_cannot_open_a_superuser_or_an_administrator(coordinator_client) -> None:
    root = User.objects.create_superuser(username="root", password="a long pass phrase 42")
    boss = _staff("boss", [Role.ADMINISTRATOR])
    for user in (root, boss):
        for name in ("admin:accounts_user_change", "admin:auth_user_password_change"):
            url = reverse(name, args=[user.pk])
            assert coordinator_client.get(url).status_code in (302, 403, 404)
        assert coordinator_client.post(
            reverse("admin:auth_user_password_change", args=[user.pk]),
            {"password1": "taken over 12345", "password2": "taken over 12345"},
        ).status_code in (302, 403, 404)
        user.refresh_from_db()
        assert user.check_password("a long pass phrase 42")
    listing = coordinator_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "root" not in listing and "boss" not in listing


def test_languages_outside_the_site_are_refused(coordinator_client) -> None:
    response = coordinator_client.post(
        reverse("admin:accounts_user_add"), _add_data(languages=["uk, ru"])
    )
    assert response.status_code == 200
    assert "languages" in response.context["adminform"].form.errors


def test_a_superuser_still_sees_superuser_status_and_may_grant_administrator(client) -> None:
    client.force_login(User.objects.create_superuser(username="root", password="x" * 20))
    kasia = _staff("kasia", [Role.CONSULTANT])
    page = client.get(reverse("admin:accounts_user_change", args=[kasia.pk])).content.decode()
    assert "is_superuser" in page and 'value="administrator"' in page
