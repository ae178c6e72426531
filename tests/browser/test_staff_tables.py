"""Staff tables on a 360 px screen: the page keeps its width, the table scrolls in its box.

The inbox, the reports and the audit log hold tables wider than a phone; each sits in a
focusable region that scrolls sideways, so the page itself never needs a sideways scroll.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction

from .harness import assert_accessible

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
NARROW = {"width": 360, "height": 740}


@pytest.mark.parametrize("name", ["enquiries:staff:inbox", "reports:index", "privacy:audit_log"])
def test_wide_staff_tables_scroll_inside_their_box_at_360_px(
    transactional_db: None, new_page: Callable[..., Page], live_server: Any, name: str
) -> None:
    user = User.objects.create_user(username="marta", languages=["pl", "uk", "ru", "en"])
    user_roles_set(user=user, roles=[Role.COORDINATOR])
    for number in range(3):
        enquiry_make(email=f"person{number}@example.net", subject="Karta pobytu " * 6)
    audit_record(actor=user, action=AuditAction.VIEWED, detail={"agenda": 1})
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = new_page(viewport=NARROW, is_mobile=True)
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    with translation.override("en"):
        page.goto(reverse(name))
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " boxes: [...document.querySelectorAll('.table-wrap')].map("
        "b => ({inner: b.scrollWidth, outer: b.clientWidth}))})"
    )
    assert widths["boxes"], "no table box on the page"
    assert widths["page"] <= widths["view"], widths
    assert any(box["inner"] > box["outer"] for box in widths["boxes"]), widths  # it scrolls
    box = page.locator(".table-wrap").first
    box.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('table-wrap')")
    assert_accessible(page, where=name)
