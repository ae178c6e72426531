"""Fixtures of the browser tests: Debian's Chromium driven by Playwright against live_server.

Every test here is marked ``@pytest.mark.browser``. Pages get ``base_url`` = the live
server, so ``page.goto("/uk/")`` works. Each page blocks requests outside the site and
records console errors and failed requests: ``harness.page_log(page).problems()``.
Browser tests live in this package (the Chromium fixture is package-scoped).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .harness import CHROMIUM, CHROMIUM_ARGS, DESKTOP, MOBILE, watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the browser tests (never one Playwright downloads).

    Playwright's sync API keeps an event loop in this thread, which makes Django refuse
    database access from the tests and fixtures (SynchronousOnlyOperation). They are not
    asynchronous code, so DJANGO_ALLOW_ASYNC_UNSAFE turns the check off (the documented
    pytest-django + Playwright practice), only while this browser is open: the tests that
    run after this package keep the check.
    """
    if not CHROMIUM.exists():
        pytest.skip(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, "
            "or scripts/system-packages.sh as root) to run the browser tests"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    saved = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if saved is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = saved


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh context (own cookies); keyword arguments go to new_context.

    ``new_page()`` is a desktop page; ``new_page(viewport=MOBILE, is_mobile=True)``,
    ``new_page(java_script_enabled=False)``, ``new_page(locale="uk-UA")`` ... as needed.
    """
    contexts = []

    def open_page(**options: Any) -> Page:
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        page = context.new_page()
        watch(page, live_server.url, javascript=options.get("java_script_enabled", True))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    """A desktop page, 1280x900."""
    return new_page()


@pytest.fixture
def mobile_page(new_page: Callable[..., Page]) -> Page:
    """A phone-sized page, 390x844, touch."""
    return new_page(viewport=MOBILE, is_mobile=True, has_touch=True)


@pytest.fixture
def no_js_page(new_page: Callable[..., Page]) -> Page:
    """A desktop page with JavaScript disabled: the site must work without it."""
    return new_page(java_script_enabled=False)
