import pytest
from django.core.cache import cache

# The appointments' own: an adviser on Tuesdays 15–19 and the clock at Monday 23 November 2026.
from infopoint.appointments.tests.conftest import adviser, frozen, make_adviser  # noqa: F401

# The desk's office hours and site settings, so due times and links are as in production.
from infopoint.enquiries.tests.conftest import _site_settings, office_hours  # noqa: F401

# The knowledge base's: the default topics and directory, and three published articles.
from infopoint.knowledge.tests.conftest import articles, directory  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()
