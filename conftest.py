"""Fixtures shared by every test."""

import pytest


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with no rate-limit counts (and no cached pages) of earlier tests."""
    from django.core.cache import cache

    cache.clear()
