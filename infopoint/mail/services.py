"""Every write of the mail app: queue and send outgoing mail, fetch and store incoming mail."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from email.mime.text import MIMEText
from email.utils import make_msgid, parseaddr
from functools import partial

from django import db
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.validators import validate_email
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .imap import Mailbox, parse_imap_url
from .models import IncomingMessage, OutgoingAttachment, OutgoingMessage
from .parsing import MessageTooLarge, ParsedMessage, parse_message, raw_message_key
from .selectors import outgoing_message_due_pks

logger = logging.getLogger(__name__)

# SMTP steps a send may wait on besides one RCPT per recipient (see outbox_claim_duration).
CLAIM_STEPS = 10
MARK_SENT_TRIES = 10
BACKOFF_FIRST_SECONDS = 60
BACKOFF_MAX_SECONDS = 3600

Handler = Callable[[ParsedMessage], None]


# --- Outgoing -------------------------------------------------------------------------


def _domain_of(address: str) -> str | None:
    _name, email = parseaddr(address)
    return email.rpartition("@")[2] or None


def _single_line(value: str, field: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValidationError({field: _("Header values must be on one line.")})


@transaction.atomic
def mail_queue(
    *,
    to: list[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Sequence[tuple[str, bytes, str]] = (),
    message_id: str | None = None,
    from_email: str | None = None,
) -> OutgoingMessage:
    """Stores one e-mail and sends it once the caller's transaction has committed.

    Nothing is sent for a transaction that rolls back, and nothing is lost if sending
    fails: the outbox retries it. ``message_id`` (with angle brackets) is made from the
    domain of DEFAULT_FROM_EMAIL when not given; ``attachments`` are
    (filename, content, content type).
    """
    from_email = from_email or settings.DEFAULT_FROM_EMAIL
    stored_headers = {str(name): str(value) for name, value in (headers or {}).items()}
    for name in [name for name in stored_headers if name.lower() == "message-id"]:
        message_id = message_id or stored_headers.pop(name)
    message_id = message_id or make_msgid(domain=_domain_of(from_email))
    stored_headers = {"Message-ID": message_id, **stored_headers}
    for name, value in stored_headers.items():
        _single_line(name, "headers")
        _single_line(value, "headers")
    _single_line(subject, "subject")
    if not to:
        raise ValidationError({"to": _("An e-mail needs at least one recipient.")})
    for recipient in to:
        _single_line(recipient, "to")
        validate_email(parseaddr(recipient)[1])

    message = OutgoingMessage(
        message_id=message_id,
        to=list(to),
        from_email=from_email,
        subject=subject,
        text=text,
        html=html,
        headers=stored_headers,
    )
    message.full_clean()
    message.save()
    for filename, content, content_type in attachments:
        attachment = OutgoingAttachment(
            message=message, filename=filename, content_type=content_type, content=content
        )
        attachment.full_clean(exclude=["content"])
        attachment.save()
    # A task, so that a worker sends it in production; a failure leaves it queued for
    # send_outbox_task to retry.
    from .tasks import send_message_task

    transaction.on_commit(partial(send_message_task.delay, message.pk), robust=True)
    return message


def _email_for(
    message: OutgoingMessage, connection: BaseEmailBackend | None
) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email,
        to=message.to,
        headers=dict(message.headers),
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in message.attachments.all():
        content, content_type = bytes(attachment.content), attachment.content_type
        if content_type.startswith("text/"):
            email.attach(_text_attachment(attachment.filename, content, content_type))
        else:
            email.attach(attachment.filename, content, content_type)
    return email


def _text_attachment(filename: str, content: bytes, content_type: str) -> MIMEText:
    """A text attachment's MIME part with its type's parameters (``method=REQUEST``) kept.

    Django's ``attach`` would keep the parameters in the subtype and add its own charset
    after them, naming the charset twice; here the charset is set once, as UTF-8, and the
    body goes in base64 so its CRLF line ends (which iCalendar requires) arrive unchanged.
    """
    parsed = Message()
    parsed["Content-Type"] = content_type
    part = MIMEText(content.decode("utf-8", "replace"), parsed.get_content_subtype(), "utf-8")
    for name, value in (parsed.get_params() or [])[1:]:
        if name.lower() != "charset":
            part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _is_permanent(error: Exception) -> bool:
    """True for answers that another try would not change (5xx from the server)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def outbox_backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 … minutes, at most 1 h."""
    seconds = BACKOFF_FIRST_SECONDS * 2 ** max(0, min(attempts - 1, 20))
    return timedelta(seconds=min(seconds, BACKOFF_MAX_SECONDS))


def outbox_claim_duration(*, recipients: int) -> timedelta:
    """How long a sender holds a message: longer than any send can take.

    Each SMTP step (connect, greet, log in, MAIL, RCPT per recipient, DATA, end of data)
    gives up after EMAIL_TIMEOUT, so a live sender is done before its claim ends; a
    sender that died only delays its messages this long (5 minutes with the default).
    """
    timeout = settings.EMAIL_TIMEOUT or 30
    return timedelta(seconds=timeout * (CLAIM_STEPS + recipients))


def _outbox_claim(*, pk: int, now: datetime) -> OutgoingMessage | None:
    """Takes a due message for this sender: queued, or sending under a claim that ran out.

    The row is locked while it is taken (SKIP LOCKED: a message another sender is taking
    is left to it), and marked ``sending`` until the claim ends, so no other sender,
    task or admin action sends it meanwhile; nothing is locked while mail is sent.
    """
    with transaction.atomic():
        message = (
            OutgoingMessage.objects.select_for_update(skip_locked=True)
            .filter(
                pk=pk,
                status__in=[OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.SENDING],
                next_attempt_at__lte=now,
            )
            .first()
        )
        if message is None:
            return None
        message.status = OutgoingMessage.Status.SENDING
        message.next_attempt_at = now + outbox_claim_duration(recipients=len(message.to))
        message.save(update_fields=["status", "next_attempt_at"])
    return message


def _outbox_mark_sent(*, pk: int) -> None:
    """Records that the server took the message.

    The server already has it, so losing this write would send it again once the claim
    ends: while the database is away (a restart, a fail-over) the write is tried again
    for about half a minute.
    """
    for attempt in range(MARK_SENT_TRIES):
        try:
            OutgoingMessage.objects.filter(pk=pk).update(
                status=OutgoingMessage.Status.SENT,
                sent_at=timezone.now(),
                attempts=F("attempts") + 1,
                last_error="",
            )
            return
        except (OperationalError, InterfaceError):
            if attempt == MARK_SENT_TRIES - 1 or db.connection.in_atomic_block:
                raise
            logger.warning("Cannot record outgoing mail %s as sent yet; trying again", pk)
            with contextlib.suppress(DatabaseError):
                db.connection.close()
            time.sleep(min(2**attempt, 5))


def outbox_send(
    *, pk: int, connection: BaseEmailBackend | None = None, now: datetime | None = None
) -> bool:
    """Sends one queued message whose time has come; True if it went out now.

    The message is claimed first (``_outbox_claim``), so two workers (or a task and an
    admin action) never both send it, and a sent or failed one is never sent again.
    Deliberately not atomic: nothing is locked while the SMTP server is talked to.
    A failure is recorded with back-off (see ``outbox_backoff``); after
    OUTBOX_MAX_ATTEMPTS tries, or when the server refuses for good (5xx), it is failed.
    """
    now = now or timezone.now()
    message = _outbox_claim(pk=pk, now=now)
    if message is None:
        return False
    try:
        if not _email_for(message, connection).send(fail_silently=False):
            raise smtplib.SMTPException("The mail backend accepted nothing.")
    except Exception as error:  # anything the backend raises is a failed try, kept for staff
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS or _is_permanent(error):
            message.status = OutgoingMessage.Status.FAILED
        else:
            message.status = OutgoingMessage.Status.QUEUED
            message.next_attempt_at = now + outbox_backoff(message.attempts)
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        logger.warning(
            "Outgoing mail %s failed (attempt %s): %s",
            message.message_id,
            message.attempts,
            message.last_error,
        )
        return False
    _outbox_mark_sent(pk=pk)
    return True


def outbox_send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Sends every queued message whose next attempt has come, over one connection.

    Returns how many were sent.
    """
    now = now or timezone.now()
    pks = outgoing_message_due_pks(now=now, limit=limit)
    if not pks:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception:  # the server is down: each message records its own failure below
        logger.warning("Cannot connect to the mail server; %s messages wait", len(pks))
    sent = 0
    try:
        for pk in pks:
            sent += outbox_send(pk=pk, connection=connection, now=now)
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide what was sent
            logger.debug("Closing the mail connection failed", exc_info=True)
    return sent


def outbox_retry(*, pk: int) -> bool:
    """Puts a failed or waiting message back in the queue and sends it now.

    A failed message gets a fresh count of attempts; one being sent is left alone.
    Returns True if it was sent.
    """
    now = timezone.now()
    updated = OutgoingMessage.objects.filter(
        pk=pk, status__in=[OutgoingMessage.Status.QUEUED, OutgoingMessage.Status.FAILED]
    ).update(
        attempts=0,
        next_attempt_at=now,
        status=OutgoingMessage.Status.QUEUED,
    )
    return bool(updated) and outbox_send(pk=pk, now=now)


# --- Incoming -------------------------------------------------------------------------


@dataclass
class FetchResult:
    fetched: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    # Stored but left unread: no handler is configured yet.
    pending: int = 0


def mail_incoming_handler() -> Handler | None:
    """The callable named by settings.MAIL_INCOMING_HANDLER, or None when none is set."""
    path = getattr(settings, "MAIL_INCOMING_HANDLER", "")
    return import_string(path) if path else None


def _store(*, key: str, raw: bytes, mailbox: str, uid: int | None) -> IncomingMessage:
    incoming, created = IncomingMessage.objects.get_or_create(
        message_id=key,
        defaults={"raw": raw, "raw_size": len(raw), "mailbox": mailbox, "uid": uid},
    )
    if not created and (incoming.uid, incoming.mailbox) != (uid, mailbox):
        incoming.uid, incoming.mailbox = uid, mailbox
        incoming.save(update_fields=["uid", "mailbox"])
    return incoming


def _fail(incoming: IncomingMessage, **errors: str) -> None:
    for name, value in errors.items():
        setattr(incoming, name, value[:10000])
    incoming.status = IncomingMessage.Status.FAILED
    incoming.save(update_fields=["status", *errors])


def incoming_message_process(
    *, incoming: IncomingMessage, handle: Handler | None, parsed: ParsedMessage | None = None
) -> str:
    """Parses a stored message and hands it to ``handle``; returns its status afterwards.

    ``handle`` runs in one transaction with marking the row processed, so a message is
    processed exactly when the handler's writes are committed. A handler's exception
    rolls both back and leaves the row failed, with the error, raw bytes kept; a lost
    database connection is raised instead, as trying again later will work.
    Too large or unreadable mail is failed without calling the handler.
    """
    if parsed is None:
        try:
            parsed = parse_message(bytes(incoming.raw))
        except MessageTooLarge as error:
            _fail(incoming, parse_error=str(error))
            return incoming.status
        except Exception as error:  # ParseError, or a parser bug: the mail is kept either way
            logger.warning("Cannot read incoming mail %s: %s", incoming.message_id, error)
            _fail(incoming, parse_error=f"{type(error).__name__}: {error}")
            return incoming.status
    if not incoming.subject and not incoming.from_address:
        incoming.subject = parsed.subject[:998]
        incoming.from_address = parsed.from_address[:320]
        incoming.save(update_fields=["subject", "from_address"])
    if handle is None:
        return incoming.status
    try:
        with transaction.atomic():
            locked = IncomingMessage.objects.select_for_update().get(pk=incoming.pk)
            if locked.status == IncomingMessage.Status.PROCESSED:
                # Another fetcher got here first.
                return locked.status
            handle(parsed)
            locked.status = IncomingMessage.Status.PROCESSED
            locked.processed_at = timezone.now()
            locked.handle_error = ""
            locked.save(update_fields=["status", "processed_at", "handle_error"])
    except (OperationalError, InterfaceError):
        # The database went away, not the message's fault: stop the run, leaving the mail
        # unseen on the server, so the next run processes it (exactly once, by its row).
        raise
    except Exception as error:  # the handler's bug or refusal must not stop the mailbox run
        logger.exception("Handling incoming mail %s failed", incoming.message_id)
        _fail(incoming, handle_error=f"{type(error).__name__}: {error}")
        return incoming.status
    incoming.refresh_from_db(fields=["status", "processed_at", "handle_error"])
    return incoming.status


def mailbox_fetch(
    *, handle: Handler | None, url: str | None = None, limit: int | None = None
) -> FetchResult:
    """Reads the unseen mail of the mailbox at ``url`` (default settings.IMAP_URL).

    For each message: fetched without marking it seen, stored raw (IncomingMessage,
    idempotent by Message-ID), parsed, and given to ``handle`` inside a transaction.
    Only after that transaction committed is it marked \\Seen, so a crash at any point
    loses nothing: the message is fetched again and skipped if already processed.

    A message that fails (unreadable, too large, or the handler raised) is also marked
    seen: left unseen it would be fetched and fail again on every run, for ever. It is
    not lost: staff see it as failed, with its raw bytes, and can process it again from
    the admin. With ``handle=None`` messages are stored but left unseen, to be
    processed once a handler exists.
    """
    config = parse_imap_url(url if url is not None else settings.IMAP_URL)
    result = FetchResult()
    with Mailbox(config) as mailbox:
        uids = mailbox.unseen_uids()
        if limit is not None:
            uids = uids[:limit]
        for uid in uids:
            raw = mailbox.fetch(uid)
            if raw is None:  # deleted meanwhile by another client
                continue
            result.fetched += 1
            key = raw_message_key(raw)
            existing = IncomingMessage.objects.filter(message_id=key).first()
            if existing and existing.status == IncomingMessage.Status.PROCESSED:
                result.skipped += 1
                mailbox.mark_seen(uid)
                continue
            incoming = existing or _store(key=key, raw=raw, mailbox=config.folder, uid=uid)
            status = incoming_message_process(incoming=incoming, handle=handle)
            if status == IncomingMessage.Status.PROCESSED:
                result.processed += 1
            elif status == IncomingMessage.Status.FAILED:
                result.failed += 1
            else:
                result.pending += 1
                continue
            mailbox.mark_seen(uid)
    return result


def incoming_message_reprocess(*, pk: int, handle: Handler) -> str:
    """Processes a stored failed or unprocessed message again from its raw bytes."""
    incoming = IncomingMessage.objects.get(pk=pk)
    if incoming.status == IncomingMessage.Status.PROCESSED:
        return incoming.status
    incoming.parse_error = ""
    incoming.handle_error = ""
    incoming.status = IncomingMessage.Status.RECEIVED
    incoming.save(update_fields=["parse_error", "handle_error", "status"])
    return incoming_message_process(incoming=incoming, handle=handle)
