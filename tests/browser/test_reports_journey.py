"""A coordinator reads the reports in a real browser and downloads them as a spreadsheet.

Signed out, the reports send the coordinator to sign in; signed in, the coordinator chooses
October 2026 in the period form, sees the tables and their SVG charts (axe-core: WCAG 2.1 AA,
nothing serious or critical, also for the error page of an impossible period), downloads
every table as one XLSX file and opens it with openpyxl: its figures are the database's. The
printed page leaves out the menus and the forms. The monthly summary works without JavaScript.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.appointments.models import Booking, BookingStatus
from infopoint.enquiries.models import Channel, Enquiry, Referral, Status
from infopoint.hours.calendar import office_zone
from infopoint.reports.tests.factories import (
    AdviserFactory,
    BookingFactory,
    EnquiryFactory,
    ReferralFactory,
    institution_named,
    topic_named,
)

from .harness import assert_accessible, page_log, screenshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser
WARSAW = office_zone()
OCTOBER = (datetime(2026, 10, 1, tzinfo=WARSAW), datetime(2026, 11, 1, tzinfo=WARSAW))


def _url(name: str, **kwargs: Any) -> str:
    with translation.override("en"):
        return reverse(name, **kwargs)


@pytest.fixture
def coordinator(transactional_db: None) -> User:
    user = User.objects.create_user(username="marta", first_name="Marta", last_name="Nowak")
    return user_roles_set(user=user, roles=[Role.COORDINATOR])


@pytest.fixture
def figures(transactional_db: None) -> None:
    """October 2026: enquiries on two topics in three channels, answers, referrals, bookings."""
    topics = [topic_named("Residence permits"), topic_named("Work")]
    institution = institution_named("Voivodeship Office")
    adviser = AdviserFactory()
    channels = [Channel.WEB, Channel.EMAIL, Channel.PHONE]
    for number in range(12):
        created = datetime(2026, 10, 1 + number * 2, 10, tzinfo=WARSAW)
        answered = number % 3 != 0
        enquiry = EnquiryFactory(
            created_at=created,
            topic=topics[number % 2],
            channel=channels[number % 3],
            language=["uk", "ru", "pl", "en"][number % 4],
            status=Status.ANSWERED if answered else Status.OPEN,
            first_response_at=created.replace(hour=15) if answered else None,
            first_response_working_seconds=5 * 3600 if answered else None,
        )
        if number % 4 == 0:
            ReferralFactory(enquiry=enquiry, institution=institution, created_at=created)
        BookingFactory(
            adviser=adviser,
            starts_at=created.replace(hour=16),
            status=[BookingStatus.HELD, BookingStatus.NO_SHOW, BookingStatus.CANCELLED][number % 3],
        )
    # Outside the period: must not be counted.
    EnquiryFactory(created_at=datetime(2026, 11, 1, 0, 0, tzinfo=WARSAW), topic=topics[0])


def _sign_in(page: Page, user: User, live_server: Any) -> None:
    """Gives the browser a signed-in session of ``user``, made as signing in makes it.

    Signing in (password, second factor) has its own journey; this one is about reports.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _rows(sheet: Any) -> dict[str, tuple[Any, ...]]:
    """A sheet's rows under its header, by their first cell."""
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True)}


def test_coordinator_reads_and_downloads_the_reports(
    new_page: Callable[..., Page],
    live_server: Any,
    coordinator: User,
    figures: None,
    tmp_path: Path,
) -> None:
    page = new_page(accept_downloads=True)
    # Not signed in yet: the reports send the coordinator to sign in first.
    page.goto(_url("reports:index"))
    assert urlsplit(page.url).path != _url("reports:index")
    _sign_in(page, coordinator, live_server)
    page.goto(_url("reports:index"))

    page.fill("#id_start", "2026-10-01")
    page.fill("#id_end", "2026-10-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the reports").click()
    assert page.get_by_role("heading", name="Enquiries by topic").is_visible()
    assert page.locator("svg[role=img]").count() == 7
    # Each chart is an image named by its <title>, described by its <desc>.
    topic_chart = page.get_by_role("img", name="Enquiries by topic", exact=True)
    assert topic_chart.get_attribute("aria-describedby") == "chart-topics-desc"
    assert "Largest:" in (topic_chart.locator("desc").text_content() or "")
    october = Enquiry.objects.filter(created_at__gte=OCTOBER[0], created_at__lt=OCTOBER[1])
    total = page.locator("section[aria-labelledby=topics-heading] tfoot td").inner_text()
    assert int(total) == october.count() == 12
    assert_accessible(page, where="reports")
    screenshot(page, "reports")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every table as one spreadsheet (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "infopoint-all-2026-10-01-2026-10-31.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    workbook = load_workbook(path, read_only=True)
    topics = _rows(workbook["topics"])
    for name in ("Residence permits", "Work"):
        assert topics[name] == (october.filter(topic__translations__name=name).count(),)
    assert topics["Total"] == (12,)
    channels = _rows(workbook["channels"])
    for channel in Channel:
        with translation.override("en"):
            label = str(channel.label)
        assert channels[label] == (october.filter(channel=channel).count(),)
    assert _rows(workbook["months"]) == {"2026-10": (12,), "Total": (12,)}
    response = _rows(workbook["response"])
    answered = october.filter(first_response_at__isnull=False).count()
    assert response["Answered"] == (answered,)
    assert response["Median time to the first answer (opening hours)"] == (5.0,)
    referrals = Referral.objects.filter(created_at__gte=OCTOBER[0], created_at__lt=OCTOBER[1])
    assert _rows(workbook["referrals"])["Voivodeship Office"] == (referrals.count(),)
    (adviser_row,) = [
        row for label, row in _rows(workbook["appointments"]).items() if label != "Total"
    ]
    bookings = Booking.objects.filter(starts_at__gte=OCTOBER[0], starts_at__lt=OCTOBER[1])
    assert adviser_row[:3] == (
        bookings.count(),
        bookings.filter(status=BookingStatus.HELD).count(),
        bookings.filter(status=BookingStatus.NO_SHOW).count(),
    )

    # Printed: the menus, the period form and the download links stay off the paper.
    page.emulate_media(media="print")
    assert not page.locator(".staff-nav").is_visible()
    assert not page.locator("form.report-period").is_visible()
    assert page.locator("svg[role=img]").first.is_visible()
    page.emulate_media(media="screen")

    assert page_log(page).problems() == []

    # An impossible period: the error summary names the field, nothing else is shown.
    page.fill("#id_start", "2026-10-31")
    page.fill("#id_end", "2026-10-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the reports").click()
    summary = page.locator(".error-summary")
    assert "The last day must be the same as or after the first day." in summary.inner_text()
    assert page.locator("svg[role=img]").count() == 0
    assert_accessible(page, where="reports with an error")
    # What went wrong is that page's own 400 (as a failed request and its console line).
    assert all("400" in problem for problem in page_log(page).problems())


def test_the_monthly_summary_works_without_javascript(
    new_page: Callable[..., Page], live_server: Any, coordinator: User, figures: None
) -> None:
    page = new_page(java_script_enabled=False)
    _sign_in(page, coordinator, live_server)
    page.goto(_url("reports:summary"))
    page.fill("#id_month", "2026-10")
    with page.expect_navigation():
        page.get_by_role("button", name="Show the month").click()
    assert page.get_by_role("heading", name="Monthly summary: October 2026").is_visible()
    headline = page.locator(".headline").inner_text()
    assert "Enquiries received\n12" in headline

    # axe-core runs in JavaScript: the same page, opened where it can.
    checked = new_page()
    _sign_in(checked, coordinator, live_server)
    checked.goto(page.url)
    assert_accessible(checked, where="monthly summary")
    screenshot(checked, "reports-summary")
