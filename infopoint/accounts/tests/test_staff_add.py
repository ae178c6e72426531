"""``manage.py staff_add`` creates a member of staff with a role, languages and a password."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from infopoint.accounts.models import User

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("staff_add", *args, stdout=out)
    return out.getvalue()


def test_staff_add_prints_a_password_that_signs_in(client) -> None:
    out = _run("olena", "--role", "adviser", "--email", "olena@example.org", "--languages", "uk,ru")
    password = re.search(r"One-time password: (\S+)\.", out).group(1)
    olena = User.objects.get(username="olena")
    assert olena.languages == ["uk", "ru"] and olena.email == "olena@example.org"
    assert olena.is_staff and not olena.is_superuser
    assert list(olena.groups.values_list("name", flat=True)) == ["adviser"]
    assert olena.check_password(password)
    client.force_login(olena)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_add_asks_for_a_password(monkeypatch) -> None:
    monkeypatch.setattr(
        "infopoint.accounts.management.commands.staff_add.getpass",
        lambda prompt: "a long pass phrase 42",
    )
    out = _run("kasia", "--role", "consultant", "--email", "k@example.org", "--ask-password")
    assert "One-time password" not in out
    assert User.objects.get(username="kasia").check_password("a long pass phrase 42")


@pytest.mark.parametrize(
    "args",
    [
        ("x", "--role", "administrator", "--email", "x@example.org"),
        ("x", "--role", "adviser", "--email", "not an address"),
        ("x", "--role", "adviser", "--email", "x@example.org", "--languages", "uk,de"),
        ("taken", "--role", "adviser", "--email", "x@example.org"),
    ],
)
def test_staff_add_refuses_bad_input_and_creates_nothing(args) -> None:
    User.objects.create_user(username="taken")
    with pytest.raises(CommandError):
        _run(*args)
    assert not User.objects.filter(username="x").exists()
    assert User.objects.count() == 1


def test_staff_add_refuses_a_weak_typed_password(monkeypatch) -> None:
    monkeypatch.setattr(
        "infopoint.accounts.management.commands.staff_add.getpass", lambda prompt: "123"
    )
    with pytest.raises(CommandError):
        _run("kasia", "--role", "consultant", "--email", "k@example.org", "--ask-password")
    assert not User.objects.exists()
