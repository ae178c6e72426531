"""Data subject requests: finding a person's records, exporting them, erasing them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.appointments.models import Adviser, WaitingListEntry
from infopoint.enquiries.consent import CONSENT_TEXT, CONSENT_VERSION
from infopoint.enquiries.models import Enquiry, InternalNote
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.mail.models import IncomingMessage, OutgoingMessage
from infopoint.privacy.anonymise import identity_digest
from infopoint.privacy.models import (
    AuditAction,
    AuditEvent,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
)
from infopoint.privacy.selectors import person_records_find
from infopoint.privacy.services import (
    dsr_create,
    dsr_erase,
    dsr_export,
    dsr_identity_confirm,
    dsr_refuse,
    export_json,
)

from .conftest import NOW, booking_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(adviser: Adviser) -> dict[str, object]:
    """Olena's enquiry, booking (by phone only), waiting-list entry and mail; and Petro's."""
    enquiry = enquiry_make(email="Olena@Example.net", phone="+48 600-100-200")
    InternalNote.objects.create(enquiry=enquiry, text="Called back on Monday.")
    by_phone = enquiry_make(email="", phone="600 100 200", name="O.", channel="phone")
    booking = booking_make(
        adviser, starts_at=NOW + timedelta(days=3), email="", phone="(600) 100-200"
    )
    linked = booking_make(
        adviser,
        starts_at=NOW + timedelta(days=4),
        email="other@example.org",
        phone="",
        enquiry=enquiry,
    )
    entry = WaitingListEntry.objects.create(
        week=date(2026, 11, 30), language="uk", name="Olena", email="olena@example.net"
    )
    sent = OutgoingMessage.objects.create(
        message_id="<1@example.invalid>",
        to=["olena@example.net"],
        from_email="info-point@example.invalid",
        subject="Your enquiry",
        text="Dear Olena",
    )
    OutgoingMessage.objects.create(
        message_id="<2@example.invalid>",
        to=["xolena@example.net"],
        from_email="info-point@example.invalid",
        subject="Someone else",
        text="Dear X",
    )
    received = IncomingMessage.objects.create(
        message_id="<3@example.net>", raw=b"Hello", from_address="OLENA@example.net"
    )
    petro = enquiry_make(email="petro@example.net", phone="+48 700 100 200", name="Petro")
    return {
        "enquiry": enquiry,
        "by_phone": by_phone,
        "booking": booking,
        "linked": linked,
        "entry": entry,
        "sent": sent,
        "received": received,
        "petro": petro,
    }


def test_records_are_found_by_email_and_phone(olena: dict[str, object]) -> None:
    by_email = person_records_find(email="olena@example.net")
    assert by_email.enquiries == [olena["enquiry"]]
    # A booking linked to a found enquiry is the person's too.
    assert by_email.bookings == [olena["linked"]]
    assert by_email.waiting_entries == [olena["entry"]]
    assert by_email.outgoing_mail == [olena["sent"]]
    assert by_email.incoming_mail == [olena["received"]]
    by_phone = person_records_find(phone="+48600100200")
    assert by_phone.enquiries == [olena["enquiry"], olena["by_phone"]]
    assert set(by_phone.bookings) == {olena["booking"], olena["linked"]}
    both = person_records_find(email="olena@example.net", phone="600100200")
    assert both.counts() == {
        "enquiries": 2,
        "bookings": 2,
        "waiting_list": 1,
        "outgoing_mail": 1,
        "incoming_mail": 1,
    }
    assert olena["petro"] not in both.enquiries
    assert person_records_find().total == 0
    assert person_records_find(phone="12").total == 0


@pytest.mark.parametrize(
    ("email", "phone", "field"),
    [("", "", None), ("not-an-address", "", "email"), ("", "12-34", "phone")],
)
def test_a_request_needs_a_valid_contact(email: str, phone: str, field: str | None) -> None:
    with pytest.raises(ValidationError) as error:
        dsr_create(kind=RequestKind.ACCESS, email=email, phone=phone)
    if field:
        assert field in error.value.message_dict
    assert not DataSubjectRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_access_request_exports_everything_with_the_consent_text(
    olena: dict[str, object], coordinator: User
) -> None:
    dsr = dsr_create(
        kind=RequestKind.ACCESS, email="olena@example.net", phone="600100200", actor=coordinator
    )
    assert dsr.records_found["enquiries"] == 2
    with pytest.raises(ValidationError):
        dsr_export(dsr=dsr, actor=coordinator)
    dsr_identity_confirm(dsr=dsr, actor=coordinator)
    data = json.loads(export_json(dsr_export(dsr=dsr, actor=coordinator)))
    enquiry = next(row for row in data["enquiries"] if row["email"] == "Olena@Example.net")
    assert enquiry["messages"][0]["text"] == "Як отримати PESEL для дитини?"
    assert enquiry["staff_notes"][0]["text"] == "Called back on Monday."
    assert enquiry["consent"]["version"] == CONSENT_VERSION
    for code in ("en", "uk"):
        with translation.override(code):
            assert enquiry["consent"]["texts"][code] == str(CONSENT_TEXT)
    assert len(data["appointments"]) == 2 and data["emails_sent"][0]["text"] == "Dear Olena"
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.EXPORTED and dsr.handled_by == coordinator
    actions = list(AuditEvent.objects.filter(target_type="privacy.datasubjectrequest"))
    assert {event.action for event in actions} == {
        AuditAction.REQUEST_RECORDED,
        AuditAction.CHANGED,
        AuditAction.EXPORTED,
    }
    # The log names the request, never the person.
    assert "olena" not in json.dumps([event.detail for event in actions]).lower()


def test_erasure_anonymises_every_record_and_keeps_only_a_digest(
    olena: dict[str, object], coordinator: User
) -> None:
    dsr = dsr_create(
        kind=RequestKind.ERASURE,
        email="olena@example.net",
        phone="600100200",
        identity_checked=True,
        actor=coordinator,
    )
    counts = dsr_erase(dsr=dsr, actor=coordinator)
    assert counts["enquiries"] == 2
    assert person_records_find(email="olena@example.net", phone="600100200").total == 0
    enquiry = Enquiry.objects.get(pk=olena["enquiry"].pk)  # type: ignore[attr-defined]
    assert (enquiry.name, enquiry.email, enquiry.phone) == ("", "", "")
    assert list(enquiry.notes.values_list("text", flat=True)) == [""]
    assert Enquiry.objects.get(pk=olena["petro"].pk).email == "petro@example.net"  # type: ignore[attr-defined]
    assert OutgoingMessage.objects.get(to=["xolena@example.net"]).text == "Dear X"
    dsr.refresh_from_db()
    assert (dsr.email, dsr.phone, dsr.status) == ("", "", RequestStatus.ERASED)
    assert dsr.identity_digest == identity_digest(email="olena@example.net", phone="600100200")
    erased = AuditEvent.objects.filter(action=AuditAction.ERASED)
    assert erased.count() == 2 + 2 + 1 + 1 + 1 + 1
    with pytest.raises(ValidationError):
        dsr_erase(dsr=dsr, actor=coordinator)
    with pytest.raises(ValidationError):
        dsr_export(dsr=dsr, actor=coordinator)


@pytest.mark.parametrize(
    ("kind", "identity_checked"),
    [(RequestKind.ERASURE, False), (RequestKind.ACCESS, True)],
)
def test_erasure_is_refused_without_identity_or_for_access(
    olena: dict[str, object], kind: str, identity_checked: bool
) -> None:
    dsr = dsr_create(kind=kind, email="olena@example.net", identity_checked=identity_checked)
    with pytest.raises(ValidationError):
        dsr_erase(dsr=dsr, actor=None)
    assert Enquiry.objects.get(pk=olena["enquiry"].pk).name == "Olena Kowalenko"  # type: ignore[attr-defined]
    assert not AuditEvent.objects.filter(action=AuditAction.ERASED).exists()


def test_a_request_can_be_refused_once_with_a_reason(olena: dict[str, object]) -> None:
    dsr = dsr_create(kind=RequestKind.ERASURE, email="olena@example.net")
    with pytest.raises(ValidationError):
        dsr_refuse(dsr=dsr, reason="bored", actor=None)
    dsr_refuse(dsr=dsr, reason="legal_duty", actor=None)
    assert dsr.status == RequestStatus.REFUSED and dsr.handled_at is not None
    with pytest.raises(ValidationError):
        dsr_refuse(dsr=dsr, reason="identity", actor=None)


def test_the_command_finds_exports_and_erases(olena: dict[str, object], tmp_path: object) -> None:
    out = StringIO()
    call_command("privacy_request", "find", "--email", "olena@example.net", stdout=out)
    assert "enquiries: 1" in out.getvalue()
    target = tmp_path / "olena.json"  # type: ignore[operator]
    call_command(
        "privacy_request",
        "export",
        "--email",
        "olena@example.net",
        "--output",
        str(target),
        stdout=StringIO(),
    )
    assert json.loads(target.read_text())["enquiries"][0]["name"] == "Olena Kowalenko"
    out = StringIO()
    call_command("privacy_request", "erase", "--email", "olena@example.net", stdout=out)
    assert "--yes" in out.getvalue()
    assert Enquiry.objects.get(pk=olena["enquiry"].pk).name == "Olena Kowalenko"  # type: ignore[attr-defined]
    call_command("privacy_request", "erase", "--email", "olena@example.net", "--yes", stdout=out)
    assert Enquiry.objects.get(pk=olena["enquiry"].pk).name == ""  # type: ignore[attr-defined]
    assert DataSubjectRequest.objects.filter(status=RequestStatus.ERASED).count() == 1
    with pytest.raises(CommandError):
        call_command("privacy_request", "find", "--email", "not-an-address")
