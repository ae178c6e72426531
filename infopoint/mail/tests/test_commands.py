from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from infopoint.mail.models import IncomingMessage
from infopoint.mail.services import mail_queue
from infopoint.mail.tasks import fetch_mail_task, send_outbox_task

RECEIVED = []


def remember(parsed):
    RECEIVED.append(parsed.message_id)


@pytest.mark.django_db
def test_send_mail_outbox_command():
    mail_queue(to=["a@example.org"], subject="One", text="1")
    mail_queue(to=["b@example.org"], subject="Two", text="2")
    out = StringIO()
    call_command("send_mail_outbox", stdout=out)
    assert out.getvalue().strip() == "sent 2"
    assert len(mail.outbox) == 2
    assert send_outbox_task() == 0


@pytest.mark.django_db
def test_fetch_mail_without_a_mailbox_does_nothing(settings):
    settings.IMAP_URL = ""
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    assert "IMAP_URL is empty" in out.getvalue()
    assert fetch_mail_task() is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fetch_mail_command_and_task(imap_server, settings):
    settings.IMAP_URL = imap_server.url
    settings.MAIL_INCOMING_HANDLER = "infopoint.mail.tests.test_commands.remember"
    imap_server.append(b"From: a@example.org\r\nMessage-ID: <c1@x>\r\n\r\nhello")
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    assert out.getvalue().strip() == ("fetched 1, processed 1, skipped 0, failed 0, pending 0")
    assert RECEIVED == ["<c1@x>"]
    imap_server.append(b"From: a@example.org\r\nMessage-ID: <c2@x>\r\n\r\nhello")
    result = fetch_mail_task()
    assert result["processed"] == 1
    assert RECEIVED == ["<c1@x>", "<c2@x>"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fetch_mail_without_handler_keeps_mail_unread(imap_server, settings):
    settings.MAIL_INCOMING_HANDLER = ""
    imap_server.append(b"From: a@example.org\r\nMessage-ID: <c3@x>\r\n\r\nhello")
    out, err = StringIO(), StringIO()
    call_command("fetch_mail", url=imap_server.url, stdout=out, stderr=err)
    assert "No MAIL_INCOMING_HANDLER" in err.getvalue()
    assert "pending 1" in out.getvalue()
    assert IncomingMessage.objects.get().status == "received"
    assert len(imap_server.unseen()) == 1
