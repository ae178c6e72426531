"""Fixtures shared by the cross-app tests (journeys and browser tests)."""

import pytest

# The live mail servers of the mail app's tests (Dovecot over IMAP, aiosmtpd), for journeys.
from infopoint.mail.tests.conftest import dovecot, imap_server, smtp_server  # noqa: F401


@pytest.fixture
def default_content(db: None) -> dict[str, int]:
    """The city's default content (Kraków's unless CONTENT_DIR names another), loaded.

    With ``live_server`` in the test the database is transactional, so the live server
    sees these rows too. Returns the number of rows each app created or changed.
    """
    from infopoint.core.content import default_content_load

    return default_content_load()
