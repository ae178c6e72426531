"""The public site in a real browser: every language renders, the switcher works, WCAG 2.1 AA.

Screenshots of the home pages go to $SCREENSHOT_DIR (default test-artifacts/screenshots/).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from .harness import (
    axe_check,
    format_violations,
    language_problems,
    page_log,
    screenshot,
    text_in_page_language,
)

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("default_content")]

# URL namespaces that are not the public site (the API has no language prefix; its docs page
# is tested in infopoint/api/tests).
NOT_PUBLIC = {"admin", "api"}

# Addresses that answer with something other than a whole page, so the page checks do not
# apply; each is tested where it is used. Every other public address is still walked.
NOT_STANDALONE = {
    # An HTML fragment (no <html>, <title> or <h1>) of articles matching what is typed into
    # the enquiry form, made to be fetched (htmx) into that form's page; tested in
    # infopoint/knowledge/tests/test_views.py.
    "knowledge:suggest",
    # Signing out is a POST from a button; tested in infopoint/accounts/tests.
    "accounts:sign_out",
    # The news as an Atom feed (XML for feed readers); parsed in infopoint/news/tests.
    "news:feed",
    # The suggestions fragment beside the enquiry form, fetched by its script; tested in
    # infopoint/enquiries/tests/views/test_suggestions.py.
    "enquiries:suggestions",
    # The health report (JSON for load balancers); tested in infopoint/core/tests.
    "healthz",
    # A redirect to the site's icon (an SVG); tested in infopoint/pages/tests.
    "favicon",
}
# Public pages that take arguments, with ones the default content has.
WITH_ARGUMENTS = [
    ("news:item", ["information-point-for-foreigners-online"]),
    ("news:year", [2021]),
    ("news:month", [2021, 2]),
]


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES)[code]


def public_url_names() -> list[str]:
    """Names of the public pages that take no argument, the home page first."""
    names: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in NOT_PUBLIC:
                    continue
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif pattern.name:
                names.append(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    reversible = []
    for name in dict.fromkeys(names):
        try:
            reverse(name)
        except NoReverseMatch:
            continue  # takes arguments
        reversible.append(name)
    return sorted(reversible, key=lambda name: name != "pages:home")


def url(name: str, language: str) -> str:
    with translation.override(language):
        return reverse(name)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "language" in metafunc.fixturenames:
        metafunc.parametrize("language", language_codes())
    if "page_name" in metafunc.fixturenames:
        names = [n for n in public_url_names() if n != "pages:home" and n not in NOT_STANDALONE]
        metafunc.parametrize(
            "page_name",
            names
            or [pytest.param("", marks=pytest.mark.skip(reason="no public page but home yet"))],
        )


def switcher_entry(page: Page, code: str) -> Locator:
    """The switcher's link to ``code``, found by the language's own name as a visitor would."""
    return page.get_by_role("link", name=language_name(code), exact=True).first


def check_page(page: Page, language: str) -> list[str]:
    """Everything a public page in ``language`` must satisfy; returns what is wrong."""
    problems = []
    html_lang = page.locator("html").get_attribute("lang")
    if html_lang != language:
        problems.append(f"<html lang={html_lang!r}>, expected {language!r}")
    if not page.title().strip():
        problems.append("empty <title>")
    headings = page.locator("h1")
    if headings.count() != 1:
        problems.append(f"{headings.count()} <h1> elements, expected exactly one")
    elif not headings.first.is_visible() or not headings.first.inner_text().strip():
        problems.append("the <h1> is hidden or empty")
    problems += language_problems(text_in_page_language(page), language)
    problems += page_log(page).problems()
    violations = axe_check(page)
    if violations:
        problems.append(format_violations(violations))
    return problems


def test_home_page_renders_in_each_language(page: Page, language: str) -> None:
    response = page.goto(url("pages:home", language))
    assert response is not None
    assert response.status == 200
    screenshot(page, f"home-{language}")
    problems = check_page(page, language)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def test_every_public_page_in_each_language(page: Page, page_name: str, language: str) -> None:
    address = url(page_name, language)
    response = page.goto(address)
    assert response is not None
    if urlsplit(page.url).path != address and "/sign-in/" in page.url:
        pytest.skip(f"{page_name} is for signed-in staff")
    if response.status == 403:
        pytest.skip(f"{page_name} is for staff")
    assert response.status == 200, f"{page.url} answered {response.status}"
    problems = check_page(page, language)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


@pytest.mark.parametrize(("name", "args"), WITH_ARGUMENTS)
def test_pages_with_arguments_in_each_language(
    page: Page, name: str, args: list[object], language: str
) -> None:
    with translation.override(language):
        address = reverse(name, args=args)
    response = page.goto(address)
    assert response is not None
    assert response.status == 200, f"{page.url} answered {response.status}"
    problems = check_page(page, language)
    assert not problems, f"{page.url}:\n" + "\n".join(problems)


def test_switcher_goes_round_every_language_on_the_home_page(page: Page) -> None:
    codes = language_codes()
    page.goto(url("pages:home", codes[0]))
    for code in [*codes[1:], codes[0]]:
        switcher_entry(page, code).click()
        page.wait_for_url(f"**{url('pages:home', code)}")
        assert page.locator("html").get_attribute("lang") == code


def test_switcher_keeps_the_page(page: Page) -> None:
    # A page of the public site: staff pages send the visitor to sign in first.
    deeper = [
        name for name in public_url_names() if name.startswith("pages:") and name != "pages:home"
    ]
    if not deeper:
        pytest.skip("no public page other than the home page yet")
    name = deeper[0]
    source, target = language_codes()[0], language_codes()[1]
    page.goto(url(name, source))
    switcher_entry(page, target).click()
    page.wait_for_url(f"**{url(name, target)}")
    assert page.locator("html").get_attribute("lang") == target


def test_language_choice_is_remembered(page: Page) -> None:
    browser_default = {settings.LANGUAGE_CODE, "en"}  # headless Chromium asks for en-US
    chosen = next((c for c in language_codes() if c not in browser_default), None)
    if chosen is None:
        pytest.skip("every language offered is one a fresh browser gets anyway")
    page.goto("/")
    assert urlsplit(page.url).path != url("pages:home", chosen), "chosen before any visit"
    page.goto(url("pages:home", chosen))
    page.goto("/")
    assert urlsplit(page.url).path == url("pages:home", chosen)


def test_home_page_and_switcher_work_without_javascript(no_js_page: Page) -> None:
    page = no_js_page
    source, target = language_codes()[0], language_codes()[1]
    response = page.goto(url("pages:home", source))
    assert response is not None
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    switcher_entry(page, target).click()
    page.wait_for_url(f"**{url('pages:home', target)}")
    assert page.locator("html").get_attribute("lang") == target


def test_home_page_on_a_phone(mobile_page: Page) -> None:
    page = mobile_page
    language = language_codes()[1]
    page.goto(url("pages:home", language))
    screenshot(page, f"home-{language}-mobile")
    violations = axe_check(page)
    assert not violations, format_violations(violations, where=f"on a phone, {page.url}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone (WCAG 1.4.10)"
