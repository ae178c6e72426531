"""Staff screens that show or change personal data write to the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.appointments.models import Adviser
from infopoint.enquiries.models import Attachment
from infopoint.enquiries.tests.factories import PDF_BYTES, enquiry_make
from infopoint.privacy.models import AuditAction, AuditEvent

from .conftest import NOW, booking_make, client_for

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def test_opening_and_answering_an_enquiry_is_recorded(consultant: User) -> None:
    enquiry = enquiry_make()
    client = client_for(consultant)
    assert client.get(url("enquiries:staff:detail", pk=enquiry.pk)).status_code == 200
    response = client.post(
        url("enquiries:staff:reply", pk=enquiry.pk),
        {"reply-text": "Dzień dobry, proszę przyjść do urzędu.", "reply-status": "answered"},
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(
        actor=consultant, action__in=[AuditAction.VIEWED, AuditAction.CHANGED]
    ).order_by("pk")
    assert [(event.action, event.target) for event in events] == [
        (AuditAction.VIEWED, f"enquiries.enquiry:{enquiry.pk}"),
        (AuditAction.CHANGED, f"enquiries.enquiry:{enquiry.pk}"),
    ]


def test_a_refused_look_at_an_enquiry_is_not_recorded_as_viewed(adviser_user: User) -> None:
    enquiry = enquiry_make()
    response = client_for(adviser_user).get(url("enquiries:staff:detail", pk=enquiry.pk))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.VIEWED).exists()


def test_the_agenda_and_a_booking_page_are_recorded(coordinator: User, adviser: Adviser) -> None:
    booking = booking_make(adviser, starts_at=NOW)
    client = client_for(coordinator)
    assert client.get(url("appointments:agenda"), {"date": "2026-11-23"}).status_code == 200
    assert client.get(url("appointments:staff_booking", pk=booking.pk)).status_code == 200
    events = list(AuditEvent.objects.filter(action=AuditAction.VIEWED).order_by("pk"))
    assert events[0].detail == {"agenda": 1} and events[0].actor == coordinator
    assert events[1].target == f"appointments.booking:{booking.pk}"


def test_downloading_an_attachment_and_a_phone_answer_are_recorded(consultant: User) -> None:
    enquiry = enquiry_make()
    message = enquiry.messages.get()
    attachment = Attachment.objects.create(
        message=message,
        file=ContentFile(PDF_BYTES, name="scan.pdf"),
        original_filename="scan.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    client = client_for(consultant)
    download = client.get(
        url("enquiries:staff:attachment", pk=enquiry.pk, attachment_pk=attachment.pk)
    )
    assert download.status_code == 200
    answer = client.post(
        url("enquiries:staff:phone_answer", pk=enquiry.pk),
        {"phone-text": "Told her to bring the passport.", "phone-status": "answered"},
    )
    assert answer.status_code == 302
    events = AuditEvent.objects.filter(
        actor=consultant, action__in=[AuditAction.VIEWED, AuditAction.CHANGED]
    ).order_by("pk")
    assert [(event.action, event.target) for event in events] == [
        (AuditAction.VIEWED, f"enquiries.attachment:{attachment.pk}"),
        (AuditAction.CHANGED, f"enquiries.enquiry:{enquiry.pk}"),
    ]


def test_recording_an_outcome_is_recorded(adviser: Adviser, time_machine: Any) -> None:
    booking = booking_make(adviser, starts_at=NOW)
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    client = client_for(adviser.user)
    response = client.post(
        url("appointments:staff_booking", pk=booking.pk),
        {"outcome": "held", "note": "Explained the appeal."},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.CHANGED)
    assert event.target == f"appointments.booking:{booking.pk}" and event.actor == adviser.user
