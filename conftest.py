"""Fixtures shared by every test."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with no rate-limit counts (and no cached pages) of earlier tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_until_asked() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier test's request left active.

    A request activates its page's language in the test's thread and leaves it there, so
    without this a test's outcome could depend on the order tests run in. Tests about other
    languages say so (`translation.override`, or a URL with the language prefix).
    """
    from django.utils import translation

    with translation.override("en"):
        yield
