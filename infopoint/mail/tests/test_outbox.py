from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from infopoint.mail.models import OutgoingMessage
from infopoint.mail.parsing import parse_message
from infopoint.mail.selectors import outgoing_message_oldest_unsent_at
from infopoint.mail.services import (
    _outbox_claim,
    mail_queue,
    outbox_backoff,
    outbox_retry,
    outbox_send,
    outbox_send_due,
)
from tests.mailservers import SmtpServer, free_port

pytestmark = pytest.mark.django_db

SUBJECT = "Re: [IP-2026-0042] Запитання про PESEL"


def queue(**overrides):
    fields = {
        "to": ["Olena <olena@example.org>"],
        "subject": SUBJECT,
        "text": "Добрий день! Відповідь нижче.",
        "html": "<p>Добрий день! <b>Відповідь</b> нижче.</p>",
        "headers": {
            "In-Reply-To": "<q1@example.org>",
            "References": "<q1@example.org> <ack@example.invalid>",
        },
    }
    return mail_queue(**(fields | overrides))


def test_queue_stores_before_sending_and_sends_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue()
    assert message.status == OutgoingMessage.Status.QUEUED
    assert message.message_id.startswith("<") and message.message_id.endswith("@example.invalid>")
    assert message.headers["Message-ID"] == message.message_id
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")
    assert message.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_and_keeps_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the enquiry could not be saved")
    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_outside_tests_sending_happens_at_commit():
    with transaction.atomic():
        message = queue()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == "sent"


def test_nothing_is_sent_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(message_id="<given@example.invalid>")
    assert message.message_id == "<given@example.invalid>"
    assert outbox_send(pk=message.pk) is False
    assert outbox_send_due() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == "<given@example.invalid>"


def test_attachments_are_stored_and_sent(django_capture_on_commit_callbacks):
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(
            attachments=[
                ("invite.ics", ics, "text/calendar"),
                ("a.pdf", b"%PDF", "application/pdf"),
            ]
        )
    assert [a.filename for a in message.attachments.all()] == ["invite.ics", "a.pdf"]
    sent = mail.outbox[0].message()
    names = [part.get_filename() for part in sent.walk() if part.get_filename()]
    assert names == ["invite.ics", "a.pdf"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "two\nlines"},
        {"headers": {"X-Evil": "a\r\nBcc: victim@example.org"}},
        {"to": []},
        {"to": ["not an address"]},
    ],
)
def test_header_injection_and_bad_recipients_are_refused(overrides):
    with pytest.raises(ValidationError):
        queue(**overrides)
    assert not OutgoingMessage.objects.exists()


def test_backoff_doubles_up_to_an_hour():
    minutes = [outbox_backoff(attempt) / timedelta(minutes=1) for attempt in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_failing_backend_retries_then_fails(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.OUTBOX_MAX_ATTEMPTS = 3
    message = queue()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox_send(pk=message.pk) is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("queued", 1)
        assert message.next_attempt_at == start + timedelta(minutes=1)
        assert "ConnectionRefusedError" in message.last_error
        assert outbox_send_due() == 0  # not due yet
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert outbox_send_due() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 2)
    assert outbox_send_due(now=start + timedelta(minutes=10)) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert outbox_send_due(now=start + timedelta(days=1)) == 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_retry(pk=message.pk) is True
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


@pytest.mark.slow
class TestRealSmtpServer:
    def test_multipart_mail_arrives_with_threading_headers(
        self, smtp_server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            message = queue()
        assert len(smtp_server.messages) == 1
        received = smtp_server.messages[0]
        assert received.rcpt_tos == ["olena@example.org"]
        email = received.message
        assert email["Message-ID"] == message.message_id
        assert email["In-Reply-To"] == "<q1@example.org>"
        assert email["References"] == "<q1@example.org> <ack@example.invalid>"
        # Django folds the encoded subject onto a continuation line; readers unfold it.
        assert email["Subject"].strip() == SUBJECT
        assert parse_message(received.raw).subject == SUBJECT
        assert email["From"] == "Information Point <info-point@example.invalid>"
        assert email.get_content_type() == "multipart/alternative"
        assert email.get_body(("plain",)).get_content().strip() == "Добрий день! Відповідь нижче."
        assert "<b>Відповідь</b>" in email.get_body(("html",)).get_content()

    def test_server_down_then_back_sends_exactly_once(self, settings):
        server = SmtpServer()
        for name, value in server.settings().items():
            setattr(settings, name, value)
        message = queue()
        start = timezone.now()
        assert outbox_send(pk=message.pk, now=start) is False
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("queued", 1)
        assert message.next_attempt_at > timezone.now()

        server.start()
        try:
            assert outbox_send_due(now=start) == 0  # back-off not over yet
            later = start + timedelta(minutes=2)
            assert outbox_send_due(now=later) == 1
            assert outbox_send_due(now=later + timedelta(hours=1)) == 0
            assert outbox_send(pk=message.pk, now=later + timedelta(hours=2)) is False
        finally:
            server.stop()
        assert len(server.messages) == 1
        message.refresh_from_db()
        assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")

    def test_a_batch_shares_one_connection(self, smtp_server):
        for number in range(5):
            queue(subject=f"Message {number}")
        assert outbox_send_due() == 5
        assert sorted(m.message["Subject"] for m in smtp_server.messages) == [
            f"Message {number}" for number in range(5)
        ]


def test_a_message_being_sent_is_claimed_by_one_sender_only(settings):
    settings.EMAIL_TIMEOUT = 30
    message = queue()
    start = timezone.now()
    claimed = _outbox_claim(pk=message.pk, now=start)
    assert claimed is not None
    claimed.refresh_from_db()
    # Ten SMTP steps and one recipient, each allowed EMAIL_TIMEOUT.
    assert (claimed.status, claimed.next_attempt_at) == ("sending", start + timedelta(seconds=330))
    # Neither another sender, the periodic sweep nor the admin's retry takes it meanwhile.
    assert outbox_send(pk=message.pk, now=start) is False
    assert outbox_send_due(now=start + timedelta(seconds=329)) == 0
    assert outbox_retry(pk=message.pk) is False
    assert len(mail.outbox) == 0


def test_a_message_left_by_a_sender_that_died_is_sent_after_its_claim(settings):
    settings.EMAIL_TIMEOUT = 30
    message = queue()
    start = timezone.now()
    assert _outbox_claim(pk=message.pk, now=start) is not None  # the sender dies here
    assert outbox_send_due(now=start + timedelta(seconds=331)) == 1
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


def test_oldest_unsent_is_the_first_queued_still_waiting():
    assert outgoing_message_oldest_unsent_at() is None
    with time_machine.travel(timezone.now() - timedelta(hours=1), tick=False):
        old = queue()
    new = queue()
    assert outgoing_message_oldest_unsent_at() == old.created_at
    OutgoingMessage.objects.filter(pk=old.pk).update(status="sent")
    assert outgoing_message_oldest_unsent_at() == new.created_at
    OutgoingMessage.objects.filter(pk=new.pk).update(status="failed")
    assert outgoing_message_oldest_unsent_at() is None


def test_a_text_attachment_names_its_charset_once_and_keeps_its_parameters(
    django_capture_on_commit_callbacks,
):
    ics = "BEGIN:VCALENDAR\r\nSUMMARY:Консультація\r\nEND:VCALENDAR\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        queue(attachments=[("invite.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")])
    sent = parse_message(mail.outbox[0].message().as_bytes())
    raw = mail.outbox[0].message().as_string()
    (header,) = [h for h in raw.splitlines() if h.startswith("Content-Type: text/calendar")]
    assert header.lower().count("charset") == 1
    assert 'method="REQUEST"' in header
    (attachment,) = sent.attachments
    assert attachment.filename == "invite.ics"
    assert attachment.data == ics
