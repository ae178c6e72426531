"""Legal advice booked in a real browser, in Russian, then cancelled through the e-mailed link.

A visitor opens the Russian start page, chooses a free time (a radio in a form), gives their
details and consent, and sees the confirmation. The confirmation e-mail crosses a real SMTP
server on loopback, in Russian, with the .ics invitation attached (read back with the
independent icalendar parser). The private link in the e-mail opens the appointment in a fresh
browser; the visitor cancels it after a confirmation step, gets the CANCEL, and the time is
free again at once. Every page passes axe (WCAG 2.1 AA, nothing serious or critical).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import time as clock
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from infopoint.appointments.models import Adviser, AvailabilityRule, Booking, BookingStatus
from infopoint.appointments.selectors import slots_free
from infopoint.hours.calendar import office_zone
from tests.mailservers import ReceivedMail, SmtpServer

from .harness import ROOT, assert_accessible, page_log, screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("default_content")]

NAME = "Ирина Петренко"
EMAIL = "iryna.petrenko@example.com"
DESCRIPTION = "Хочу узнать, как обжаловать отказ в выдаче карты побыту."


@pytest.fixture(scope="session")
def compiled_catalogues(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's catalogues, compiled (as compilemessages does)."""
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext tools are not installed (Debian: gettext)")
    folder = tmp_path_factory.mktemp("locale")
    for po_file in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        target = folder / po_file.relative_to(ROOT / "locale")
        target.parent.mkdir(parents=True)
        subprocess.run(
            ["msgfmt", "--check-format", "-o", str(target.with_suffix(".mo")), str(po_file)],
            check=True,
        )
    return folder


@pytest.fixture
def smtp(settings: Any, compiled_catalogues: Path, live_server: Any) -> Iterator[SmtpServer]:
    """Mail goes through a live SMTP server on loopback; links point at the live server."""
    settings.LOCALE_PATHS = [compiled_catalogues]
    settings.SITE_URL = live_server.url
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def adviser(db: None) -> Adviser:
    """A legal adviser who speaks Russian, available whenever the point is open."""
    from infopoint.accounts.models import Role, User
    from infopoint.accounts.services import user_roles_set

    user = User.objects.create_user(
        username="adviser", first_name="Anna", last_name="Kowalska", languages=["pl", "ru"]
    )
    user_roles_set(user=user, roles=[Role.ADVISER])
    adviser = Adviser.objects.create(
        user=user, appointment_minutes=45, buffer_minutes=15, location="Room 12"
    )
    for weekday in range(6):
        AvailabilityRule.objects.create(
            adviser=adviser, weekday=weekday, starts_at=clock(9), ends_at=clock(19)
        )
    return adviser


def url(name: str, **kwargs: Any) -> str:
    with translation.override("ru"):
        return reverse(f"appointments:{name}", kwargs=kwargs or None)


def in_russian(text: str) -> str:
    with translation.override("ru"):
        return gettext(text)


def russian_datetime(value: Any) -> str:
    with translation.override("ru"):
        return formats.date_format(timezone.localtime(value, office_zone()), "DATETIME_FORMAT")


def wait_for_mail(server: SmtpServer, count: int) -> list[ReceivedMail]:
    deadline = time.monotonic() + 10
    while len(server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(server.messages) >= count, [m.message["Subject"] for m in server.messages]
    return server.messages


def calendar_of(received: ReceivedMail) -> Any:
    import icalendar

    parts = [
        part
        for part in received.message.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]
    assert len(parts) == 1, "the e-mail carries one .ics invitation"
    assert parts[0].get_filename() == "invite.ics"
    return parts[0], icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def assert_no_problems(page: Page) -> None:
    expected = (
        "failed request: 400 ",
        "console error: Failed to load resource: the server responded with a status of 400",
    )
    problems = [text for text in page_log(page).problems() if not text.startswith(expected)]
    assert not problems, "\n".join(problems)


def test_book_in_russian_then_cancel_through_the_emailed_link(
    new_page: Callable[..., Page], live_server: Any, smtp: SmtpServer, adviser: Adviser
) -> None:
    page = new_page(locale="ru-RU")
    page.goto(url("start"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == in_russian("Free legal advice")
    assert_accessible(page, where="the start page")
    screenshot(page, "booking-journey-1-start")

    with page.expect_navigation():
        page.locator(f'main a[href="{url("choose")}"]').click()
    assert page.locator("#id_language").input_value() == "ru"
    if not page.locator("input[name=slot]").count():
        # Late on a Saturday nothing is left this week: the next week has times.
        with page.expect_navigation():
            page.locator("a[rel=next]").click()
    assert_accessible(page, where="the list of free times")
    screenshot(page, "booking-journey-2-choose")
    first = page.locator("input[name=slot]").first
    key = first.get_attribute("value") or ""
    first.check()
    submit(page)

    # The details form: sent empty, it says what is missing and books nothing.
    assert page.locator("h1").inner_text() == in_russian("Your details")
    assert_accessible(page, where="the details form")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert not Booking.objects.exists()
    assert_accessible(page, where="the details form with errors")
    page.fill("#id_name", NAME)
    page.fill("#id_email", EMAIL)
    page.fill("#id_description", DESCRIPTION)
    page.check("#id_consent")
    submit(page)

    # The confirmation panel with the date, the time and the place.
    booking = Booking.objects.get()
    assert (booking.status, booking.language, booking.email) == ("booked", "ru", EMAIL)
    assert booking.consent_version
    panel = page.locator(".panel").first
    assert panel.locator(".panel__title").inner_text() == in_russian("Your appointment is booked")
    assert "Room 12" in page.locator("main").inner_text()
    ics_link = page.locator('a[href$="/invite.ics"]')
    assert ics_link.count() == 1
    assert_accessible(page, where="the confirmation page")
    screenshot(page, "booking-journey-3-booked")

    # The confirmation e-mail, over SMTP, in Russian, with the invitation.
    (received,) = wait_for_mail(smtp, 1)
    assert received.rcpt_tos == [EMAIL]
    body = received.message.get_body(preferencelist=("plain",)).get_content()
    assert in_russian("Your legal-advice appointment is booked.") in body
    assert russian_datetime(booking.starts_at) in body
    part, calendar = calendar_of(received)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == booking.uid
    assert event.decoded("DTSTART") == booking.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert calendar.walk("VTIMEZONE")

    links = re.findall(rf"{re.escape(live_server.url)}/ru/appointments/b/[^\s/]+/", body)
    assert links, f"no private link in the e-mail:\n{body}"

    # Another day, another browser: the link alone opens the appointment.
    later = new_page(locale="ru-RU")
    later.goto(links[0])
    assert later.locator("h1").inner_text() == in_russian("Your appointment")
    assert_accessible(later, where="the appointment through its private link")
    with later.expect_navigation():
        later.locator('main a[href$="/cancel/"]').click()
    assert later.locator("h1").inner_text() == in_russian("Cancel your appointment")
    assert Booking.objects.get().status == BookingStatus.BOOKED  # nothing changes before "yes"
    assert_accessible(later, where="the cancel confirmation")
    screenshot(later, "booking-journey-4-cancel")
    submit(later)
    assert later.locator(".panel__title").inner_text() == in_russian(
        "Your appointment is cancelled"
    )
    assert_accessible(later, where="the cancelled page")
    screenshot(later, "booking-journey-5-cancelled")
    assert Booking.objects.get().status == BookingStatus.CANCELLED

    # The CANCEL for the calendar, by e-mail.
    cancel = wait_for_mail(smtp, 2)[1]
    part, calendar = calendar_of(cancel)
    assert part.get_param("method") == "CANCEL"
    (event,) = calendar.walk("VEVENT")
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (booking.uid, 1)

    # The time is free again at once: offered by the service and on the page.
    day = timezone.localtime(booking.starts_at, office_zone()).date()
    assert booking.starts_at in [s.starts_at for s in slots_free(start=day, end=day)]
    later.goto(url("choose") + f"?language=ru&week={day.isoformat()}")
    assert later.locator(f'input[name=slot][value="{key}"]').count() == 1
    # The old link no longer changes anything.
    later.goto(links[0])
    assert in_russian("This appointment has been cancelled.") in later.locator("main").inner_text()
    assert_accessible(later, where="the link of a cancelled appointment")
    assert_no_problems(page)
