"""How each kind of record loses its personal data: the one place for each rule.

Used by the retention run (when a period ends) and by erasure on request. Rows stay, with
their dates, topic, language, channel, status and counts, so reports do not change; what names
or describes a person goes: names, e-mail addresses, phone numbers, free text, attachments
(their files are deleted from storage once the change is committed). Running one twice
changes nothing more.

Updates go through ``QuerySet.update``: an emptied record would fail the forms' own checks
(a booking needs an e-mail or a phone), and these writes must not depend on them.
"""

from __future__ import annotations

import hashlib
from functools import partial

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q

from infopoint.appointments.models import Booking, WaitingListEntry
from infopoint.enquiries.models import Attachment, Enquiry, InternalNote, Message
from infopoint.mail.models import IncomingMessage, OutgoingAttachment, OutgoingMessage

from .models import DataSubjectRequest


def _delete_files_on_commit(attachments: models.QuerySet[Attachment]) -> None:
    # After the commit: were the change rolled back, the rows would still name their files.
    for row in attachments:
        if row.file:
            transaction.on_commit(partial(row.file.storage.delete, row.file.name))


# --- what still holds personal data ---------------------------------------------------------


def enquiries_with_personal_data() -> models.QuerySet[Enquiry]:
    messages = Message.objects.filter(enquiry=OuterRef("pk")).exclude(text="", email_message_id="")
    notes = InternalNote.objects.filter(enquiry=OuterRef("pk")).exclude(text="")
    files = Attachment.objects.filter(message__enquiry=OuterRef("pk")).exclude(
        file="", original_filename=""
    )
    return Enquiry.objects.filter(
        ~Q(name="")
        | ~Q(email="")
        | ~Q(phone="")
        | ~Q(subject="")
        | Exists(messages)
        | Exists(notes)
        | Exists(files)
    )


def bookings_with_personal_data() -> models.QuerySet[Booking]:
    return Booking.objects.filter(
        ~Q(name="") | ~Q(email="") | ~Q(phone="") | ~Q(description="") | ~Q(outcome_note="")
    )


def bookings_with_notes() -> models.QuerySet[Booking]:
    return Booking.objects.filter(~Q(description="") | ~Q(outcome_note=""))


def waiting_entries_with_personal_data() -> models.QuerySet[WaitingListEntry]:
    return WaitingListEntry.objects.filter(~Q(name="") | ~Q(email=""))


def outgoing_mail_with_personal_data() -> models.QuerySet[OutgoingMessage]:
    files = OutgoingAttachment.objects.filter(message=OuterRef("pk")).exclude(
        filename="", content=b""
    )
    return OutgoingMessage.objects.filter(
        ~Q(to=[]) | ~Q(subject="") | ~Q(text="") | ~Q(html="") | ~Q(last_error="") | Exists(files)
    )


def incoming_mail_with_personal_data() -> models.QuerySet[IncomingMessage]:
    return IncomingMessage.objects.filter(
        ~Q(raw=b"")
        | ~Q(from_address="")
        | ~Q(subject="")
        | ~Q(parse_error="")
        | ~Q(handle_error="")
    )


def requests_with_contacts() -> models.QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(~Q(email="") | ~Q(phone=""))


# --- anonymising one record -----------------------------------------------------------------


@transaction.atomic
def enquiry_anonymise(*, enquiry: Enquiry) -> None:
    """Empties the enquirer's name, contacts and subject, every message, note and file."""
    attachments = Attachment.objects.filter(message__enquiry=enquiry)
    _delete_files_on_commit(attachments.exclude(file=""))
    attachments.update(file="", original_filename="")
    Message.objects.filter(enquiry=enquiry).update(text="", email_message_id="")
    InternalNote.objects.filter(enquiry=enquiry).update(text="")
    Enquiry.objects.filter(pk=enquiry.pk).update(name="", email="", phone="", subject="")
    enquiry.refresh_from_db()


@transaction.atomic
def booking_anonymise(*, booking: Booking) -> None:
    """Empties the person's name, contacts, what it was about and the adviser's note."""
    Booking.objects.filter(pk=booking.pk).update(
        name="", email="", phone="", description="", outcome_note=""
    )
    booking.refresh_from_db()


@transaction.atomic
def booking_notes_clear(*, booking: Booking) -> None:
    """Empties what the appointment was about and the adviser's private note."""
    Booking.objects.filter(pk=booking.pk).update(description="", outcome_note="")
    booking.refresh_from_db()


@transaction.atomic
def waiting_entry_anonymise(*, entry: WaitingListEntry) -> None:
    WaitingListEntry.objects.filter(pk=entry.pk).update(name="", email="")
    entry.refresh_from_db()


@transaction.atomic
def outgoing_mail_anonymise(*, message: OutgoingMessage) -> None:
    """Empties the recipients, subject, body, headers and attachments of a stored e-mail."""
    OutgoingAttachment.objects.filter(message=message).update(filename="", content=b"")
    OutgoingMessage.objects.filter(pk=message.pk).update(
        to=[], subject="", text="", html="", headers={}, last_error=""
    )
    message.refresh_from_db()


@transaction.atomic
def incoming_mail_anonymise(*, message: IncomingMessage) -> None:
    """Empties the raw mail, its sender and subject (the enquiry keeps what it needs)."""
    IncomingMessage.objects.filter(pk=message.pk).update(
        raw=b"", from_address="", subject="", parse_error="", handle_error=""
    )
    message.refresh_from_db()


def identity_digest(*, email: str, phone: str) -> str:
    """A digest of the contacts a request named, kept instead of them."""
    digits = "".join(character for character in phone if character.isdigit())
    return hashlib.sha256(f"{email.strip().lower()}|{digits}".encode()).hexdigest()


@transaction.atomic
def request_contacts_forget(*, dsr: DataSubjectRequest) -> None:
    """Keeps only a digest of the contacts a handled request named (proof it was handled)."""
    DataSubjectRequest.objects.filter(pk=dsr.pk).update(
        identity_digest=identity_digest(email=dsr.email, phone=dsr.phone), email="", phone=""
    )
    dsr.refresh_from_db()
