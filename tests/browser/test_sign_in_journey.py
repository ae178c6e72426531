"""A consultant sets up two-factor sign-in and signs in with a code from an authenticator app.

The codes come from pyotp, as a phone's app would make them from the key on the page.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pyotp
import pytest
from django.urls import reverse
from django.utils import translation

from .harness import assert_accessible, page_log, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from infopoint.accounts.models import User

pytestmark = pytest.mark.browser


def url(name: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def consultant(db: None) -> tuple[User, str]:
    from infopoint.accounts.models import Role, User
    from infopoint.accounts.services import user_roles_set

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(username="oksana", password=password)
    user_roles_set(user=user, roles=[Role.CONSULTANT])
    return user, password


def sign_in_with_password(page: Page, user: User, password: str) -> None:
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("#login-form [type=submit]").click()


def submit(page: Page, selector: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(selector).first.locator("[type=submit]").click()


def test_a_consultant_sets_up_two_factor_and_signs_in_with_a_code(
    new_page: Callable[..., Page], live_server: Any, settings: Any, consultant: tuple[User, str]
) -> None:
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    user, password = consultant
    inbox = url("enquiries:staff:inbox")
    page = new_page()

    # The inbox asks for a sign-in; the admin's own sign-in page leads to the same one.
    page.goto(inbox)
    assert urlsplit(page.url).path == url("accounts:sign_in")
    assert_accessible(page, where="sign-in")
    screenshot(page, "sign-in-1-password")
    sign_in_with_password(page, user, password)

    # Two-factor is required: the set-up page comes before anything else.
    assert urlsplit(page.url).path == url("accounts:two_factor_setup")
    assert page.locator("svg.qr").count() == 1
    assert_accessible(page, where="two-factor set-up")
    screenshot(page, "sign-in-2-set-up")
    secret = page.locator("#secret").inner_text().replace(" ", "")
    app = pyotp.TOTP(secret)
    page.fill("#id_code", "000000" if app.now() != "000000" else "111111")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    page.fill("#id_code", app.now())
    submit(page)

    # Ten recovery codes, shown once.
    assert urlsplit(page.url).path == url("accounts:recovery_codes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, where="recovery codes")
    screenshot(page, "sign-in-3-recovery-codes")
    page.goto(inbox)
    assert urlsplit(page.url).path == inbox

    # Sign out, then in again: password, then a fresh code (the next one: each is used once).
    page.goto(url("accounts:home"))
    submit(page, "form[action$='/sign-out/']")
    assert urlsplit(page.url).path == url("accounts:sign_in")
    page.goto(f"{url('admin:login')}?next={inbox}")
    assert urlsplit(page.url).path == url("accounts:sign_in")
    sign_in_with_password(page, user, password)
    assert urlsplit(page.url).path == url("accounts:sign_in_code")
    assert_accessible(page, where="code")
    screenshot(page, "sign-in-4-code")
    page.fill("#id_code", codes[0])
    submit(page, "#code-form")
    assert urlsplit(page.url).path == inbox  # a recovery code works once

    page.goto(url("accounts:home"))
    submit(page, "form[action$='/sign-out/']")
    sign_in_with_password(page, user, password)
    page.fill("#id_code", codes[0])
    submit(page, "#code-form")
    assert page.locator(".error-summary").is_visible()  # ... and only once
    page.fill("#id_code", app.at(time.time() + app.interval))
    submit(page, "#code-form")
    assert urlsplit(page.url).path == url("accounts:home")

    # The history shows these sign-ins and the refused code.
    page.goto(url("accounts:sign_ins"))
    history = page.locator("main table").inner_text()
    assert re.search(r"Wrong or used recovery code", history)
    assert history.count("Signed in") == 3
    # Refused codes answer 400/403 on purpose; nothing else may have been fetched.
    assert not page_log(page).external_requests
