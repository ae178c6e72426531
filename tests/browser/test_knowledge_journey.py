"""The knowledge base in a real browser, in Ukrainian, from the question to the answer.

A foreigner searches the public site with an inflected, misspelled question and finds the
article; types an enquiry and sees suggestions appear while typing (and, without JavaScript,
after pressing "Check for answers first"); opens one (counted), then sends the question. A
consultant signs in, sees the suggested topic, referral and articles, drafts a reply from an
article (Ukrainian text appears in the answer box), edits it and sends it. axe-core checks
the public pages (WCAG 2.1 AA, nothing serious or critical).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from infopoint.directory.models import Institution
from infopoint.enquiries.models import Enquiry, EnquiryTriage, Status, SuggestionOpening
from infopoint.knowledge.consultant import draft_reply
from infopoint.knowledge.models import Article, TriageExample

from .harness import assert_accessible, page_log, screenshot
from .test_enquiry_journey import (  # noqa: F401 (fixtures)
    compiled_locale,
    consultant,
    in_language,
    submit,
    translated,
    url,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from infopoint.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("default_content")]

# Inflected and misspelled ("песеля", genitive, in Cyrillic), as people type it.
SEARCH = "де отримати номер песеля"
QUESTION = (
    "Добрий день! Як продовжити карту побиту? Мій дозвіл на тимчасове перебування "
    "закінчується через місяць."
)
PERMIT = "temporary-residence-permit"
OFFICE = "voivodeship-office-foreigners"
EMAIL = "olena.kovalenko@example.com"
SIGNATURE = "Оксана, Інформаційний пункт"
# The first model loads in the live server's process can take a while on two cores.
SLOW_MS = 30_000


def permit_title(language: str = "uk") -> str:
    return Article.objects.get(slug=PERMIT).translations.get(language=language).title


def assert_no_problems(page: Page) -> None:
    problems = page_log(page).problems()
    assert not problems, "\n".join(problems)


def sign_in(page: Page, user: User, live_server: Any) -> None:
    """Gives the browser a signed-in session of ``user``, made as signing in makes it.

    Signing in (password, second factor) has its own journey; this one is about answers.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_a_foreigner_finds_the_answer_and_a_consultant_drafts_from_it(
    new_page: Callable[..., Page],
    live_server: Any,
    consultant: tuple[User, str],  # noqa: F811 (the fixture imported above)
) -> None:
    # --- search, inflected and misspelled --------------------------------------------------
    page = new_page(locale="uk-UA")
    page.goto(url("knowledge:search", "uk"))
    assert_accessible(page, where="the search page")
    page.fill("#id_q", SEARCH)
    submit(page, "main form[role=search]")
    first = page.locator(".results li h3 a").first
    assert first.get_attribute("href", timeout=SLOW_MS).startswith(
        url("knowledge:article", "uk", slug="pesel-number")
    )
    assert first.inner_text() == "Номер PESEL"
    assert_accessible(page, where="the search results")
    screenshot(page, "knowledge-journey-1-search")
    with page.expect_navigation():
        first.click()
    assert page.locator("h1").inner_text() == "Номер PESEL"
    assert_accessible(page, where="an article")

    # --- suggestions while typing (JavaScript) ----------------------------------------------
    page.goto(url("enquiries:new", "uk"))
    page.fill("#id_question", QUESTION)
    region = page.locator('#suggestions[aria-live="polite"]')
    region.locator("a").first.wait_for(timeout=SLOW_MS)
    assert permit_title() in region.inner_text()
    assert region.locator("h2").inner_text() == in_language(
        "uk", "These pages may answer your question"
    )
    assert_accessible(page, where="the enquiry form with suggestions")
    screenshot(page, "knowledge-journey-2-suggestions")

    # Opening one keeps the form (a new tab) and is counted.
    link = region.get_by_role("link", name=permit_title(), exact=False).first
    with page.context.expect_page() as opened:
        link.click()
    article = opened.value
    article.wait_for_load_state()
    assert article.locator("h1").inner_text() == permit_title()
    article.close()
    assert SuggestionOpening.objects.filter(article_slug=PERMIT, submitted_at=None).count() == 1
    assert page.locator("#id_question").input_value() == QUESTION

    # The question is sent all the same; the opening is then not counted as abandoned.
    page.fill("#id_name", "Олена")
    page.fill("#id_email", EMAIL)
    page.select_option("#id_preferred_language", "uk")
    page.check("#id_consent")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    enquiry = Enquiry.objects.get()
    assert SuggestionOpening.objects.get().submitted_at is not None
    # Triaged after commit (in the web process: there is no broker in tests).
    triage = EnquiryTriage.objects.get(enquiry=enquiry)
    assert triage.language == "uk"
    assert triage.topic is not None and triage.topic.slug == "legal-stay"
    # Referred only when the evidence reaches the triage's calibrated threshold; never elsewhere.
    assert triage.referral is None or triage.referral.slug == OFFICE
    assert PERMIT in [item["slug"] for item in triage.articles]
    assert_no_problems(page)

    # --- the consultant ----------------------------------------------------------------------
    staff = new_page()
    sign_in(staff, consultant[0], live_server)
    staff.goto(url("enquiries:staff:detail", "en", pk=enquiry.pk))
    panel = staff.locator('section[aria-labelledby="triage-title"]')
    text = panel.inner_text()
    with translation.override("en"):
        assert str(triage.topic) in text
        assert (str(triage.referral) if triage.referral else "No referral suggested") in text
    assert permit_title() in text
    assert any(words in text for words in ("very likely", "likely", "possible", "unsure"))
    screenshot(staff, "knowledge-journey-3-consultant")

    # The consultant confirms the topic and sets the referral; retraining will learn from it.
    office = Institution.objects.get(slug=OFFICE)
    assert panel.locator("#id_triage-topic").input_value() == str(triage.topic_id)
    panel.locator("#id_triage-referral").select_option(str(office.pk))
    with staff.expect_navigation():
        panel.get_by_role("button", name="Save the topic and referral").click()
    example = TriageExample.objects.get(reference=enquiry.reference)
    assert (example.topic.slug, example.referral) == ("legal-stay", office)
    assert example.source == ("confirmation" if triage.referral else "correction")
    panel = staff.locator('section[aria-labelledby="triage-title"]')
    assert "Decided by staff" in panel.inner_text()

    mails_before = len(mail.outbox)
    draft_link = panel.locator(f'a[href^="?draft={PERMIT}"]')
    with staff.expect_navigation():
        draft_link.click()
    answer = staff.locator("#id_reply-text")
    draft = answer.input_value()
    with translation.override("uk"):
        expected = draft_reply(Article.objects.get(slug=PERMIT), "uk")
    assert draft.strip() == expected.strip()
    # The reply e-mail greets the enquirer by name; the draft starts with the answer.
    assert draft.startswith(in_language("uk", "Thank you for your question."))
    assert permit_title() in draft
    assert len(mail.outbox) == mails_before  # a draft is only text in the box

    # Edited before sending: nothing goes out until the consultant sends it.
    answer.fill(f"{draft}\n\n{SIGNATURE}")
    reply_form = f'form[action="{url("enquiries:staff:reply", "en", pk=enquiry.pk)}"]'
    submit(staff, reply_form)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    sent = [message for message in mail.outbox if EMAIL in message.to and SIGNATURE in message.body]
    assert len(sent) == 1
    assert permit_title() in sent[0].body
    assert_no_problems(staff)


def test_without_javascript_the_check_button_shows_the_suggestions(
    new_page: Callable[..., Page],
) -> None:
    page = new_page(locale="uk-UA", java_script_enabled=False)
    page.goto(url("enquiries:new", "uk"))
    page.fill("#id_question", QUESTION)
    page.fill("#id_name", "Олена")
    with page.expect_navigation(timeout=SLOW_MS):
        page.get_by_role("button", name=in_language("uk", "Check for answers first")).click()
    assert permit_title() in page.locator("#suggestions").inner_text()
    # Everything typed is still there, and nothing was sent.
    assert page.locator("#id_question").input_value() == QUESTION
    assert page.locator("#id_name").input_value() == "Олена"
    assert not page.locator(".error-summary").count()
    assert not Enquiry.objects.exists()
    # (axe-core needs JavaScript: the form with suggestions is checked in the journey above.)
    screenshot(page, "knowledge-journey-no-js-check")
    assert_no_problems(page)
