import pytest
from django.core.cache import cache

# The desk's office hours and site settings, so due times and links are as in production.
from infopoint.enquiries.tests.conftest import _site_settings, office_hours  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()
