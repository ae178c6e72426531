"""A person's records as plain data: written out as JSON, or shown as a readable page.

Everything the point holds about them is in it, including staff notes and the consent text
they agreed to; the coordinator reads it before handing it over (docs/privacy.md), in case it
names other people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from .consent import consent_text_for, consent_texts_record
from .models import ConsentPurpose, DataSubjectRequest
from .selectors import PersonRecords

EXPORT_FORMAT_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _consent(purpose: str, version: str, given_at: datetime | None) -> dict[str, Any]:
    stored = consent_text_for(purpose=purpose, version=version)
    texts = {row.language: row.text for row in stored.translations.all()} if stored else {}
    return {"version": version, "given_at": _time(given_at), "texts": texts}


def _enquiry(enquiry: Any) -> dict[str, Any]:
    return {
        "reference": enquiry.reference,
        "channel": enquiry.channel,
        "status": enquiry.status,
        "topic": str(enquiry.topic) if enquiry.topic else None,
        "subject": enquiry.subject,
        "language": enquiry.language,
        "language_of_answer": enquiry.preferred_language,
        "name": enquiry.name,
        "email": enquiry.email,
        "phone": enquiry.phone,
        "safe_contact": enquiry.safe_contact,
        "received_at": _time(enquiry.created_at),
        "closed_at": _time(enquiry.closed_at),
        "consent": _consent(
            ConsentPurpose.ENQUIRY, enquiry.consent_version, enquiry.consent_given_at
        ),
        "messages": [
            {
                "direction": message.direction,
                "channel": message.channel,
                "at": _time(message.created_at),
                "text": message.text,
                "attachments": [
                    {
                        "file_name": attachment.original_filename,
                        "type": attachment.content_type,
                        "size": attachment.size,
                    }
                    for attachment in message.attachments.all()
                ],
            }
            for message in enquiry.messages.all()
        ],
        "staff_notes": [
            {"at": _time(note.created_at), "text": note.text} for note in enquiry.notes.all()
        ],
        "referred_to": [str(referral.institution) for referral in enquiry.referrals.all()],
    }


def _booking(booking: Any) -> dict[str, Any]:
    return {
        "starts_at": _time(booking.starts_at),
        "ends_at": _time(booking.ends_at),
        "status": booking.status,
        "adviser": str(booking.adviser),
        "topic": str(booking.topic) if booking.topic else None,
        "name": booking.name,
        "email": booking.email,
        "phone": booking.phone,
        "language": booking.language,
        "about": booking.description,
        "adviser_note": booking.outcome_note,
        "booked_at": _time(booking.created_at),
        "consent": _consent(
            ConsentPurpose.BOOKING, booking.consent_version, booking.consent_given_at
        ),
    }


def person_records_data(
    *, records: PersonRecords, dsr: DataSubjectRequest | None = None
) -> dict[str, Any]:
    """The records as JSON-ready data, in a stable shape (``format_version``)."""
    consent_texts_record()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "request": (
            {
                "reference": dsr.reference,
                "received_at": _time(dsr.received_at),
                "email": dsr.email,
                "phone": dsr.phone,
            }
            if dsr
            else None
        ),
        "enquiries": [_enquiry(enquiry) for enquiry in records.enquiries],
        "appointments": [_booking(booking) for booking in records.bookings],
        "waiting_list": [
            {
                "week": entry.week.isoformat(),
                "language": entry.language,
                "name": entry.name,
                "email": entry.email,
                "added_at": _time(entry.created_at),
            }
            for entry in records.waiting_entries
        ],
        "emails_sent": [
            {
                "to": list(message.to),
                "subject": message.subject,
                "text": message.text,
                "status": message.status,
                "created_at": _time(message.created_at),
                "sent_at": _time(message.sent_at),
            }
            for message in records.outgoing_mail
        ],
        "emails_received": [
            {
                "from": message.from_address,
                "subject": message.subject,
                "received_at": _time(message.received_at),
            }
            for message in records.incoming_mail
        ],
    }
