"""The SMTP server and the IMAP server (Dovecot) go away and come back: nothing is lost,
nothing arrives twice. In this process, on the suite's database, with real servers."""

import contextlib
import os
import signal
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from infopoint.enquiries.models import Enquiry, Message
from infopoint.mail.imap import ImapError
from infopoint.mail.models import OutgoingMessage
from infopoint.mail.services import (
    mail_incoming_handler,
    mail_queue,
    mailbox_fetch,
    outbox_send_due,
)
from tests.mailservers import DOVECOT, DovecotServer, dovecot_unavailable_reason, wait_for_port

from .servers import FaultSmtp, reachable

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def queue(numbers: range) -> None:
    with transaction.atomic():  # sent at commit, as the desk's mail is
        for number in numbers:
            mail_queue(
                to=[f"person{number}@example.org"],
                subject=f"Your enquiry {number}",
                text="We have your question.",
                message_id=f"<away-{number}@example.org>",
            )


def test_smtp_server_away_then_back_sends_every_email_once(settings) -> None:
    smtp = FaultSmtp().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp.port, 2
    try:
        queue(range(3))
        assert len(smtp.messages) == 3

        smtp.stop()
        assert not reachable(smtp.port)
        queue(range(3, 6))  # each try fails; the mail waits in the outbox
        waiting = OutgoingMessage.objects.filter(status="queued")
        assert sorted(waiting.values_list("attempts", flat=True)) == [1, 1, 1]
        assert outbox_send_due(now=timezone.now() + timedelta(minutes=2)) == 0  # still away

        smtp.start()  # back, on the same port
        assert outbox_send_due() == 0  # each waits out its back-off first
        assert outbox_send_due(now=timezone.now() + timedelta(minutes=5)) == 3
        assert outbox_send_due(now=timezone.now() + timedelta(hours=2)) == 0
    finally:
        smtp.stop()
    assert smtp.message_ids() == Counter({f"<away-{number}@example.org>": 1 for number in range(6)})
    assert set(OutgoingMessage.objects.values_list("status", flat=True)) == {"sent"}


def incoming(number: int) -> bytes:
    return (
        f"From: Person {number} <person{number}@example.org>\r\n"
        "To: info-point@example.invalid\r\n"
        f"Subject: Work permit question {number}\r\n"
        f"Message-ID: <away-{number}@example.org>\r\n"
        "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello, do I need a work permit for a second job? Question {number}.\r\n"
    ).encode()


def _descendants(pid: int) -> list[int]:
    children = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent_of(entry) == pid
    ]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


def _parent_of(entry: Path) -> int | None:
    try:
        return int((entry / "stat").read_text().rpartition(")")[2].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _dovecot_stop(server: DovecotServer) -> None:
    """Kills the server and its IMAP processes, as a crash would, but keeps its folder
    (DovecotServer.stop would delete the mail)."""
    assert server.process is not None
    for pid in [server.process.pid, *_descendants(server.process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.process.wait(timeout=10)


def _dovecot_start_again(server: DovecotServer) -> None:
    server.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(server.root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(server.port)


def test_dovecot_away_mid_run_then_back_makes_each_enquiry_once() -> None:
    reason = dovecot_unavailable_reason()
    if reason:
        pytest.skip(reason)
    server = DovecotServer().start()  # its own, as it is stopped and started again
    try:
        mailbox = server.mailbox()
        for number in range(4):
            mailbox.append(incoming(number))
        desk = mail_incoming_handler()
        assert desk is not None
        handled: list[str] = []

        def desk_then_server_gone(parsed) -> None:
            desk(parsed)
            handled.append(parsed.message_id)
            if len(handled) == 2:  # committed, but the server is gone before "seen"
                _dovecot_stop(server)

        with pytest.raises(ImapError):
            mailbox_fetch(handle=desk_then_server_gone, url=mailbox.url)
        with pytest.raises(ImapError):  # while it is away, a run fails cleanly
            mailbox_fetch(handle=desk, url=mailbox.url)
        assert Enquiry.objects.count() == 2

        _dovecot_start_again(server)
        assert len(mailbox.unseen()) == 3  # the second was processed, not marked seen
        result = mailbox_fetch(handle=desk, url=mailbox.url)
        assert (result.processed, result.skipped, result.failed) == (2, 1, 0)
        assert mailbox.unseen() == []
    finally:
        server.stop()
    ids = Message.objects.filter(email_message_id__startswith="away-")
    assert Counter(ids.values_list("email_message_id", flat=True)) == Counter(
        {f"away-{number}@example.org": 1 for number in range(4)}
    )
    assert Enquiry.objects.count() == 4
