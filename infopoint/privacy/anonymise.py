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
from collections.abc import Collection
from functools import partial

from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q

from infopoint.appointments.models import Booking, WaitingListEntry
from infopoint.enquiries.models import Attachment, Enquiry, InternalNote, Message
from infopoint.knowledge.models import TriageExample
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
    examples = TriageExample.objects.filter(reference=OuterRef("reference"))
    return Enquiry.objects.filter(
        ~Q(name="")
        | ~Q(email="")
        | ~Q(phone="")
        | ~Q(subject="")
        | Exists(messages)
        | Exists(notes)
        | Exists(files)
        | Exists(examples)
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


# --- anonymising records, many at a time (by primary key) or one ----------------------------

Keys = Collection[int]


@transaction.atomic
def enquiries_anonymise(*, pks: Keys) -> None:
    """Empties the enquirers' names, contacts and subjects, every message, note and file.

    The copies of their text that consultants' triage decisions kept for retraining go too:
    a trained model keeps what it learnt from them, not the text.
    """
    references = Enquiry.objects.filter(pk__in=pks).values("reference")
    TriageExample.objects.filter(reference__in=references).delete()
    attachments = Attachment.objects.filter(message__enquiry__in=pks)
    _delete_files_on_commit(attachments.exclude(file=""))
    attachments.update(file="", original_filename="")
    Message.objects.filter(enquiry__in=pks).update(text="", email_message_id="")
    InternalNote.objects.filter(enquiry__in=pks).update(text="")
    Enquiry.objects.filter(pk__in=pks).update(name="", email="", phone="", subject="")


@transaction.atomic
def bookings_anonymise(*, pks: Keys) -> None:
    """Empties the person's name, contacts, what it was about and the adviser's note."""
    Booking.objects.filter(pk__in=pks).update(
        name="", email="", phone="", description="", outcome_note=""
    )


@transaction.atomic
def booking_notes_clear(*, pks: Keys) -> None:
    """Empties what the appointments were about and the advisers' private notes."""
    Booking.objects.filter(pk__in=pks).update(description="", outcome_note="")


@transaction.atomic
def waiting_entries_anonymise(*, pks: Keys) -> None:
    WaitingListEntry.objects.filter(pk__in=pks).update(name="", email="")


@transaction.atomic
def outgoing_mail_anonymise(*, pks: Keys) -> None:
    """Empties the recipients, subject, body, headers and attachments of stored e-mails."""
    OutgoingAttachment.objects.filter(message__in=pks).update(filename="", content=b"")
    OutgoingMessage.objects.filter(pk__in=pks).update(
        to=[], subject="", text="", html="", headers={}, last_error=""
    )


@transaction.atomic
def incoming_mail_anonymise(*, pks: Keys) -> None:
    """Empties the raw mail, its sender and subject (the enquiry keeps what it needs)."""
    IncomingMessage.objects.filter(pk__in=pks).update(
        raw=b"", from_address="", subject="", parse_error="", handle_error=""
    )


def identity_digest(*, email: str, phone: str) -> str:
    """A digest of the contacts a request named, kept instead of them."""
    digits = "".join(character for character in phone if character.isdigit())
    return hashlib.sha256(f"{email.strip().lower()}|{digits}".encode()).hexdigest()


@transaction.atomic
def request_contacts_forget(*, pks: Keys) -> None:
    """Keeps only a digest of the contacts handled requests named (proof they were handled)."""
    for dsr in DataSubjectRequest.objects.filter(pk__in=pks):
        DataSubjectRequest.objects.filter(pk=dsr.pk).update(
            identity_digest=identity_digest(email=dsr.email, phone=dsr.phone),
            email="",
            phone="",
        )
