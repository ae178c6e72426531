"""Retention: what has been kept longer than its period, and anonymising it.

Periods per kind of record come from the environment (conf.py, docs/privacy.md):

- an enquiry, so many months after it was closed;
- an appointment's notes (what it was about, the adviser's note), so many months after it;
- an appointment's person (name, contacts), so many months after it;
- a waiting-list entry, so many months after its week;
- stored mail in and out, so many months after it was received or sent (or failed);
- the contacts named by a data subject request, so many months after it was handled.

``retention_run`` is called by the daily task and by ``manage.py privacy_retention``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from infopoint.enquiries.models import Status

from . import anonymise, conf
from .audit import audit_record_many
from .models import AuditAction


@dataclass(frozen=True)
class RetentionKind:
    name: str
    months: Callable[[], int]
    # The records of this kind whose period ended before ``cutoff`` and still hold data.
    expired: Callable[[datetime], models.QuerySet]
    # Anonymises the records of these primary keys.
    anonymise: Callable[..., None]


def _expired_enquiries(cutoff: datetime) -> models.QuerySet:
    return anonymise.enquiries_with_personal_data().filter(
        status=Status.CLOSED, closed_at__lt=cutoff
    )


def _expired_booking_notes(cutoff: datetime) -> models.QuerySet:
    return anonymise.bookings_with_notes().filter(ends_at__lt=cutoff)


def _expired_bookings(cutoff: datetime) -> models.QuerySet:
    return anonymise.bookings_with_personal_data().filter(ends_at__lt=cutoff)


def _expired_waiting_entries(cutoff: datetime) -> models.QuerySet:
    # The week's Monday; the entry is of no use once its week is over.
    return anonymise.waiting_entries_with_personal_data().filter(
        week__lt=(cutoff - timedelta(days=7)).date()
    )


def _expired_outgoing_mail(cutoff: datetime) -> models.QuerySet:
    # Mail still waiting to be sent is never emptied.
    return anonymise.outgoing_mail_with_personal_data().filter(
        Q(status="sent", sent_at__lt=cutoff) | Q(status="failed", created_at__lt=cutoff)
    )


def _expired_incoming_mail(cutoff: datetime) -> models.QuerySet:
    # Mail not processed yet still has to become an enquiry.
    return anonymise.incoming_mail_with_personal_data().filter(
        received_at__lt=cutoff, status__in=["processed", "failed"]
    )


def _expired_requests(cutoff: datetime) -> models.QuerySet:
    # Open requests still need the contacts to be answered.
    return anonymise.requests_with_contacts().filter(handled_at__lt=cutoff)


KINDS: tuple[RetentionKind, ...] = (
    RetentionKind(
        "enquiries",
        conf.enquiry_months,
        _expired_enquiries,
        anonymise.enquiries_anonymise,
    ),
    RetentionKind(
        "appointment_notes",
        conf.appointment_notes_months,
        _expired_booking_notes,
        anonymise.booking_notes_clear,
    ),
    RetentionKind(
        "appointments",
        conf.appointment_months,
        _expired_bookings,
        anonymise.bookings_anonymise,
    ),
    RetentionKind(
        "waiting_list",
        conf.waiting_list_months,
        _expired_waiting_entries,
        anonymise.waiting_entries_anonymise,
    ),
    RetentionKind(
        "outgoing_mail",
        conf.mail_months,
        _expired_outgoing_mail,
        anonymise.outgoing_mail_anonymise,
    ),
    RetentionKind(
        "incoming_mail",
        conf.mail_months,
        _expired_incoming_mail,
        anonymise.incoming_mail_anonymise,
    ),
    RetentionKind(
        "requests",
        conf.request_months,
        _expired_requests,
        anonymise.request_contacts_forget,
    ),
)


@dataclass
class RetentionResult:
    dry_run: bool
    # Kind name -> (label, pk) of each record anonymised, or that would be in a dry run.
    records: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {kind: len(rows) for kind, rows in self.records.items()}

    def lines(self) -> Iterator[str]:
        for kind, rows in self.records.items():
            yield f"{kind}: {len(rows)}"
            for label, pk in rows:
                yield f"  {label} #{pk}"


# Records are read and anonymised this many at a time, each batch in one transaction: a first
# run over years of data neither holds it all in memory nor waits for a commit per record.
BATCH_SIZE = 200


def _expired_pks(kind: RetentionKind, now: datetime) -> list[int]:
    months = kind.months()
    if months <= 0:
        return []
    cutoff = conf.months_before(now, months)
    return list(kind.expired(cutoff).order_by("pk").values_list("pk", flat=True))


def retention_run(*, dry_run: bool = False, now: datetime | None = None) -> RetentionResult:
    """Anonymises every record whose retention period has ended; a dry run changes nothing.

    Records are anonymised with their audit events in batches, one transaction each, so a
    failure part way leaves every record either untouched or fully anonymised; running again
    finishes.
    """
    now = now or timezone.now()
    result = RetentionResult(dry_run=dry_run)
    for kind in KINDS:
        pks = _expired_pks(kind, now)
        model = kind.expired(now).model
        result.records[kind.name] = [(model._meta.label_lower, pk) for pk in pks]
        if dry_run:
            continue
        label = model._meta.label_lower
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            with transaction.atomic():
                kind.anonymise(pks=batch)
                audit_record_many(
                    actor=None,
                    action=AuditAction.ANONYMISED,
                    targets=[(label, pk) for pk in batch],
                    detail={"retention": kind.name},
                )
    return result
