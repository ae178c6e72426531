"""Fixtures with real mail servers on loopback (see tests/mailservers.py).

``smtp_server`` sends Django's mail through a live aiosmtpd; ``imap_server`` gives each
test a fresh, empty mailbox on a live Dovecot (skipped with the reason when Dovecot
is missing and cannot be installed).
"""

from collections.abc import Iterator

import pytest

from tests.mailservers import DovecotServer, ImapTestMailbox, SmtpServer, dovecot_unavailable_reason


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A running SMTP server; Django's mail settings point at it for this test."""
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = DovecotServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def imap_server(dovecot: DovecotServer) -> ImapTestMailbox:
    """An empty mailbox of its own: ``.url``, ``.append(raw)``, ``.seen()``, ``.unseen()``."""
    return dovecot.mailbox()
