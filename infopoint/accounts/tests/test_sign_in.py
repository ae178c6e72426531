"""Sign-in with password and code, lock-out, recovery codes, sign-out and session limits."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.accounts import twofactor
from infopoint.accounts.models import RecoveryCode, SignInAttempt, SignInOutcome, User
from infopoint.accounts.selectors import lock_end
from infopoint.accounts.services import _recovery_codes_replace

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def sign_in(client: Client, username: str = "olena", password: str = PASSWORD, **extra: str):
    return client.post(
        reverse("accounts:sign_in"), {"username": username, "password": password, **extra}
    )


def code(client: Client, value: str):
    return client.post(reverse("accounts:sign_in_code"), {"code": value})


# --- the lock-out rule -----------------------------------------------------------------------


def test_lock_end_counts_failures_inside_the_window_only() -> None:
    window, duration = timedelta(minutes=15), timedelta(minutes=15)
    spread = [START + timedelta(minutes=10 * i) for i in range(5)]
    assert lock_end(spread, limit=5, window=window, duration=duration) is None
    close = [START + timedelta(minutes=i) for i in range(5)]
    assert lock_end(close, limit=5, window=window, duration=duration) == close[-1] + duration
    assert lock_end(close[:4], limit=5, window=window, duration=duration) is None


# --- password only ---------------------------------------------------------------------------


def test_a_right_password_signs_in_and_goes_to_the_next_page(client: Client, staff: User) -> None:
    inbox = reverse("enquiries:staff:inbox")
    response = sign_in(client, next=inbox)
    assert response.status_code == 302 and response["Location"] == inbox
    assert client.get(inbox).status_code == 200
    attempt = SignInAttempt.objects.get()
    assert attempt.user == staff and attempt.outcome == SignInOutcome.SIGNED_IN
    assert attempt.address == "127.0.0.0/24"


def test_a_next_page_on_another_site_is_ignored(client: Client, staff: User) -> None:
    response = sign_in(client, next="https://evil.example/")
    assert response["Location"] == reverse("accounts:home")


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_a_wrong_password_is_refused_with_a_translated_message(
    client: Client, staff: User, language: str
) -> None:
    with translation.override(language):
        response = sign_in(client, password="not the password")
        expected = gettext("The user name or password is wrong. Check them and try again.")
    assert response.status_code == 403
    assert expected in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInAttempt.objects.get().outcome == SignInOutcome.BAD_PASSWORD


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client: Client) -> None:
    response = sign_in(client, username="nobody")
    assert response.status_code == 403
    assert gettext("The user name or password is wrong.") in response.content.decode()


def test_an_empty_form_shows_the_errors_beside_the_fields(client: Client) -> None:
    response = client.post(reverse("accounts:sign_in"), {})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_username"' in body and 'href="#id_password"' in body
    assert SignInAttempt.objects.count() == 0


def test_an_inactive_account_cannot_sign_in(client: Client, staff: User) -> None:
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert sign_in(client).status_code == 403


def test_the_admins_sign_in_page_sends_staff_to_this_one(client: Client) -> None:
    response = client.get(reverse("admin:login") + "?next=/en/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in") + "?next=%2Fen%2Fadmin%2F"
    anonymous_admin = client.get(reverse("admin:index"), follow=True)
    assert anonymous_admin.redirect_chain[-1][0].startswith(reverse("accounts:sign_in"))


# --- lock-out --------------------------------------------------------------------------------


@override_settings(SIGN_IN_MAX_FAILURES=5)
def test_five_failures_lock_the_account_for_fifteen_minutes(
    client: Client, staff: User, caplog: pytest.LogCaptureFixture
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(4):
            assert sign_in(client, password="wrong").status_code == 403
        with caplog.at_level(logging.WARNING, logger="infopoint.accounts.services"):
            sign_in(client, password="wrong")
        assert "locked out" in caplog.text and "olena" in caplog.text

        clock.shift(timedelta(minutes=5))
        response = sign_in(client)  # even the right password is refused now
        assert response.status_code == 403
        assert "Too many failed sign-ins" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert SignInAttempt.objects.filter(outcome=SignInOutcome.LOCKED).count() == 1

        clock.shift(timedelta(minutes=11))
        assert sign_in(client).status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_the_lock_out_message_is_translated(client: Client, staff: User) -> None:
    for _ in range(3):
        sign_in(client, password="wrong")
    with translation.override("uk"):
        response = client.post(
            reverse("accounts:sign_in"), {"username": "olena", "password": PASSWORD}
        )
        expected = gettext("Too many failed sign-ins.")
    assert response.status_code == 403
    assert expected.split(".")[0] in response.content.decode()


@override_settings(SIGN_IN_MAX_FAILURES=100, SIGN_IN_MAX_FAILURES_PER_ADDRESS=3)
def test_failures_from_one_network_lock_it_out_whatever_the_user_name(
    client: Client, staff: User
) -> None:
    for name in ("anna", "boris", "chen"):
        sign_in(client, username=name, password="wrong")
    assert sign_in(client).status_code == 403
    other_network = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(other_network).status_code == 302


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_a_sign_in_starts_the_accounts_count_again(client: Client, staff: User) -> None:
    sign_in(client, password="wrong")
    sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302
    client.post(reverse("accounts:sign_out"))
    sign_in(client, password="wrong")
    assert sign_in(client).status_code == 302


# --- two-factor ------------------------------------------------------------------------------


def test_with_two_factor_on_the_password_alone_does_not_sign_in(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    _user, app = totp_staff
    inbox = reverse("enquiries:staff:inbox")
    response = sign_in(client, next=inbox)
    assert response["Location"] == reverse("accounts:sign_in_code")
    assert "_auth_user_id" not in client.session
    assert client.get(inbox).status_code == 302  # still anonymous

    response = code(client, app.now())
    assert response.status_code == 302 and response["Location"] == inbox
    assert client.get(inbox).status_code == 200


def test_a_wrong_code_is_refused_and_counted(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    _user, app = totp_staff
    sign_in(client)
    wrong = f"{(int(app.now()) + 1) % 1_000_000:06d}"
    response = code(client, wrong)
    assert response.status_code == 403
    assert gettext("The code is wrong or was used already.") in response.content.decode()
    assert 'href="#id_code"' in response.content.decode()
    assert SignInAttempt.objects.filter(outcome=SignInOutcome.BAD_CODE).count() == 1
    assert "_auth_user_id" not in client.session


def test_a_code_signs_in_once_only(client: Client, totp_staff: tuple[User, pyotp.TOTP]) -> None:
    _user, app = totp_staff
    with time_machine.travel(START, tick=False):
        used = app.now()
        sign_in(client)
        assert code(client, used).status_code == 302
        other = Client()
        sign_in(other)
        assert code(other, used).status_code == 403


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_wrong_codes_lock_the_account_too(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    _user, app = totp_staff
    sign_in(client)
    for _ in range(3):
        code(client, "000000" if app.now() != "000000" else "111111")
    response = code(client, app.now())
    assert response.status_code == 403
    assert "Too many failed sign-ins" in response.content.decode()


def test_a_recovery_code_signs_in_once(client: Client, totp_staff: tuple[User, pyotp.TOTP]) -> None:
    user, _app = totp_staff
    codes = _recovery_codes_replace(user=user)
    sign_in(client)
    assert code(client, codes[0].upper().replace("-", " ")).status_code == 302
    client.post(reverse("accounts:sign_out"))

    sign_in(client)
    response = code(client, codes[0])
    assert response.status_code == 403
    assert gettext("This recovery code is wrong or was used already.") in (
        response.content.decode()
    )
    assert code(client, codes[1]).status_code == 302


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(client: Client) -> None:
    response = client.get(reverse("accounts:sign_in_code"))
    assert response["Location"] == reverse("accounts:sign_in")


def test_a_password_typed_long_ago_no_longer_counts(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    _user, app = totp_staff
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.shift(timedelta(minutes=6))
        response = code(client, app.now())
    assert response["Location"] == reverse("accounts:sign_in")
    assert "_auth_user_id" not in client.session


# --- setting two-factor up, recovery codes, turning it off ----------------------------------


def test_set_up_confirms_a_first_code_and_shows_ten_hashed_recovery_codes(
    client: Client, staff: User
) -> None:
    client.force_login(staff)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "style=" not in body.split("<svg", 1)[1].split("</svg>")[0]
    secret = client.session["accounts:setup_secret"]

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "12345"})
    assert wrong.status_code == 400
    assert gettext("The code is wrong.") in wrong.content.decode()
    assert not hasattr(User.objects.get(pk=staff.pk), "two_factor")

    response = client.post(reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert response["Location"] == reverse("accounts:recovery_codes")
    shown = client.get(reverse("accounts:recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=staff).values_list("code_hash", flat=True))
    assert stored == {twofactor.recovery_code_hash(c) for c in codes}
    assert not any(c in stored for c in codes)
    # Shown once only.
    assert codes[0] not in client.get(reverse("accounts:recovery_codes")).content.decode()


def test_recovery_codes_are_made_again_only_with_the_password(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    user, _app = totp_staff
    old = _recovery_codes_replace(user=user)
    client.force_login(user)
    wrong = client.post(reverse("accounts:recovery_codes"), {"password": "nope"})
    assert wrong.status_code == 400
    assert gettext("The password is wrong.") in wrong.content.decode()
    assert RecoveryCode.objects.get(user=user, code_hash=twofactor.recovery_code_hash(old[0]))

    client.post(reverse("accounts:recovery_codes"), {"password": PASSWORD})
    assert not RecoveryCode.objects.filter(code_hash=twofactor.recovery_code_hash(old[0]))
    assert RecoveryCode.objects.filter(user=user).count() == 10


def test_two_factor_goes_off_only_with_the_password(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    user, _app = totp_staff
    client.force_login(user)
    assert client.post(reverse("accounts:two_factor_off"), {"password": ""}).status_code == 400
    assert client.post(reverse("accounts:two_factor_off"), {"password": "x"}).status_code == 400
    assert User.objects.get(pk=user.pk).two_factor
    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert not hasattr(User.objects.get(pk=user.pk), "two_factor")


@override_settings(STAFF_REQUIRE_TWO_FACTOR=True)
def test_when_required_staff_set_up_two_factor_before_anything_else(
    client: Client, staff: User
) -> None:
    sign_in(client)
    response = client.get(reverse("enquiries:staff:inbox"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 200
    secret = client.session["accounts:setup_secret"]
    client.post(reverse("accounts:two_factor_setup"), {"code": pyotp.TOTP(secret).now()})
    assert client.get(reverse("enquiries:staff:inbox")).status_code == 200


# --- sign-out and session limits -------------------------------------------------------------


def test_sign_out_needs_a_post(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    client.post(reverse("accounts:sign_out"))
    assert "_auth_user_id" not in client.session


@override_settings(SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=10)
def test_an_idle_session_ends(client: Client, staff: User) -> None:
    inbox = reverse("enquiries:staff:inbox")
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.shift(timedelta(minutes=29))
        assert client.get(inbox).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(inbox).status_code == 200  # the last request counts, not the sign-in
        clock.shift(timedelta(minutes=31))
        response = client.get(inbox)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert gettext("You were signed out because the session ended. Sign in again.") in page


@override_settings(SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=2)
def test_a_session_ends_after_its_maximum_age_even_when_busy(client: Client, staff: User) -> None:
    inbox = reverse("enquiries:staff:inbox")
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        for _ in range(4):
            clock.shift(timedelta(minutes=25))
            assert client.get(inbox).status_code == 200
        clock.shift(timedelta(minutes=25))
        assert client.get(inbox).status_code == 302


# --- password ---------------------------------------------------------------------------------


def test_a_weak_new_password_is_refused(client: Client, staff: User) -> None:
    staff.email = "olena.kowalska@example.org"
    staff.save(update_fields=["email"])
    client.force_login(staff)
    url = reverse("accounts:password_change")
    for weak in ("short1", "123456789012345", "password1234", "olena.kowalska"):
        response = client.post(
            url, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
        )
        assert response.status_code == 400, weak
    assert User.objects.get(pk=staff.pk).check_password(PASSWORD)


def test_a_strong_new_password_is_kept_and_the_session_stays(client: Client, staff: User) -> None:
    client.force_login(staff)
    new = "lantern orchard violet 42"
    wrong_old = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert wrong_old.status_code == 400
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=staff.pk).check_password(new)
    assert client.get(reverse("accounts:home")).status_code == 200


# --- keeping the attempts table small; administrators reset a lost phone ---------------------


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_refusals_while_locked_are_recorded_once_a_minute(client: Client, staff: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, password="wrong")
        sign_in(client, password="wrong")
        for _ in range(10):
            assert sign_in(client).status_code == 403
        assert SignInAttempt.objects.filter(outcome=SignInOutcome.LOCKED).count() == 1
        clock.shift(timedelta(minutes=2))
        sign_in(client)
        assert SignInAttempt.objects.filter(outcome=SignInOutcome.LOCKED).count() == 2


@override_settings(SIGN_IN_HISTORY_DAYS=90)
def test_attempts_older_than_the_history_are_deleted(client: Client, staff: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client, password="wrong")
        clock.shift(timedelta(days=91))
        sign_in(client)
    assert list(SignInAttempt.objects.values_list("outcome", flat=True)) == [
        SignInOutcome.SIGNED_IN
    ]


def test_a_superuser_turns_off_two_factor_of_someone_who_lost_their_phone(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    user, _app = totp_staff
    _recovery_codes_replace(user=user)
    admin_user = User.objects.create_superuser(username="root", password=PASSWORD)
    client.force_login(admin_user)
    change = reverse("admin:accounts_twofactor_changelist")
    page = client.get(change)
    assert page.status_code == 200 and user.two_factor.secret not in page.content.decode()
    delete = reverse("admin:accounts_twofactor_delete", args=[user.two_factor.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert not hasattr(User.objects.get(pk=user.pk), "two_factor")


def test_two_factor_reset_between_password_and_code_refuses_the_code(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    from infopoint.accounts.services import two_factor_reset

    user, app = totp_staff
    sign_in(client)
    two_factor_reset(user=user)
    assert code(client, app.now()).status_code == 403
    assert "_auth_user_id" not in client.session


@override_settings(SIGN_IN_MAX_FAILURES=3)
def test_wrong_passwords_typed_to_confirm_count_towards_the_lock_out(
    client: Client, totp_staff: tuple[User, pyotp.TOTP]
) -> None:
    user, _app = totp_staff
    client.force_login(user)
    for _ in range(3):
        response = client.post(reverse("accounts:two_factor_off"), {"password": "guess"})
        assert response.status_code == 400
    assert SignInAttempt.objects.filter(user=user, outcome=SignInOutcome.BAD_PASSWORD).count() == 3
    locked = client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert locked.status_code == 400
    assert "Too many failed sign-ins" in locked.content.decode()
    assert User.objects.get(pk=user.pk).two_factor  # still on


@override_settings(SIGN_IN_MAX_FAILURES=2)
def test_wrong_old_passwords_on_the_change_page_count_towards_the_lock_out(
    client: Client, staff: User
) -> None:
    client.force_login(staff)
    url = reverse("accounts:password_change")
    new = "lantern orchard violet 42"
    for _ in range(2):
        response = client.post(
            url, {"old_password": "guess", "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 400
        assert 'href="#id_old_password"' in response.content.decode()
    locked = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert locked.status_code == 400
    assert "Too many failed sign-ins" in locked.content.decode()
    assert User.objects.get(pk=staff.pk).check_password(PASSWORD)
