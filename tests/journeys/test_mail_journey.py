"""A person writes to the point by e-mail and the conversation stays one enquiry, end to end.

Real servers only: the person's mail lies in a Dovecot mailbox and is read over IMAP by
``manage.py fetch_mail``; what the point sends crosses a real SMTP conversation with aiosmtpd.
The mail app keeps Message-IDs with angle brackets, the desk stores them without: this is the
test that proves the two agree, from the headers a mail client really receives and sends back.
"""

from __future__ import annotations

from email.header import Header
from email.utils import format_datetime, make_msgid
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext

from infopoint.enquiries.models import Channel, Direction, Enquiry, Status
from infopoint.enquiries.services import enquiry_reply
from infopoint.enquiries.tests.factories import desk_user
from infopoint.mail.models import IncomingMessage
from tests.mailservers import ImapTestMailbox, ReceivedMail, SmtpServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PERSON = "oksana.bondarenko@example.net"
PERSON_NAME = "Оксана Бондаренко"
QUESTION_SUBJECT = "Питання щодо картки побуту"
QUESTION = (
    "Добрий день!\r\n\r\n"
    "Я приїхала до Кракова з Харкова минулого місяця разом із донькою. Підкажіть, будь ласка, "
    "які документи потрібні, щоб подати заяву на тимчасове перебування, і чи можна записатися "
    "на консультацію юриста українською мовою?\r\n\r\n"
    "Дякую, Оксана\r\n"
)
ANSWER = (
    "Дуже дякую за відповідь! Ще одне питання: чи потрібно перекладати свідоцтво про "
    "народження доньки у присяжного перекладача?\r\n\r\nОксана\r\n"
)


def _raw_mail(
    *,
    subject: str,
    body: str,
    charset: str,
    message_id: str,
    in_reply_to: str = "",
    references: str = "",
) -> bytes:
    """The bytes an older mail client sends: 8-bit body and encoded words in a Cyrillic charset."""
    headers = [
        f"From: {Header(PERSON_NAME, charset).encode()} <{PERSON}>",
        "To: Information Point <info-point@example.invalid>",
        f"Subject: {Header(subject, charset).encode()}",
        f"Date: {format_datetime(timezone.now())}",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        f"Content-Type: text/plain; charset={charset}",
        "Content-Transfer-Encoding: 8bit",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    return "\r\n".join(headers).encode("ascii") + b"\r\n\r\n" + body.encode(charset)


def _fetch() -> str:
    out = StringIO()
    call_command("fetch_mail", stdout=out)
    return out.getvalue().strip()


def _text(mail: ReceivedMail) -> str:
    body = mail.message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content()


def _ids(value: str | None) -> list[str]:
    return (value or "").split()


def test_a_ukrainian_email_conversation_stays_one_enquiry(
    default_content: dict[str, int],
    imap_server: ImapTestMailbox,
    smtp_server: SmtpServer,
    settings: object,
) -> None:
    settings.IMAP_URL = imap_server.url  # type: ignore[attr-defined]
    settings.MAIL_INCOMING_HANDLER = (  # type: ignore[attr-defined]
        "infopoint.enquiries.services.enquiry_receive_mail"
    )

    # 1. The person writes from an old client: windows-1251, 8-bit body, encoded-word headers.
    question_id = make_msgid(domain="example.net")
    imap_server.append(
        _raw_mail(
            subject=QUESTION_SUBJECT,
            body=QUESTION,
            charset="windows-1251",
            message_id=question_id,
        )
    )
    assert _fetch() == "fetched 1, processed 1, skipped 0, failed 0, pending 0"

    enquiry = Enquiry.objects.get()
    assert enquiry.channel == Channel.EMAIL
    assert enquiry.language == "uk"
    assert enquiry.preferred_language == "uk"
    assert enquiry.email == PERSON
    assert enquiry.name == PERSON_NAME
    assert enquiry.subject == QUESTION_SUBJECT
    first = enquiry.messages.get(direction=Direction.IN)
    assert "тимчасове перебування" in first.text
    assert first.email_message_id == question_id.strip("<>")

    # 2. The acknowledgement reaches the SMTP server, in Ukrainian, threaded under the question.
    assert len(smtp_server.messages) == 1
    acknowledgement = smtp_server.messages[0]
    assert acknowledgement.rcpt_tos == [PERSON]
    assert enquiry.reference in acknowledgement.message["Subject"]
    assert acknowledgement.message["In-Reply-To"] == question_id
    assert _ids(acknowledgement.message["References"]) == [question_id]
    with translation.override("uk"):
        confirmation = gettext("We have received your question. This is an automatic confirmation.")
    assert confirmation != "We have received your question. This is an automatic confirmation."
    assert confirmation in _text(acknowledgement)
    assert enquiry.reference in _text(acknowledgement)
    automatic = enquiry.messages.get(direction=Direction.OUT, automatic=True)
    assert acknowledgement.message["Message-ID"] == f"<{automatic.email_message_id}>"

    # 3. A consultant answers; the reply goes out threaded under the person's question.
    consultant = desk_user("consultant", username="olena", first_name="Olena", last_name="Bilyk")
    enquiry_reply(
        enquiry=enquiry,
        author=consultant,
        text="Добрий день, пані Оксано! Потрібні паспорт, фото і договір оренди житла.",
    )
    assert len(smtp_server.messages) == 2
    reply = smtp_server.messages[1]
    assert reply.rcpt_tos == [PERSON]
    # Python's email package folds a long encoded subject onto a second line, so the
    # unfolded value starts with a space; mail clients trim it.
    assert reply.message["Subject"].strip().startswith("Re: ")
    assert enquiry.reference in reply.message["Subject"]
    assert reply.message["In-Reply-To"] == question_id
    assert _ids(reply.message["References"]) == [question_id, acknowledgement.message["Message-ID"]]
    assert "договір оренди" in _text(reply)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED

    # 4. The person answers the reply from the same client, now in koi8-u. The subject lost
    # the reference (some clients rewrite it), so only In-Reply-To/References can thread it.
    answer_id = make_msgid(domain="example.net")
    imap_server.append(
        _raw_mail(
            subject=f"Re: {QUESTION_SUBJECT}",
            body=ANSWER,
            charset="koi8-u",
            message_id=answer_id,
            in_reply_to=reply.message["Message-ID"],
            references=f"{reply.message['References']} {reply.message['Message-ID']}",
        )
    )
    assert _fetch() == "fetched 1, processed 1, skipped 0, failed 0, pending 0"

    assert Enquiry.objects.count() == 1
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    assert enquiry.due_at is not None and enquiry.due_at > timezone.now()
    incoming = list(enquiry.messages.filter(direction=Direction.IN).order_by("pk"))
    assert [message.email_message_id for message in incoming] == [
        question_id.strip("<>"),
        answer_id.strip("<>"),
    ]
    assert "присяжного перекладача" in incoming[1].text
    # Answers to the desk's own mail are not acknowledged again.
    assert len(smtp_server.messages) == 2

    # 5. Both mails are marked read on the server; fetching again changes nothing.
    assert imap_server.unseen() == []
    assert len(imap_server.seen()) == 2
    assert _fetch() == "fetched 0, processed 0, skipped 0, failed 0, pending 0"
    # Even if another client marks them unread again, they are skipped, never added twice.
    with imap_server.connect() as client:
        client.uid("STORE", "1:*", "-FLAGS", "(\\Seen)")
    assert _fetch() == "fetched 2, processed 0, skipped 2, failed 0, pending 0"
    assert Enquiry.objects.count() == 1
    assert enquiry.messages.count() == 4
    assert IncomingMessage.objects.filter(status=IncomingMessage.Status.PROCESSED).count() == 2
    assert imap_server.unseen() == []
    assert len(smtp_server.messages) == 2
