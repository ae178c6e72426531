"""Data subject requests: recording one, giving the person their records, erasing them.

Each step is one function that views, the command and tests call alike; each is logged in
the audit log (and the request itself keeps who handled it and when).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext

from . import anonymise
from .audit import audit_record, audit_record_many
from .export import person_records_data
from .models import (
    AuditAction,
    DataSubjectRequest,
    RefusalReason,
    RequestKind,
    RequestStatus,
)
from .selectors import PHONE_MIN_DIGITS, PersonRecords, person_records_find, phone_digits


def _reference() -> str:
    # Short and unguessable enough to read out on the phone; unique by constraint.
    return f"DSR-{timezone.localdate():%Y%m%d}-{secrets.token_hex(3).upper()}"


def contact_clean(*, email: str, phone: str) -> tuple[str, str]:
    email, phone = email.strip(), phone.strip()
    errors: dict[str, str] = {}
    if not email and not phone:
        raise ValidationError(
            gettext("Give the person's e-mail address, phone number or both."), code="contact"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = gettext("Enter an e-mail address like name@example.com.")
    if phone and len(phone_digits(phone)) < PHONE_MIN_DIGITS:
        errors["phone"] = gettext("Enter a phone number with at least %(count)s digits.") % {
            "count": PHONE_MIN_DIGITS
        }
    if errors:
        raise ValidationError(errors)
    return email, phone


@transaction.atomic
def dsr_create(
    *,
    kind: str,
    email: str = "",
    phone: str = "",
    identity_checked: bool = False,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> DataSubjectRequest:
    """Records a request by e-mail and/or phone and notes how many records it finds."""
    email, phone = contact_clean(email=email, phone=phone)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": gettext("Choose what the person asks for.")})
    records = person_records_find(email=email, phone=phone)
    user = actor if getattr(actor, "is_authenticated", False) else None
    for _attempt in range(5):
        dsr = DataSubjectRequest(
            reference=_reference(),
            kind=kind,
            email=email,
            phone=phone,
            identity_checked=identity_checked,
            records_found=records.counts(),
            created_by=user,
        )
        dsr.full_clean()
        try:
            with transaction.atomic():
                dsr.save()
        except IntegrityError:  # the same reference twice: take another
            continue
        break
    audit_record(
        actor=actor,
        action=AuditAction.REQUEST_RECORDED,
        target=dsr,
        detail={"kind": kind, **records.counts()},
        request=request,
    )
    return dsr


def dsr_records(
    *, dsr: DataSubjectRequest, actor: Any, request: HttpRequest | None = None
) -> PersonRecords:
    """The records a request is about, looked up again now; the look-up is logged."""
    records = person_records_find(email=dsr.email, phone=dsr.phone)
    audit_record(
        actor=actor,
        action=AuditAction.SEARCHED,
        target=dsr,
        detail=records.counts(),
        request=request,
    )
    return records


@transaction.atomic
def dsr_export(
    *, dsr: DataSubjectRequest, actor: Any, request: HttpRequest | None = None, fmt: str = "json"
) -> dict[str, Any]:
    """The person's records as data; an open request for access is then done."""
    if dsr.status == RequestStatus.ERASED:
        raise ValidationError(
            gettext("The records of this request were erased: there is nothing to export."),
            code="erased",
        )
    if not dsr.identity_checked:
        raise ValidationError(
            gettext("Check the person's identity before giving them a copy of their records."),
            code="identity",
        )
    records = person_records_find(email=dsr.email, phone=dsr.phone)
    data = person_records_data(records=records, dsr=dsr)
    if dsr.is_open and dsr.kind == RequestKind.ACCESS:
        dsr.status = RequestStatus.EXPORTED
        dsr.handled_at = timezone.now()
        dsr.handled_by = actor if getattr(actor, "is_authenticated", False) else None
        dsr.save(update_fields=["status", "handled_at", "handled_by"])
    audit_record(
        actor=actor,
        action=AuditAction.EXPORTED,
        target=dsr,
        detail={"format": fmt, **records.counts()},
        request=request,
    )
    return data


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


@transaction.atomic
def dsr_erase(
    *, dsr: DataSubjectRequest, actor: Any, request: HttpRequest | None = None
) -> dict[str, int]:
    """Anonymises every record of the person, in place, as retention does; all or nothing.

    Only an open erasure request of a person whose identity was checked can be carried out.
    The request then keeps only a digest of the contacts it named, and the counts.
    """
    if dsr.kind != RequestKind.ERASURE:
        raise ValidationError(
            gettext("This is a request for access, not for erasure."), code="kind"
        )
    if not dsr.is_open:
        raise ValidationError(gettext("This request was already handled."), code="handled")
    if not dsr.identity_checked:
        raise ValidationError(
            gettext("Check the person's identity before erasing their records."),
            code="identity",
        )
    records = person_records_find(email=dsr.email, phone=dsr.phone)
    anonymise.enquiries_anonymise(pks=[enquiry.pk for enquiry in records.enquiries])
    anonymise.bookings_anonymise(pks=[booking.pk for booking in records.bookings])
    anonymise.waiting_entries_anonymise(pks=[entry.pk for entry in records.waiting_entries])
    anonymise.outgoing_mail_anonymise(pks=[message.pk for message in records.outgoing_mail])
    anonymise.incoming_mail_anonymise(pks=[message.pk for message in records.incoming_mail])
    erased = [
        *records.enquiries,
        *records.bookings,
        *records.waiting_entries,
        *records.outgoing_mail,
        *records.incoming_mail,
    ]
    audit_record_many(
        actor=actor,
        action=AuditAction.ERASED,
        targets=erased,
        detail={"request": dsr.reference},
        request=request,
    )
    anonymise.request_contacts_forget(pks=[dsr.pk])
    dsr.refresh_from_db()
    dsr.status = RequestStatus.ERASED
    dsr.records_found = records.counts()
    dsr.handled_at = timezone.now()
    dsr.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    dsr.save()
    audit_record(
        actor=actor,
        action=AuditAction.ERASED,
        target=dsr,
        detail=records.counts(),
        request=request,
    )
    return records.counts()


@transaction.atomic
def dsr_identity_confirm(
    *, dsr: DataSubjectRequest, actor: Any, request: HttpRequest | None = None
) -> DataSubjectRequest:
    """Notes that the person showed who they are, which export and erasure need."""
    if not dsr.is_open:
        raise ValidationError(gettext("This request was already handled."), code="handled")
    if not dsr.identity_checked:
        dsr.identity_checked = True
        dsr.save(update_fields=["identity_checked"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGED,
            target=dsr,
            detail={"identity_checked": True},
            request=request,
        )
    return dsr


@transaction.atomic
def dsr_refuse(
    *, dsr: DataSubjectRequest, reason: str, actor: Any, request: HttpRequest | None = None
) -> DataSubjectRequest:
    """Closes an open request without carrying it out, for one of the reasons the law allows."""
    if reason not in RefusalReason.values:
        raise ValidationError({"reason": gettext("Choose why the request is refused.")})
    if not dsr.is_open:
        raise ValidationError(gettext("This request was already handled."), code="handled")
    dsr.status = RequestStatus.REFUSED
    dsr.refusal_reason = reason
    dsr.handled_at = timezone.now()
    dsr.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    dsr.save(update_fields=["status", "refusal_reason", "handled_at", "handled_by"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGED,
        target=dsr,
        detail={"refused": reason},
        request=request,
    )
    return dsr
