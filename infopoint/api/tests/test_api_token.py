"""manage.py api_token: how a coordinator or the operator gives staff an API token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from infopoint.enquiries.tests.factories import UserFactory, desk_user

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_a_token_is_made_once_and_works(client: Client) -> None:
    desk_user("consultant", username="olena")
    key = _run("olena")
    assert _run("olena") == key
    response = client.get("/api/v1/staff/enquiries", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_rotating_stops_the_old_token_at_once(client: Client) -> None:
    desk_user("coordinator", username="kasia")
    old = _run("kasia")
    new = _run("kasia", "--rotate")
    assert new != old
    assert client.get("/api/v1/staff/enquiries", HTTP_AUTHORIZATION=f"Token {old}").status_code == (
        401
    )


def test_revoking_removes_the_token() -> None:
    desk_user("consultant", username="olena")
    _run("olena")
    removed = _run("olena", "--revoke")
    assert not Token.objects.exists()
    # A second time there is nothing to remove, and the command says so.
    assert _run("olena", "--revoke") != removed


def test_no_token_for_someone_without_a_role_or_unknown() -> None:
    UserFactory(username="guest")
    with pytest.raises(CommandError):
        _run("guest")
    with pytest.raises(CommandError):
        _run("nobody-at-all")
    assert not Token.objects.exists()
