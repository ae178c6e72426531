"""Fetching from a real Dovecot on loopback (skipped, with the reason, where it cannot run)."""

import base64

import pytest
from django.db import OperationalError, transaction

from infopoint.mail.imap import ImapError
from infopoint.mail.models import IncomingMessage
from infopoint.mail.services import incoming_message_reprocess, mailbox_fetch

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def message(number: int, body: bytes = b"", headers: bytes = b"") -> bytes:
    return (
        b"From: Enquirer %d <person%d@example.org>\r\n"
        b"To: info-point@example.invalid\r\n"
        b"Subject: =?UTF-8?B?0J/QuNGC0LDQvdC90Y8=?= %d\r\n"
        b"Message-ID: <m%d@example.org>\r\n"
        b"Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
        b"MIME-Version: 1.0\r\n"
        % (number, number, number, number)
        + headers
        + b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        + (body or "Добрий день, питання номер %d.\r\n".encode() % number)
    )


class Recorder:
    def __init__(self, fail_for: set[str] = frozenset()) -> None:
        self.calls = []
        self.fail_for = fail_for

    def __call__(self, parsed) -> None:
        if parsed.message_id in self.fail_for:
            raise RuntimeError("the desk refused this one")
        self.calls.append(parsed)


def test_fetch_three_then_nothing_new(imap_server):
    for number in (1, 2, 3):
        imap_server.append(message(number))
    handler = Recorder()

    result = mailbox_fetch(handle=handler, url=imap_server.url)

    assert (result.fetched, result.processed, result.skipped, result.failed) == (3, 3, 0, 0)
    assert [parsed.message_id for parsed in handler.calls] == [
        "<m1@example.org>",
        "<m2@example.org>",
        "<m3@example.org>",
    ]
    assert handler.calls[0].subject == "Питання 1"
    assert handler.calls[0].text == "Добрий день, питання номер 1."
    assert imap_server.unseen() == []
    assert len(imap_server.seen()) == 3
    assert IncomingMessage.objects.filter(status="processed").count() == 3
    stored = IncomingMessage.objects.get(message_id="<m2@example.org>")
    assert bytes(stored.raw) == message(2)
    assert (stored.from_address, stored.subject, stored.mailbox) == (
        "person2@example.org",
        "Питання 2",
        "INBOX",
    )

    again = mailbox_fetch(handle=handler, url=imap_server.url)
    assert (again.fetched, again.processed) == (0, 0)
    assert len(handler.calls) == 3


def test_the_same_message_delivered_twice_is_handled_once(imap_server):
    imap_server.append(message(1))
    handler = Recorder()
    mailbox_fetch(handle=handler, url=imap_server.url)
    # Someone marks it unread again, or a second copy arrives.
    imap_server.append(message(1))
    result = mailbox_fetch(handle=handler, url=imap_server.url)
    assert (result.fetched, result.skipped, result.processed) == (1, 1, 0)
    assert len(handler.calls) == 1
    assert imap_server.unseen() == []


def test_handler_failure_keeps_the_raw_mail_and_goes_on(imap_server):
    for number in (1, 2, 3):
        imap_server.append(message(number))
    handler = Recorder(fail_for={"<m2@example.org>"})

    result = mailbox_fetch(handle=handler, url=imap_server.url)

    assert (result.processed, result.failed) == (2, 1)
    assert [parsed.message_id for parsed in handler.calls] == [
        "<m1@example.org>",
        "<m3@example.org>",
    ]
    failed = IncomingMessage.objects.get(status="failed")
    assert failed.message_id == "<m2@example.org>"
    assert bytes(failed.raw) == message(2)
    assert "the desk refused this one" in failed.handle_error
    # Marked seen so it is not fetched and failed on every run; staff can retry it.
    assert imap_server.unseen() == []
    assert incoming_message_reprocess(pk=failed.pk, handle=Recorder()) == "processed"


def test_handler_writes_are_rolled_back_with_its_failure(imap_server):
    imap_server.append(message(1))

    def half_done(parsed):
        IncomingMessage.objects.create(message_id="<written-by-handler@x>", raw=b"x")
        raise ValueError("broke halfway")

    mailbox_fetch(handle=half_done, url=imap_server.url)
    assert not IncomingMessage.objects.filter(message_id="<written-by-handler@x>").exists()
    assert IncomingMessage.objects.get().status == "failed"


def test_bad_mail_does_not_stop_the_run(imap_server, settings):
    settings.MAIL_MAX_MESSAGE_BYTES = 12 * 1024 * 1024
    ten_megabytes = base64.encodebytes(b"\x89PNG" + bytes(range(256)) * 30000)
    bad = [
        # Malformed MIME: a multipart that never closes, base64 with garbage.
        b"From: a@example.org\r\nMessage-ID: <bad1@x>\r\n"
        b'Content-Type: multipart/mixed; boundary="z"\r\n\r\n--z\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!not*base64",
        # Broken charset: declared UTF-8, really windows-1251, and a charset nobody knows.
        message(10, "Привет".encode("cp1251")).replace(b"utf-8", b"x-no-such-charset"),
        # Big: about 10 MB with one attachment.
        b"From: b@example.org\r\nMessage-ID: <big@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="q"\r\n\r\n'
        b"--q\r\nContent-Type: text/plain\r\n\r\nscan attached\r\n"
        b"--q\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="scan.png"\r\n\r\n'
        + ten_megabytes
        + b"--q--\r\n",
        # Too big for the limit: kept raw, never parsed.
        message(11, b"x" * (12 * 1024 * 1024 + 10)),
        # Not mail at all.
        b"\r\n\r\n\x00\x01\x02 binary junk",
    ]
    for raw in bad:
        imap_server.append(raw)
    imap_server.append(message(99))
    handler = Recorder()

    result = mailbox_fetch(handle=handler, url=imap_server.url)

    assert result.fetched == 6
    assert (result.processed, result.failed) == (4, 2)
    handled = {parsed.message_id: parsed for parsed in handler.calls}
    assert set(handled) == {"<bad1@x>", "<m10@example.org>", "<big@x>", "<m99@example.org>"}
    assert handled["<m10@example.org>"].text == "Привет"
    assert handled["<big@x>"].attachments[0].filename == "scan.png"
    assert handled["<big@x>"].raw_size > 10 * 1024 * 1024
    too_big = IncomingMessage.objects.get(message_id="<m11@example.org>")
    assert too_big.status == "failed"
    assert "limit" in too_big.parse_error
    assert len(bytes(too_big.raw)) > 12 * 1024 * 1024
    junk = IncomingMessage.objects.get(message_id__startswith="<sha256-")
    assert junk.status == "failed"
    assert junk.parse_error
    assert imap_server.unseen() == []


def test_not_seen_before_the_handlers_transaction_committed(imap_server):
    imap_server.append(message(1))
    observed = []

    def handler(parsed):
        observed.append(("in handler", imap_server.seen()))
        transaction.on_commit(lambda: observed.append(("after commit", imap_server.seen())))

    mailbox_fetch(handle=handler, url=imap_server.url)

    assert observed == [("in handler", []), ("after commit", [])]
    assert len(imap_server.seen()) == 1


def test_without_a_handler_mail_is_stored_and_left_unread(imap_server):
    imap_server.append(message(1))
    result = mailbox_fetch(handle=None, url=imap_server.url)
    assert (result.fetched, result.pending) == (1, 1)
    assert IncomingMessage.objects.get().status == "received"
    assert len(imap_server.unseen()) == 1
    handler = Recorder()
    result = mailbox_fetch(handle=handler, url=imap_server.url)
    assert result.processed == 1
    assert len(handler.calls) == 1
    assert imap_server.unseen() == []


def test_limit(imap_server):
    for number in (1, 2, 3):
        imap_server.append(message(number))
    assert mailbox_fetch(handle=Recorder(), url=imap_server.url, limit=2).processed == 2
    assert len(imap_server.unseen()) == 1


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_encrypted_connections(imap_server, security):
    imap_server.append(message(1))
    result = mailbox_fetch(handle=Recorder(), url=imap_server.url_for(security))
    assert result.processed == 1


def test_wrong_password_and_missing_folder(imap_server):
    with pytest.raises(ImapError):
        mailbox_fetch(handle=Recorder(), url=imap_server.url.replace(":imap-", ":wrong-"))
    with pytest.raises(ImapError):
        mailbox_fetch(handle=Recorder(), url=imap_server.url.replace("/INBOX", "/Nowhere"))


def test_a_lost_database_stops_the_run_and_leaves_the_mail_for_the_next(imap_server):
    for number in (1, 2):
        imap_server.append(message(number))
    calls = []

    def database_gone(parsed):
        calls.append(parsed.message_id)
        raise OperationalError("server closed the connection unexpectedly")

    with pytest.raises(OperationalError):
        mailbox_fetch(handle=database_gone, url=imap_server.url)
    # Not failed for staff to retry by hand: still unseen and unprocessed, read next time.
    assert calls == ["<m1@example.org>"]
    assert IncomingMessage.objects.get().status == "received"
    assert len(imap_server.unseen()) == 2

    handler = Recorder()
    result = mailbox_fetch(handle=handler, url=imap_server.url)
    assert (result.processed, result.failed) == (2, 0)
    assert imap_server.unseen() == []
