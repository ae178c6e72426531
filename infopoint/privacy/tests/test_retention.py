"""Retention: what expired is anonymised, nothing else; reports count the same afterwards."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from infopoint.appointments.models import Adviser, Booking, WaitingListEntry
from infopoint.enquiries.models import Attachment, Enquiry, InternalNote, Message, Status
from infopoint.enquiries.tests.factories import PDF_BYTES, enquiry_make
from infopoint.knowledge.models import TriageExample
from infopoint.knowledge.services import triage_correction_record
from infopoint.mail.models import IncomingMessage, OutgoingAttachment, OutgoingMessage
from infopoint.privacy import conf
from infopoint.privacy.anonymise import identity_digest
from infopoint.privacy.models import AuditAction, AuditEvent, DataSubjectRequest, RequestKind
from infopoint.privacy.retention import retention_run
from infopoint.privacy.services import dsr_create, dsr_refuse
from infopoint.privacy.tasks import retention_task
from infopoint.reports import selectors as reports
from infopoint.topics.tests.factories import TopicFactory

from .conftest import NOW, booking_make

pytestmark = pytest.mark.django_db


def closed_enquiry(*, closed_at: object, **overrides: object) -> Enquiry:
    enquiry = enquiry_make(phone="+48 600 100 200", **overrides)
    message = enquiry.messages.first()
    assert message is not None
    Attachment.objects.create(
        message=message,
        file=ContentFile(PDF_BYTES, name="scan.pdf"),
        original_filename="passport Olena.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    InternalNote.objects.create(enquiry=enquiry, text="Olena is afraid of her employer.")
    Enquiry.objects.filter(pk=enquiry.pk).update(
        status=Status.CLOSED,
        closed_at=closed_at,
        created_at=closed_at - timedelta(days=10),  # type: ignore[operator]
        subject="PESEL for Olena",
    )
    enquiry.refresh_from_db()
    return enquiry


def test_months_before_keeps_the_day_or_takes_the_last() -> None:
    assert conf.months_before(NOW, 24).date() == date(2024, 11, 23)
    assert conf.months_before(NOW.replace(month=3, day=31), 1).date() == date(2026, 2, 28)
    assert conf.months_before(NOW, 0) == NOW


def test_a_closed_enquiry_is_anonymised_after_its_period(
    settings: object, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RETENTION_ENQUIRY_MONTHS = 24  # type: ignore[attr-defined]
    old = closed_enquiry(closed_at=NOW - timedelta(days=2 * 366))
    recent = closed_enquiry(closed_at=NOW - timedelta(days=300), email="recent@example.net")
    still_open = enquiry_make(email="open@example.net")
    Enquiry.objects.filter(pk=still_open.pk).update(created_at=NOW - timedelta(days=1000))
    attachment = Attachment.objects.get(message__enquiry=old)
    stored_name = attachment.file.name
    assert default_storage.exists(stored_name)

    with django_capture_on_commit_callbacks(execute=True):
        result = retention_run(now=NOW)

    assert result.counts()["enquiries"] == 1
    old.refresh_from_db()
    assert (old.name, old.email, old.phone, old.subject) == ("", "", "", "")
    assert list(old.messages.values_list("text", flat=True)) == [""]
    assert list(old.notes.values_list("text", flat=True)) == [""]
    attachment.refresh_from_db()
    assert (attachment.file.name, attachment.original_filename) == ("", "")
    assert not default_storage.exists(stored_name)
    # What reports need stays.
    assert (old.status, old.channel, old.language) == (Status.CLOSED, "web", "uk")
    assert old.messages.count() == 1 and attachment.size == len(PDF_BYTES)
    assert Enquiry.objects.get(pk=recent.pk).email == "recent@example.net"
    assert Enquiry.objects.get(pk=still_open.pk).email == "open@example.net"
    event = AuditEvent.objects.get(action=AuditAction.ANONYMISED)
    assert event.target == f"enquiries.enquiry:{old.pk}"
    assert event.detail == {"retention": "enquiries"} and event.actor is None


def test_the_text_kept_for_retraining_goes_with_the_enquiry() -> None:
    old = closed_enquiry(closed_at=NOW - timedelta(days=800))
    recent = closed_enquiry(closed_at=NOW - timedelta(days=30))
    topic = TopicFactory()
    for enquiry in (old, recent):
        triage_correction_record(
            text="Olena needs a PESEL",
            topic_slug=topic.slug,
            referral_slug=None,
            reference=enquiry.reference,
        )

    retention_run(now=NOW)

    assert list(TriageExample.objects.values_list("reference", flat=True)) == [recent.reference]


def test_a_second_run_changes_nothing() -> None:
    closed_enquiry(closed_at=NOW - timedelta(days=800))
    assert retention_run(now=NOW).counts()["enquiries"] == 1
    assert retention_run(now=NOW).counts() == {
        "enquiries": 0,
        "appointment_notes": 0,
        "appointments": 0,
        "waiting_list": 0,
        "outgoing_mail": 0,
        "incoming_mail": 0,
        "requests": 0,
    }
    assert AuditEvent.objects.filter(action=AuditAction.ANONYMISED).count() == 1


def test_a_period_of_zero_keeps_everything(settings: object) -> None:
    settings.RETENTION_ENQUIRY_MONTHS = 0  # type: ignore[attr-defined]
    enquiry = closed_enquiry(closed_at=NOW - timedelta(days=3000))
    assert retention_run(now=NOW).counts()["enquiries"] == 0
    assert Enquiry.objects.get(pk=enquiry.pk).name == "Olena Kowalenko"


def test_appointment_notes_go_before_the_person(adviser: Adviser) -> None:
    month_ago = booking_make(adviser, starts_at=NOW - timedelta(days=30), outcome_note="Appeal.")
    year_ago = booking_make(
        adviser, starts_at=NOW - timedelta(days=400), outcome_note="Explained the appeal."
    )
    long_ago = booking_make(adviser, starts_at=NOW - timedelta(days=800))
    result = retention_run(now=NOW)
    assert result.counts()["appointment_notes"] == 2
    assert result.counts()["appointments"] == 1
    month_ago.refresh_from_db()
    year_ago.refresh_from_db()
    long_ago.refresh_from_db()
    assert month_ago.outcome_note == "Appeal." and month_ago.description
    assert (year_ago.description, year_ago.outcome_note) == ("", "")
    assert year_ago.name == "Ирина Петренко" and year_ago.email == "iryna@example.com"
    assert (long_ago.name, long_ago.email, long_ago.phone, long_ago.description) == ("",) * 4
    assert long_ago.status == "booked" and long_ago.language == "ru"


def test_waiting_list_and_stored_mail_are_emptied_after_their_periods() -> None:
    old_week = WaitingListEntry.objects.create(
        week=date(2026, 5, 4), language="uk", name="Olena", email="olena@example.net"
    )
    this_week = WaitingListEntry.objects.create(
        week=date(2026, 11, 23), language="uk", name="Petro", email="petro@example.net"
    )
    sent = OutgoingMessage.objects.create(
        message_id="<1@example.invalid>",
        to=["olena@example.net"],
        from_email="info-point@example.invalid",
        subject="Your enquiry",
        text="Dear Olena",
        status="sent",
        sent_at=NOW - timedelta(days=200),
    )
    OutgoingAttachment.objects.create(
        message=sent, filename="invite.ics", content_type="text/calendar", content=b"BEGIN"
    )
    queued = OutgoingMessage.objects.create(
        message_id="<2@example.invalid>",
        to=["petro@example.net"],
        from_email="info-point@example.invalid",
        subject="Reminder",
        text="Dear Petro",
        created_at=NOW - timedelta(days=400),
    )
    received = IncomingMessage.objects.create(
        message_id="<3@example.net>",
        raw=b"From: olena@example.net\r\n\r\nHello",
        from_address="olena@example.net",
        subject="Question",
        status="processed",
    )
    IncomingMessage.objects.filter(pk=received.pk).update(received_at=NOW - timedelta(days=200))

    counts = retention_run(now=NOW).counts()

    assert (counts["waiting_list"], counts["outgoing_mail"], counts["incoming_mail"]) == (1, 1, 1)
    old_week.refresh_from_db()
    assert (old_week.name, old_week.email) == ("", "")
    assert WaitingListEntry.objects.get(pk=this_week.pk).email == "petro@example.net"
    sent.refresh_from_db()
    assert (sent.to, sent.subject, sent.text, sent.status) == ([], "", "", "sent")
    assert OutgoingAttachment.objects.get(message=sent).filename == ""
    assert OutgoingMessage.objects.get(pk=queued.pk).to == ["petro@example.net"]
    received.refresh_from_db()
    assert (bytes(received.raw), received.from_address, received.subject) == (b"", "", "")


def test_the_dry_run_lists_and_changes_nothing(adviser: Adviser) -> None:
    enquiry = closed_enquiry(closed_at=NOW - timedelta(days=800))
    booking = booking_make(adviser, starts_at=NOW - timedelta(days=800))
    before = (
        list(Enquiry.objects.values()),
        list(Message.objects.values()),
        list(Attachment.objects.values()),
        list(Booking.objects.values()),
    )
    result = retention_run(dry_run=True, now=NOW)
    assert result.records["enquiries"] == [("enquiries.enquiry", enquiry.pk)]
    assert result.records["appointments"] == [("appointments.booking", booking.pk)]
    after = (
        list(Enquiry.objects.values()),
        list(Message.objects.values()),
        list(Attachment.objects.values()),
        list(Booking.objects.values()),
    )
    assert after == before
    assert not AuditEvent.objects.filter(action=AuditAction.ANONYMISED).exists()


def test_the_command_prints_what_would_be_anonymised(time_machine: object) -> None:
    time_machine.move_to(NOW, tick=False)  # type: ignore[attr-defined]
    enquiry = closed_enquiry(closed_at=NOW - timedelta(days=800))
    out = StringIO()
    call_command("privacy_retention", "--dry-run", stdout=out)
    assert "Would be anonymised:" in out.getvalue()
    assert f"enquiries.enquiry #{enquiry.pk}" in out.getvalue()
    assert Enquiry.objects.get(pk=enquiry.pk).email == "olena@example.net"
    out = StringIO()
    call_command("privacy_retention", stdout=out)
    assert "Anonymised:" in out.getvalue() and "enquiries: 1" in out.getvalue()
    assert Enquiry.objects.get(pk=enquiry.pk).email == ""


def test_reports_count_the_same_after_anonymisation(adviser: Adviser) -> None:
    for days in (800, 900, 1000):
        closed_enquiry(closed_at=NOW - timedelta(days=days - 10))
    for days in (800, 850):
        booking_make(adviser, starts_at=NOW - timedelta(days=days), status="held")
    period = reports.Period(start=(NOW - timedelta(days=1200)).date(), end=NOW.date())

    def figures() -> object:
        return (
            reports.enquiries_by_status(period=period),
            reports.enquiries_by_channel(period=period),
            reports.enquiries_by_language(period=period),
            reports.enquiries_by_topic(period=period),
            reports.appointments_by_adviser(period=period),
        )

    before = figures()
    assert reports.total(before[0]) == 3  # type: ignore[index]
    assert sum(row.held for row in before[4]) == 2  # type: ignore[index]
    assert retention_run(now=NOW).counts()["enquiries"] == 3
    assert figures() == before


def test_a_handled_request_keeps_only_a_digest_after_its_period(settings: Any) -> None:
    settings.RETENTION_REQUEST_MONTHS = 12
    old = dsr_create(kind=RequestKind.ACCESS, email="olena@example.net", phone="600 100 200")
    dsr_refuse(dsr=old, reason="identity", actor=None)
    DataSubjectRequest.objects.filter(pk=old.pk).update(handled_at=NOW - timedelta(days=400))
    still_open = dsr_create(kind=RequestKind.ACCESS, email="petro@example.net")
    DataSubjectRequest.objects.filter(pk=still_open.pk).update(
        received_at=NOW - timedelta(days=400)
    )
    assert retention_run(now=NOW).counts()["requests"] == 1
    old.refresh_from_db()
    assert (old.email, old.phone) == ("", "")
    assert old.identity_digest == identity_digest(email="olena@example.net", phone="600100200")
    assert DataSubjectRequest.objects.get(pk=still_open.pk).email == "petro@example.net"


def test_the_daily_task_is_the_one_the_schedule_names(settings: Any) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention"]
    assert retention_task.name == entry["task"]
    closed_enquiry(closed_at=timezone.now() - timedelta(days=800))
    assert retention_task.delay().get()["enquiries"] == 1
