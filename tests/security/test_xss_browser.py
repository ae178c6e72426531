"""Stored attacks in a real Chromium: no alert, confirm or prompt opens on any page.

The server-side scan (test_stored_xss.py) checks the markup; this checks what a browser
does with it, with the site's Content-Security-Policy in force, on the staff views where
staff read what strangers wrote, and on the enquirer's private page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.models import Channel
from infopoint.enquiries.services import (
    enquiry_add_note,
    enquiry_create,
    enquiry_receive_mail,
    enquiry_reply,
)
from infopoint.mail.parsing import parse_message

from .inert import ATTACK, PAYLOADS
from .test_stored_xss import _html_mail

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def _sign_in(page: Page, user: User, live_server: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_no_dialog_opens_on_the_staff_views_or_the_private_page(
    new_page: Callable[..., Page], live_server: Any, consultant: User
) -> None:
    enquiry, token = enquiry_create(
        channel=Channel.WEB,
        text=ATTACK,
        language="en",
        name=f"Olena {PAYLOADS[3]}",
        email="olena@example.net",
        consent_version=CONSENT_VERSION,
        acknowledge=False,
    )
    enquiry_add_note(enquiry=enquiry, author=consultant, text=ATTACK)
    enquiry_reply(enquiry=enquiry, author=consultant, text=ATTACK, send_email=False)
    mailed = enquiry_receive_mail(parse_message(_html_mail("<p>Hi</p>" + "".join(PAYLOADS))))
    with translation.override("en"):
        staff_paths = [
            reverse("enquiries:staff:inbox"),
            reverse("enquiries:staff:detail", kwargs={"pk": enquiry.pk}),
            reverse("enquiries:staff:detail", kwargs={"pk": mailed.pk}),
            reverse("enquiries:staff:inbox") + "?q=%3Cscript%3E",
        ]
        public_path = reverse("enquiries:track", kwargs={"token": token})

    dialogs: list[str] = []
    page = new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(public_path)
    assert page.get_by_text("xss-script", exact=False).first.is_visible()
    _sign_in(page, consultant, live_server)
    for path in staff_paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        # Links the attack made, if any, are followed too: none may run script.
        for link in page.locator("a[href^='javascript:' i]").all():
            link.click()
        page.wait_for_timeout(100)
    assert dialogs == []
    assert page.locator("a[href^='javascript:' i], svg[onload], img[onerror]").count() == 0
