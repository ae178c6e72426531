"""Every write to enquiries goes through here: intake (web, e-mail, staff), replies, statuses.

Due time. "N working days" is N × settings.ENQUIRY_WORKING_DAY_HOURS (default 10, one full day
Mon–Fri 9–19 of the default calendar) of the point's opening time, counted on the office-hours
calendar from the moment the enquiry was received. N is the topic's ``answer_within_days``,
else settings.ENQUIRY_ANSWER_WITHIN_DAYS (default 2). The clock pauses while the status is
"waiting for the enquirer" and resumes with the opening time that was left.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from infopoint.hours.calendar import OfficeCalendar, office_zone
from infopoint.hours.selectors import office_calendar
from infopoint.knowledge.language import guess_language

from . import conf, mailing
from .attachments import check_attachment, check_attachments
from .consent import CONSENT_VERSION_ORAL
from .flood import flood_alarm
from .models import (
    Attachment,
    Channel,
    Direction,
    Enquiry,
    InternalNote,
    Message,
    ReferenceCounter,
    SafeContact,
    Status,
)
from .triage import enquiry_triage_queue

if TYPE_CHECKING:
    from infopoint.accounts.models import User
    from infopoint.mail.parsing import ParsedMessage
    from infopoint.topics.models import Topic

logger = logging.getLogger(__name__)

# Which status may follow which, for staff; the enquirer writing again reopens (see below).
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.OPEN, Status.WAITING, Status.ANSWERED, Status.REFERRED, Status.CLOSED},
    Status.OPEN: {Status.WAITING, Status.ANSWERED, Status.REFERRED, Status.CLOSED},
    Status.WAITING: {Status.OPEN, Status.ANSWERED, Status.REFERRED, Status.CLOSED},
    Status.ANSWERED: {Status.OPEN, Status.WAITING, Status.REFERRED, Status.CLOSED},
    Status.REFERRED: {Status.OPEN, Status.WAITING, Status.ANSWERED, Status.CLOSED},
    Status.CLOSED: {Status.OPEN},
}
# Channels through which the enquirer is told at once that the enquiry arrived.
ACKNOWLEDGED_CHANNELS = {Channel.WEB, Channel.API, Channel.EMAIL}
SUBJECT_LENGTH = 80


# --- small pieces ----------------------------------------------------------------------------


def tracking_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_tracking_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, tracking_token_hash(token)


def reference_next(*, at: datetime) -> str:
    """The next reference number of the year of ``at`` (office time zone): IP-2026-000123.

    The year's counter row is locked (SELECT … FOR UPDATE) until the calling transaction
    ends, so two intakes at once never get the same number. Call inside a transaction.
    """
    year = timezone.localtime(at, office_zone()).year
    counter = ReferenceCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year)
        except IntegrityError:  # another intake created the year's row first
            pass
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{conf.reference_prefix()}-{year}-{counter.last_number:06d}"


def enquiry_due_at(
    *, received_at: datetime, topic: Topic | None, calendar: OfficeCalendar | None = None
) -> datetime:
    """When the answer is due (see the module docstring for the rule).

    With no opening hours at all in the calendar (not set up yet), falls back to N calendar
    days, so that the enquirer is still told a time.
    """
    days = conf.answer_within_days()
    if topic is not None and topic.answer_within_days is not None:
        days = topic.answer_within_days
    calendar = calendar or office_calendar()
    try:
        return calendar.add_working_time(received_at, days * conf.working_day())
    except ValueError:
        logger.warning("No opening hours to compute a due time; counting calendar days.")
        return received_at + timedelta(days=days)


def _due_at_resumed(
    *, due_at: datetime | None, paused_at: datetime, resumed_at: datetime
) -> datetime | None:
    """The due time after a pause: the opening time that was left, counted from ``resumed_at``.

    An enquiry already late when the clock was paused stays late: its due time is kept.
    """
    if due_at is None or due_at <= paused_at:
        return due_at
    calendar = office_calendar()
    remaining = calendar.working_time_between(paused_at, due_at)
    try:
        return calendar.add_working_time(resumed_at, remaining)
    except ValueError:
        return resumed_at + (due_at - paused_at)


def _clean_language(language: str | None) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    language = (language or "").split("-")[0].lower()
    return language if language in codes else settings.LANGUAGE_CODE


def enquiry_language(*, text: str, fallback: str | None = None) -> str:
    """The language an enquiry is written in: the one rule for web, e-mail and API intake.

    The triage's detector decides, so the enquiry and its triage panel agree; it knows
    transliterated Ukrainian and Russian ("skolko zhdat") and Polish office words inside
    another language. When it cannot tell, ``fallback`` (the page's language or the answer
    language chosen), else the site's language.
    """
    return _clean_language(guess_language(text, default=fallback) or fallback)


def _subject_from(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first_line) > SUBJECT_LENGTH:
        first_line = first_line[: SUBJECT_LENGTH - 1].rstrip() + "…"
    return first_line


def _save_attachments(*, message: Message, files: Sequence[File]) -> list[Attachment]:
    saved = []
    for file in files:
        file_type = check_attachment(file)
        original = (file.name or "").replace("\\", "/").rsplit("/", 1)[-1][:255] or "file"
        attachment = Attachment(
            message=message,
            original_filename=original,
            content_type=file_type.content_type,
            size=file.size or 0,
        )
        file.seek(0)
        # The stored name gets the extension of the detected type, never the sender's.
        attachment.file.save(f"upload{file_type.extension}", file, save=False)
        attachment.full_clean()
        attachment.save()
        saved.append(attachment)
        if file_type.unscanned:
            _note_add(
                enquiry=message.enquiry,
                text=gettext(
                    "The file %(name)s could not be checked for viruses: the scanner was not "
                    "reachable. It is kept; open it only once it has been checked."
                )
                % {"name": original},
            )
    return saved


def _message_add(
    *,
    enquiry: Enquiry,
    direction: str,
    channel: str,
    text: str,
    author: User | None = None,
    attachments: Sequence[File] = (),
    email_message_id: str = "",
    automatic: bool = False,
    created_at: datetime | None = None,
) -> Message:
    message = Message(
        enquiry=enquiry,
        direction=direction,
        author=author,
        channel=channel,
        text=text,
        email_message_id=email_message_id,
        automatic=automatic,
        created_at=created_at or timezone.now(),
    )
    message.full_clean()
    message.save()
    _save_attachments(message=message, files=attachments)
    return message


def _acknowledge(*, enquiry: Enquiry, token: str) -> Message | None:
    if not enquiry.allows_email:
        return None
    message = _message_add(
        enquiry=enquiry,
        direction=Direction.OUT,
        channel=Channel.EMAIL,
        text="",
        email_message_id=mailing.new_message_id(),
        automatic=True,
    )
    mailing.acknowledgement_queue(enquiry=enquiry, message=message, token=token)
    return message


def _is_own_address(address: str) -> bool:
    # The settings may carry a display name ("Information Point <info@…>"): compare addresses.
    own = {
        parseaddr(str(getattr(settings, name, "")))[1].lower()
        for name in ("DEFAULT_FROM_EMAIL", "SERVER_EMAIL", "CONTACT_EMAIL")
    }
    return parseaddr(address)[1].lower() in own


# --- intake ----------------------------------------------------------------------------------


@transaction.atomic
def enquiry_create(
    *,
    channel: str,
    text: str,
    language: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    topic: Topic | None = None,
    subject: str = "",
    preferred_language: str | None = None,
    safe_contact: str = SafeContact.ANY,
    consent_version: str = "",
    attachments: Sequence[File] = (),
    author: User | None = None,
    received_at: datetime | None = None,
    email_message_id: str = "",
    related_enquiry: Enquiry | None = None,
    acknowledge: bool = True,
) -> tuple[Enquiry, str]:
    """Records a new enquiry and its first message; returns it and its raw tracking token.

    The token is returned only here (it is stored as a hash). It gets a reference number and a
    due time, and is triaged after commit (triage.py). For web, API and e-mail intake with an
    e-mail address that safe contact allows, an acknowledgement is queued (sent after commit)
    unless ``acknowledge`` is false. Nothing is saved when anything is invalid (ValidationError,
    translated).
    """
    received_at = received_at or timezone.now()
    if not text.strip() and not attachments:
        raise ValidationError(gettext("Enter your question."), code="required")
    check_attachments(attachments)
    language = _clean_language(language)
    token, token_hash = _new_tracking_token()
    enquiry = Enquiry(
        reference=reference_next(at=received_at),
        tracking_token_hash=token_hash,
        channel=channel,
        topic=topic,
        # One line: it goes into e-mail subjects.
        subject=" ".join((subject or _subject_from(text)).split())[:200],
        language=language,
        preferred_language=_clean_language(preferred_language or language),
        name=name.strip(),
        email=email.strip(),
        phone=phone.strip(),
        safe_contact=safe_contact,
        consent_version=consent_version,
        consent_given_at=received_at if consent_version else None,
        due_at=enquiry_due_at(received_at=received_at, topic=topic),
        related_enquiry=related_enquiry,
        created_at=received_at,
    )
    enquiry.full_clean()
    enquiry.save()
    _message_add(
        enquiry=enquiry,
        direction=Direction.IN,
        channel=channel,
        text=text,
        author=author,
        attachments=attachments,
        email_message_id=email_message_id,
        created_at=received_at,
    )
    if acknowledge and channel in ACKNOWLEDGED_CHANNELS:
        _acknowledge(enquiry=enquiry, token=token)
    enquiry_triage_queue(enquiry=enquiry)
    # Whether this enquiry makes a flood is checked once it is committed (flood.py).
    transaction.on_commit(flood_alarm, robust=True)
    return enquiry, token


@transaction.atomic
def enquiry_log_contact(
    *,
    channel: str,
    author: User,
    text: str,
    language: str,
    consent_given: bool,
    topic: Topic | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str | None = None,
    safe_contact: str = SafeContact.ANY,
    received_at: datetime | None = None,
) -> tuple[Enquiry, str]:
    """A consultant records a phone call, a letter or a visit as an enquiry.

    ``consent_given``: the person agreed to the processing of their data when asked; it is
    recorded with the oral consent version and the time. No acknowledgement is sent: the
    person was there (or wrote on paper) and is told the reference by the consultant.
    """
    if channel not in (Channel.PHONE, Channel.LETTER, Channel.VISIT):
        raise ValidationError(gettext("Log only phone calls, letters and visits."), code="channel")
    return enquiry_create(
        channel=channel,
        text=text,
        language=language,
        name=name,
        email=email,
        phone=phone,
        topic=topic,
        preferred_language=preferred_language,
        safe_contact=safe_contact,
        consent_version=CONSENT_VERSION_ORAL if consent_given else "",
        author=author,
        received_at=received_at,
        acknowledge=False,
    )


def _reopen(*, enquiry: Enquiry, at: datetime) -> list[str]:
    """The enquirer wrote again: back to "open", with the clock running. Returns fields changed.

    From "waiting" the paused clock resumes; from "answered", "referred" or "closed" the new
    message is a new question, so a fresh due time is counted from it.
    """
    if enquiry.status in (Status.NEW, Status.OPEN):
        return []
    if enquiry.status == Status.WAITING:
        enquiry.due_at = _due_at_resumed(
            due_at=enquiry.due_at, paused_at=enquiry.waiting_since or at, resumed_at=at
        )
    else:
        enquiry.due_at = enquiry_due_at(received_at=at, topic=enquiry.topic)
    enquiry.status = Status.OPEN
    enquiry.waiting_since = None
    enquiry.closed_at = None
    return ["status", "due_at", "waiting_since", "closed_at"]


@transaction.atomic
def enquiry_add_enquirer_message(
    *,
    enquiry: Enquiry,
    text: str,
    attachments: Sequence[File] = (),
    via: str = Channel.WEB,
    email_message_id: str = "",
    received_at: datetime | None = None,
    automatic: bool = False,
) -> Message:
    """Adds what the enquirer wrote (through the link, by e-mail or by phone) to the thread.

    A waiting, answered, referred or closed enquiry is reopened and its clock runs again
    (see ``_reopen``). Automatic mail (auto-replies, bounces) is kept but changes nothing.
    """
    received_at = received_at or timezone.now()
    if not text.strip() and not attachments:
        raise ValidationError(gettext("Enter your message."), code="required")
    check_attachments(attachments)
    message = _message_add(
        enquiry=enquiry,
        direction=Direction.IN,
        channel=via,
        text=text,
        attachments=attachments,
        email_message_id=email_message_id,
        automatic=automatic,
        created_at=received_at,
    )
    if not automatic:
        changed = _reopen(enquiry=enquiry, at=received_at)
        enquiry.save(update_fields=[*changed, "updated_at"])
    return message


def _enquiry_for_mail(message: ParsedMessage) -> Enquiry | None:
    """The enquiry a mail answers, by its In-Reply-To and References headers (newest first)."""
    ids = [
        normalised
        for value in [message.in_reply_to, *reversed(message.references or [])]
        if (normalised := mailing.normalise_message_id(value))
    ]
    if not ids:
        return None
    found = {
        row.email_message_id: row.enquiry
        for row in Message.objects.filter(email_message_id__in=ids).select_related("enquiry")
    }
    enquiry = next((found[value] for value in ids if value in found), None)
    return _follow_merge(enquiry)


def _follow_merge(enquiry: Enquiry | None) -> Enquiry | None:
    seen = set()
    while enquiry is not None and enquiry.merged_into_id and enquiry.pk not in seen:
        seen.add(enquiry.pk)
        enquiry = enquiry.merged_into
    return enquiry


def _enquiry_for_subject(subject: str) -> Enquiry | None:
    match = mailing.reference_pattern().search(subject or "")
    if match is None:
        return None
    return _follow_merge(Enquiry.objects.filter(reference__iexact=match.group(1)).first())


def _mail_attachments(
    message: ParsedMessage,
) -> tuple[list[File], list[str]]:
    """The attachments the desk keeps, and the names of those it drops (type, size, number)."""
    kept: list[File] = []
    dropped: list[str] = []
    for attachment in message.attachments:
        name = attachment.filename or "attachment"
        file = ContentFile(attachment.data, name=name)
        if len(kept) >= conf.max_attachments():
            dropped.append(name)
            continue
        try:
            check_attachment(file)
        except ValidationError:
            dropped.append(name)
            continue
        kept.append(file)
    return kept, dropped


@transaction.atomic
def enquiry_receive_mail(message: ParsedMessage) -> Enquiry:
    """Turns one incoming e-mail into an enquiry or a message of an existing one.

    The setting MAIL_INCOMING_HANDLER names this function; the mail app calls it in a
    transaction. The rules:
    - a mail already received (same Message-ID) changes nothing;
    - In-Reply-To / References naming a Message-ID of a thread (in or out) thread it there;
    - else a reference number in the subject threads it there only when the sender is the
      enquiry's contact; from anyone else it becomes a new enquiry linked to that one for
      staff review, so nobody can write into someone else's enquiry by guessing a number;
    - else it is a new enquiry in the detected language. Automatic mail (auto-replies,
      bounces, lists) and mail from our own addresses get no acknowledgement, so no loop.
    Attachments of a refused type, too big or too many are not kept; an internal note says so.
    """
    with transaction.atomic():
        message_id = mailing.normalise_message_id(message.message_id)
        if message_id:
            existing = (
                Message.objects.filter(email_message_id=message_id)
                .select_related("enquiry")
                .first()
            )
            if existing is not None:
                return existing.enquiry
        received_at = message.date if message.date and timezone.is_aware(message.date) else None
        received_at = min(received_at or timezone.now(), timezone.now())
        files, dropped = _mail_attachments(message)
        text = message.text or message.subject or ""
        if not text.strip() and not files:
            text = gettext("(The e-mail had no text.)")
        automatic = message.is_automatic or _is_own_address(message.from_address or "")

        enquiry = _enquiry_for_mail(message)
        related = None
        if enquiry is None:
            by_subject = _enquiry_for_subject(message.subject)
            if (
                by_subject is not None
                and by_subject.email
                and (by_subject.email.lower() == (message.from_address or "").lower())
            ):
                enquiry = by_subject
            else:
                related = by_subject

        if enquiry is not None:
            enquiry_add_enquirer_message(
                enquiry=enquiry,
                text=text,
                attachments=files,
                via=Channel.EMAIL,
                email_message_id=message_id,
                received_at=received_at,
                automatic=automatic,
            )
        else:
            language = enquiry_language(text=f"{message.subject}\n{text}")
            enquiry, _token = enquiry_create(
                channel=Channel.EMAIL,
                text=text,
                subject=message.subject or "",
                language=language,
                name=(message.from_name or "")[:200],
                email=_valid_email(message.from_address),
                attachments=files,
                received_at=received_at,
                email_message_id=message_id,
                related_enquiry=related,
                acknowledge=not automatic,
            )
            if related is not None:
                _note_add(
                    enquiry=enquiry,
                    text=gettext(
                        "This e-mail names the reference %(reference)s in its subject but comes "
                        "from another sender, so it was not added to that enquiry. Check it."
                    )
                    % {"reference": related.reference},
                )
        if dropped:
            _note_add(
                enquiry=enquiry,
                text=gettext(
                    "Files not kept from an e-mail (type not accepted, too big or too many): "
                    "%(names)s"
                )
                % {"names": ", ".join(dropped)},
            )
        return enquiry


def _valid_email(address: str | None) -> str:
    from django.core.validators import validate_email

    address = (address or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


# --- staff -----------------------------------------------------------------------------------


def _note_add(*, enquiry: Enquiry, text: str, author: User | None = None) -> InternalNote:
    note = InternalNote(enquiry=enquiry, author=author, text=text)
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def enquiry_add_note(*, enquiry: Enquiry, author: User, text: str) -> InternalNote:
    """An internal note among staff; never shown to the enquirer."""
    if not text.strip():
        raise ValidationError(gettext("Enter the note."), code="required")
    return _note_add(enquiry=enquiry, text=text, author=author)


@transaction.atomic
def enquiry_set_status(
    *, enquiry: Enquiry, status: str, author: User | None, at: datetime | None = None
) -> Enquiry:
    """Moves an enquiry to ``status`` if TRANSITIONS allows it (ValidationError otherwise).

    Entering "waiting for the enquirer" pauses the due clock; leaving it resumes the clock
    with the opening time that was left. Reopening a closed enquiry counts a fresh due time.
    Closing records when. The same status again changes nothing.
    """
    at = at or timezone.now()
    if status == enquiry.status:
        return enquiry
    if status not in TRANSITIONS.get(enquiry.status, set()):
        raise ValidationError(
            gettext("An enquiry cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(enquiry.status).label, "new": Status(status).label}
            if status in Status.values
            else gettext("Unknown status."),
            code="transition",
        )
    old = enquiry.status
    if old == Status.WAITING:
        enquiry.due_at = _due_at_resumed(
            due_at=enquiry.due_at, paused_at=enquiry.waiting_since or at, resumed_at=at
        )
        enquiry.waiting_since = None
    if status == Status.WAITING:
        enquiry.waiting_since = at
    if old == Status.CLOSED:
        enquiry.due_at = enquiry_due_at(received_at=at, topic=enquiry.topic)
        enquiry.closed_at = None
    if status == Status.CLOSED:
        enquiry.closed_at = at
    enquiry.status = status
    enquiry.full_clean()
    enquiry.save(update_fields=["status", "due_at", "waiting_since", "closed_at", "updated_at"])
    return enquiry


@transaction.atomic
def enquiry_reply(
    *,
    enquiry: Enquiry,
    author: User,
    text: str,
    send_email: bool = True,
    channel: str = Channel.EMAIL,
    status: str = Status.ANSWERED,
    at: datetime | None = None,
) -> Message:
    """A consultant answers: the answer joins the thread and, by e-mail, goes out threaded.

    ``channel`` is how it was given: "email" (also readable through the link), or "phone",
    "letter", "visit" to record an answer given that way (nothing is sent). An e-mail is
    queued only when ``send_email`` and the enquirer's safe-contact choice allows e-mail;
    otherwise the answer is still readable through the private link. The enquiry then moves
    to ``status`` (answered, waiting for the enquirer, or referred) and the first answer time
    is recorded.
    """
    at = at or timezone.now()
    if not text.strip():
        raise ValidationError(gettext("Enter the answer."), code="required")
    if status not in (Status.ANSWERED, Status.WAITING, Status.REFERRED):
        raise ValidationError(gettext("Unknown status."), code="status")
    emailed = send_email and channel == Channel.EMAIL and enquiry.allows_email
    message = _message_add(
        enquiry=enquiry,
        direction=Direction.OUT,
        channel=channel,
        text=text,
        author=author,
        email_message_id=mailing.new_message_id() if emailed else "",
        created_at=at,
    )
    if emailed:
        mailing.reply_queue(enquiry=enquiry, message=message)
    if enquiry.first_response_at is None:
        enquiry.first_response_at = at
        enquiry.first_response_working_seconds = int(
            office_calendar().working_time_between(enquiry.created_at, at).total_seconds()
        )
        enquiry.save(
            update_fields=["first_response_at", "first_response_working_seconds", "updated_at"]
        )
    if enquiry.status == Status.CLOSED:
        enquiry_set_status(enquiry=enquiry, status=Status.OPEN, author=author, at=at)
    enquiry_set_status(enquiry=enquiry, status=status, author=author, at=at)
    return message


@transaction.atomic
def enquiry_tracking_token_renew(*, enquiry: Enquiry) -> str:
    """A new private link for an enquirer who lost theirs; the old link stops working."""
    token, token_hash = _new_tracking_token()
    enquiry.tracking_token_hash = token_hash
    enquiry.save(update_fields=["tracking_token_hash", "updated_at"])
    return token
