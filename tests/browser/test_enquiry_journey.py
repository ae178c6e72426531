"""The enquiry desk in a real browser, as a foreigner and a consultant live it.

A visitor opens the Ukrainian home page, follows the link to the form, asks a question in
Ukrainian and gets the confirmation panel and an acknowledgement e-mail in Ukrainian. The
e-mail's private link opens the thread, where the visitor writes again. A consultant signs in,
answers from the inbox; the answer shows on the private page; the visitor's next message sends
the enquiry back to the inbox, open again with a fresh due time. The form, its errors and the
private page pass axe (WCAG 2.1 AA, nothing serious or critical), and the form works without
JavaScript.

The live server runs in a thread of this process, so ``mail.outbox`` (locmem) holds what it
sent. The catalogues are compiled into a temporary folder for these tests, so they do not
depend on ``make setup-dev`` having run ``compilemessages``.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from infopoint.enquiries import conf
from infopoint.enquiries.models import Direction, Enquiry, Status

from .harness import (
    MOBILE,
    ROOT,
    assert_accessible,
    language_problems,
    page_log,
    screenshot,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from infopoint.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("default_content")]

QUESTION = (
    "Добрий день! Я з Харкова, живу в Кракові з березня. Як продовжити посвідку на "
    "тимчасове проживання і які документи потрібні?"
)
NAME = "Олена Коваленко"
EMAIL = "olena.kovalenko@example.com"
FOLLOW_UP = "Дякую! А чи можна подати документи онлайн?"
ANSWER = (
    "Добрий день, пані Олено! Заяву подають до Малопольського воєводського управління. "
    "Приходьте до нас у вівторок, ми допоможемо заповнити формуляр."
)
SECOND_QUESTION = "Дякую за відповідь. А якщо мій паспорт закінчується за місяць?"


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def compiled_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's catalogues, compiled (fuzzy entries left out, as compilemessages does)."""
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


@pytest.fixture(autouse=True)
def translated(settings: Any, compiled_locale: Path, live_server: Any) -> None:
    """Interface in every language; links in e-mails point at the live server."""
    settings.LOCALE_PATHS = [compiled_locale]
    settings.SITE_URL = live_server.url


@pytest.fixture
def consultant(db: None) -> tuple[User, str]:
    """A consultant who speaks Ukrainian and Polish, with a password to sign in."""
    from infopoint.accounts.models import Role, User
    from infopoint.accounts.services import role_groups_ensure

    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(
        username="oksana",
        password=password,
        first_name="Oksana",
        last_name="Melnyk",
        is_staff=True,
        languages=["uk", "pl"],
    )
    user.groups.add(role_groups_ensure()[Role.CONSULTANT])
    return user, password


# --- helpers ---------------------------------------------------------------------------------


def url(name: str, language: str, **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def in_language(language: str, text: str) -> str:
    """``text`` (an English msgid) as the catalogue of ``language`` has it."""
    with translation.override(language):
        return gettext(text)


def local_datetime(value: Any, language: str) -> str:
    """A date and time as templates show it with |date:"DATETIME_FORMAT"."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def fill_the_form(page: Page) -> str:
    """Fills the whole enquiry form in Ukrainian; returns the topic chosen (its slug)."""
    topic = page.locator("#id_topic option").nth(1).get_attribute("value") or ""
    assert topic, "the topic list offers no topic beside “I don’t know”"
    page.select_option("#id_topic", topic)
    page.fill("#id_question", QUESTION)
    page.fill("#id_name", NAME)
    page.fill("#id_email", EMAIL)
    page.select_option("#id_preferred_language", "uk")
    page.check("#id_consent")
    return topic


def submit(page: Page, form: str = "main form") -> None:
    """Presses the form's submit button and waits for the next page."""
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").last.click()


def thread_texts(page: Page, direction: str) -> list[str]:
    return page.locator(f".thread__message--{direction}").all_inner_texts()


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if address in message.to]


def tracking_link(message: mail.EmailMessage, live_url: str) -> str:
    """The private link (to the live server, in Ukrainian) that ``message`` gives."""
    prefix = live_url + url("enquiries:track", "uk", token="TOKEN").removesuffix("TOKEN/")
    links = re.findall(rf"{re.escape(prefix)}[\w-]+/", message.body)
    assert links, f"no private link to the live site in the e-mail:\n{message.body}"
    return links[0]


def assert_no_problems(page: Page) -> None:
    """No console error, failed request or outside request, but the 400 of a form sent wrong."""
    expected = (
        "failed request: 400 ",
        "console error: Failed to load resource: the server responded with a status of 400",
    )
    problems = [text for text in page_log(page).problems() if not text.startswith(expected)]
    assert not problems, "\n".join(problems)


# --- the visitor -----------------------------------------------------------------------------


def test_a_foreigner_asks_in_ukrainian_and_follows_the_private_link(
    new_page: Callable[..., Page], live_server: Any
) -> None:
    page = new_page(locale="uk-UA")
    page.goto("/uk/")
    form_url = url("enquiries:new", "uk")
    with page.expect_navigation():
        page.locator(f'main a[href="{form_url}"]').first.click()
    assert page.url.endswith(form_url)
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.locator("h1").inner_text() == in_language("uk", "Ask a question")
    assert_accessible(page, where="the empty enquiry form")
    screenshot(page, "enquiry-journey-1-form")

    # Sent empty: the error summary links to each field, and nothing is stored.
    submit(page)
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() >= 3
    assert page.locator(".field--error").count() >= 3
    assert page.title().startswith(in_language("uk", "Error:"))
    assert not Enquiry.objects.exists()
    assert_accessible(page, where="the enquiry form with errors")
    screenshot(page, "enquiry-journey-2-errors")
    summary.locator('a[href="#id_question"]').click()
    assert page.evaluate("document.activeElement.id") == "id_question"

    topic = fill_the_form(page)
    submit(page)

    # The confirmation panel: the reference number and when we answer.
    enquiry = Enquiry.objects.get()
    year = timezone.localtime(enquiry.created_at).year
    assert enquiry.reference == f"{conf.reference_prefix()}-{year}-000001"
    assert (enquiry.topic.slug if enquiry.topic else "") == topic
    assert enquiry.preferred_language == "uk"
    assert enquiry.email == EMAIL
    panel = page.locator(".panel").first
    assert panel.locator(".panel__title").inner_text() == in_language(
        "uk", "Your question has been sent"
    )
    assert panel.locator("strong").inner_text() == enquiry.reference
    assert enquiry.due_at is not None and enquiry.due_at > enquiry.created_at
    due = local_datetime(enquiry.due_at, "uk")
    assert due in page.locator("main").inner_text()
    assert thread_texts(page, "in") and QUESTION in thread_texts(page, "in")[0]
    assert_accessible(page, where="the confirmation on the private page")
    screenshot(page, "enquiry-journey-3-confirmation")

    # The acknowledgement, in Ukrainian, with the private link.
    acknowledgements = sent_to(EMAIL)
    assert len(acknowledgements) == 1, [message.subject for message in mail.outbox]
    acknowledgement = acknowledgements[0]
    assert enquiry.reference in acknowledgement.subject
    received = in_language(
        "uk", "We have received your question. This is an automatic confirmation."
    )
    assert received != "We have received your question. This is an automatic confirmation.", (
        "the Ukrainian catalogue lacks the acknowledgement"
    )
    assert received in acknowledgement.body
    assert due in acknowledgement.body
    assert not language_problems(acknowledgement.body, "uk"), language_problems(
        acknowledgement.body, "uk"
    )
    link = tracking_link(acknowledgement, live_server.url)

    # A fresh browser (the e-mail opened on another day): the link alone opens the thread.
    later = new_page(locale="uk-UA")
    later.goto(link)
    assert later.locator("h1").inner_text() == in_language("uk", "Enquiry %(reference)s") % {
        "reference": enquiry.reference
    }
    assert not later.locator(".panel__title").count()  # the confirmation is shown only once
    assert QUESTION in later.locator(".thread").inner_text()
    assert_accessible(later, where="the private page")

    later.fill("#id_text", FOLLOW_UP)
    submit(later)
    assert later.locator(".panel--small").inner_text() == in_language(
        "uk", "Your message has been sent."
    )
    assert [FOLLOW_UP in text for text in thread_texts(later, "in")] == [False, True]
    assert enquiry.messages.filter(direction=Direction.IN).count() == 2
    assert_accessible(later, where="the private page after a message")
    screenshot(later, "enquiry-journey-4-thread")

    assert_no_problems(page)
    assert_no_problems(later)


def test_the_form_works_without_javascript_on_a_phone(new_page: Callable[..., Page]) -> None:
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, java_script_enabled=False)
    page.goto(url("enquiries:new", "uk"))
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert not Enquiry.objects.exists()
    # What was typed stays; only the missing parts are asked for.
    page.fill("#id_question", QUESTION)
    submit(page)
    assert page.locator("#id_question").input_value() == QUESTION
    assert page.locator('.error-summary a[href="#id_question"]').count() == 0

    fill_the_form(page)
    submit(page)
    enquiry = Enquiry.objects.get()
    assert page.locator(".panel strong").inner_text() == enquiry.reference
    page.fill("#id_text", FOLLOW_UP)
    submit(page)
    assert FOLLOW_UP in page.locator(".thread").inner_text()
    screenshot(page, "enquiry-journey-no-js-phone")
    assert_no_problems(page)


# --- the consultant --------------------------------------------------------------------------


def test_a_consultant_answers_and_the_visitors_reply_reopens_the_enquiry(
    new_page: Callable[..., Page], live_server: Any, consultant: tuple[User, str]
) -> None:
    visitor = new_page(locale="uk-UA")
    visitor.goto(url("enquiries:new", "uk"))
    fill_the_form(visitor)
    submit(visitor)
    enquiry = Enquiry.objects.get()
    private_page = visitor.url

    # The consultant signs in through the admin's login page and lands in the inbox.
    user, password = consultant
    staff = new_page()
    inbox = url("enquiries:staff:inbox", "en")
    staff.goto(f"{url('admin:login', 'en')}?next={inbox}")
    staff.fill("#id_username", user.username)
    staff.fill("#id_password", password)
    with staff.expect_navigation():
        staff.locator("#login-form [type=submit]").click()
    assert urlsplit(staff.url).path == inbox
    with staff.expect_navigation():
        staff.get_by_role("link", name=enquiry.reference).click()
    assert urlsplit(staff.url).path == url("enquiries:staff:detail", "en", pk=enquiry.pk)
    assert QUESTION in staff.locator(".thread").inner_text()

    reply_form = f'form[action="{url("enquiries:staff:reply", "en", pk=enquiry.pk)}"]'
    staff.locator(reply_form).locator("textarea").fill(ANSWER)
    assert staff.locator(reply_form).locator(f'input[value="{Status.ANSWERED}"]').is_checked()
    submit(staff, reply_form)
    screenshot(staff, "enquiry-journey-5-staff-answered")
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    answers = sent_to(EMAIL)[1:]
    assert len(answers) == 1 and ANSWER in answers[0].body
    assert enquiry.reference in answers[0].subject

    # No longer waiting in the inbox's open enquiries.
    staff.goto(f"{inbox}?status={Status.OPEN}")
    assert staff.get_by_role("link", name=enquiry.reference).count() == 0

    # The visitor sees the answer on the private page and writes again.
    visitor.goto(private_page)
    answer_text = "\n".join(thread_texts(visitor, "out"))
    assert ANSWER in answer_text
    assert "Oksana" not in answer_text  # the site answers, not a named person
    visitor.fill("#id_text", SECOND_QUESTION)
    submit(visitor)
    assert SECOND_QUESTION in thread_texts(visitor, "in")[-1]
    assert_accessible(visitor, where="the private page with an answer")
    screenshot(visitor, "enquiry-journey-6-visitor-again")

    # Reopened: open again, with a fresh due time, and back among the inbox's open enquiries.
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    assert enquiry.due_at is not None and enquiry.due_at > timezone.now()
    staff.goto(f"{inbox}?status={Status.OPEN}")
    row = staff.locator("tr", has=staff.get_by_role("link", name=enquiry.reference))
    assert row.count() == 1
    with translation.override("en"):
        assert str(Status.OPEN.label) in row.inner_text()
    with staff.expect_navigation():
        row.get_by_role("link", name=enquiry.reference).click()
    assert SECOND_QUESTION in staff.locator(".thread").inner_text()

    assert_no_problems(visitor)
    assert_no_problems(staff)
