"""The admin shows the audit log, consent texts and requests read-only, even to superusers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.privacy.audit import audit_record
from infopoint.privacy.consent import consent_texts_record
from infopoint.privacy.models import AuditAction, AuditEvent, ConsentText

pytestmark = pytest.mark.django_db


def admin_url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"admin:{name}", args=args or None)


@pytest.fixture
def superuser_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", password="a long secret 42"))
    return client


def test_audit_events_are_listed_but_cannot_be_changed_or_deleted(
    superuser_client: Client,
) -> None:
    event = audit_record(actor=None, action=AuditAction.ANONYMISED, target=("x.y", 1))
    assert superuser_client.get(admin_url("privacy_auditevent_changelist")).status_code == 200
    page = superuser_client.get(admin_url("privacy_auditevent_change", event.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    deleted = superuser_client.post(
        admin_url("privacy_auditevent_delete", event.pk), {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert superuser_client.get(admin_url("privacy_auditevent_add")).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.ANONYMISED).exists()


def test_consent_texts_and_requests_are_read_only(superuser_client: Client) -> None:
    consent_texts_record()
    consent = ConsentText.objects.first()
    assert consent is not None
    page = superuser_client.get(admin_url("privacy_consenttext_change", consent.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert superuser_client.get(admin_url("privacy_datasubjectrequest_add")).status_code == 403
    listing = superuser_client.get(admin_url("privacy_datasubjectrequest_changelist"))
    assert listing.status_code == 200
