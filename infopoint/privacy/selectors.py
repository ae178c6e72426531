"""Reads of privacy: a person's records, the audit log, data subject requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Replace

from infopoint.appointments.models import Booking, WaitingListEntry
from infopoint.enquiries.models import Enquiry
from infopoint.hours.calendar import office_zone
from infopoint.mail.models import IncomingMessage, OutgoingMessage

from .models import AuditEvent, DataSubjectRequest

# Phones are matched on their last digits, so "+48 600-100-200" finds "600100200".
PHONE_MATCH_DIGITS = 9
PHONE_MIN_DIGITS = 6
_PHONE_PUNCTUATION = (" ", "-", "(", ")", ".", "/", "+")


def phone_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def _phone_tail_match(queryset: QuerySet, phone: str, field_name: str = "phone") -> QuerySet:
    digits = phone_digits(phone)
    if len(digits) < PHONE_MIN_DIGITS:
        return queryset.none()
    expression = field_name
    stripped: object = expression
    for mark in _PHONE_PUNCTUATION:
        stripped = Replace(stripped, Value(mark), Value(""), output_field=CharField())  # type: ignore[arg-type]
    return queryset.annotate(_phone_digits=stripped).filter(
        _phone_digits__endswith=digits[-PHONE_MATCH_DIGITS:]
    )


@dataclass
class PersonRecords:
    """Everything the point holds that is found by a person's e-mail address or phone."""

    enquiries: list[Enquiry] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)
    waiting_entries: list[WaitingListEntry] = field(default_factory=list)
    outgoing_mail: list[OutgoingMessage] = field(default_factory=list)
    incoming_mail: list[IncomingMessage] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "enquiries": len(self.enquiries),
            "bookings": len(self.bookings),
            "waiting_list": len(self.waiting_entries),
            "outgoing_mail": len(self.outgoing_mail),
            "incoming_mail": len(self.incoming_mail),
        }

    @property
    def total(self) -> int:
        return sum(self.counts().values())


def person_records_find(*, email: str = "", phone: str = "") -> PersonRecords:
    """All records of a person, by e-mail (any case) and/or phone (its last 9 digits).

    Enquiries come with their messages, attachments, notes and referrals; bookings linked to
    a found enquiry are found too. Mail is matched on its exact address, not a part of it.
    """
    email = email.strip()
    records = PersonRecords()
    if not email and not phone:
        return records
    enquiry_pks: set[int] = set()
    booking_pks: set[int] = set()
    if email:
        enquiry_pks |= set(Enquiry.objects.filter(email__iexact=email).values_list("pk", flat=True))
        booking_pks |= set(Booking.objects.filter(email__iexact=email).values_list("pk", flat=True))
    if phone:
        enquiry_pks |= set(
            _phone_tail_match(Enquiry.objects.all(), phone).values_list("pk", flat=True)
        )
        booking_pks |= set(
            _phone_tail_match(Booking.objects.all(), phone).values_list("pk", flat=True)
        )
    booking_pks |= set(Booking.objects.filter(enquiry__in=enquiry_pks).values_list("pk", flat=True))
    records.enquiries = list(
        Enquiry.objects.filter(pk__in=enquiry_pks)
        .select_related("topic")
        .prefetch_related("messages__attachments", "notes", "referrals__institution__translations")
        .order_by("created_at", "pk")
    )
    records.bookings = list(
        Booking.objects.filter(pk__in=booking_pks)
        .select_related("adviser__user", "topic")
        .order_by("starts_at", "pk")
    )
    if email:
        lowered = email.lower()
        records.waiting_entries = list(
            WaitingListEntry.objects.filter(email__iexact=email).order_by("week", "pk")
        )
        records.outgoing_mail = [
            message
            for message in OutgoingMessage.objects.filter(to__icontains=email).order_by("pk")
            if any(str(address).strip().lower() == lowered for address in message.to)
        ]
        records.incoming_mail = list(
            IncomingMessage.objects.filter(from_address__iexact=email).order_by("pk")
        )
    return records


def dsr_list() -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("created_by", "handled_by")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_search(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by user name, action, record and office days."""
    events = AuditEvent.objects.select_related("actor")
    if filters.actor:
        events = events.filter(actor_username__iexact=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.target_type:
        events = events.filter(target_type=filters.target_type)
    if filters.target_id:
        events = events.filter(target_id=filters.target_id)
    zone = office_zone()
    if filters.since:
        events = events.filter(at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        following = filters.until + timedelta(days=1)
        events = events.filter(at__lt=datetime.combine(following, time.min, tzinfo=zone))
    return events.order_by("-at", "-pk")


def audit_target_types() -> list[str]:
    """Kinds of record the log names, for the search form."""
    return list(
        AuditEvent.objects.exclude(target_type="")
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )
