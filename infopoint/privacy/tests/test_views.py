"""The coordinator's privacy pages, for every role, with good and bad input."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.accounts.models import Role, User
from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import (
    AuditAction,
    AuditEvent,
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
)
from infopoint.privacy.services import dsr_create

from .conftest import client_for, staff

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(f"privacy:{name}", kwargs=kwargs or None)


@pytest.fixture
def dsr() -> DataSubjectRequest:
    enquiry_make(email="olena@example.net")
    return dsr_create(kind=RequestKind.ERASURE, email="olena@example.net", identity_checked=True)


PAGES = [
    ("audit_log", "get", {}),
    ("requests", "get", {}),
    ("request_new", "get", {}),
    ("request", "get", {"pk": True}),
    ("request_erase", "get", {"pk": True}),
    ("request_export", "post", {"pk": True}),
    ("request_refuse", "post", {"pk": True}),
    ("request_identity", "post", {"pk": True}),
]


@pytest.mark.parametrize(("name", "method", "kwargs"), PAGES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (None, 302),
        ("none", 403),
        (Role.CONSULTANT, 403),
        (Role.ADVISER, 403),
        (Role.COORDINATOR, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_only_coordinators_and_administrators_open_the_pages(
    dsr: DataSubjectRequest,
    name: str,
    method: str,
    kwargs: dict[str, object],
    role: str | None,
    expected: int,
) -> None:
    user = None if role is None else staff(None if role == "none" else role, f"user-{role}")
    client = client_for(user)
    target = url(name, **({"pk": dsr.pk} if kwargs else {}))
    data = {"format": "json"} if name == "request_export" else {}
    if name == "request_refuse":
        data = {"reason": "identity"}
    if name == "request_identity":
        data = {"confirm": "on"}
    response = getattr(client, method)(target, data)
    if expected == 200 and name in ("request_refuse", "request_identity"):
        expected = 302
    assert response.status_code == expected, (name, role)
    if role is None:
        assert "sign-in" in response["Location"] or "login" in response["Location"]
    if expected == 403:
        assert not AuditEvent.objects.filter(
            action__in=[AuditAction.EXPORTED, AuditAction.SEARCHED]
        ).exists()
        assert DataSubjectRequest.objects.get(pk=dsr.pk).is_open


def test_the_audit_log_is_searched_by_actor_action_record_and_dates(coordinator: User) -> None:
    other = staff(Role.CONSULTANT, "olena")
    enquiry = enquiry_make()
    audit_record(actor=other, action=AuditAction.VIEWED, target=enquiry)
    audit_record(actor=other, action=AuditAction.CHANGED, target=enquiry)
    audit_record(actor=coordinator, action=AuditAction.VIEWED, target=("enquiries.enquiry", 999))
    client = client_for(coordinator)
    response = client.get(
        url("audit_log"),
        {"actor": "olena", "action": "viewed", "target_type": "enquiries.enquiry"},
    )
    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [(event.actor_username, event.action) for event in events] == [("olena", "viewed")]
    response = client.get(url("audit_log"), {"target_id": "999", "since": "2000-01-01"})
    assert [event.target_id for event in response.context["page"].object_list] == ["999"]
    response = client.get(url("audit_log"), {"until": "2000-01-01"})
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "query",
    [
        {"since": "yesterday"},
        {"action": "stolen"},
        {"since": "2026-11-24", "until": "2026-11-01"},
        {"target_type": "nope.nope"},
    ],
)
def test_bad_audit_filters_get_a_message_and_400(coordinator: User, query: dict[str, str]) -> None:
    response = client_for(coordinator).get(url("audit_log"), query)
    assert response.status_code == 400
    assert gettext("There is a problem") in response.content.decode()


def test_the_audit_log_is_paginated(coordinator: User) -> None:
    for _ in range(55):
        audit_record(actor=coordinator, action=AuditAction.VIEWED)
    client = client_for(coordinator)
    first = client.get(url("audit_log"), {"action": "viewed"})
    assert len(first.context["page"].object_list) == 50
    second = client.get(url("audit_log"), {"action": "viewed", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(url("audit_log"), {"page": "x"}).status_code == 200


def test_a_request_is_recorded_and_shows_the_records(coordinator: User) -> None:
    enquiry = enquiry_make(email="olena@example.net")
    client = client_for(coordinator)
    response = client.post(
        url("request_new"),
        {"kind": "access", "email": "olena@example.net", "phone": ""},
    )
    dsr = DataSubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == url("request", pk=dsr.pk)
    page = client.get(response["Location"])
    assert enquiry.reference in page.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SEARCHED, target_id=str(dsr.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "access", "email": "", "phone": ""}, None),
        ({"kind": "access", "email": "olena@", "phone": ""}, "email"),
        ({"kind": "access", "email": "", "phone": "12"}, "phone"),
        ({"kind": "burn", "email": "olena@example.net"}, "kind"),
        ({}, "kind"),
    ],
)
def test_a_bad_request_form_gets_a_message_and_400(
    coordinator: User, data: dict[str, str], field: str | None
) -> None:
    response = client_for(coordinator).post(url("request_new"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    assert not DataSubjectRequest.objects.exists()


def test_exports_download_json_and_html(coordinator: User, dsr: DataSubjectRequest) -> None:
    client = client_for(coordinator)
    response = client.post(url("request_export", pk=dsr.pk), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{dsr.reference}.json"'
    assert json.loads(response.content)["enquiries"][0]["email"] == "olena@example.net"
    response = client.post(url("request_export", pk=dsr.pk), {"format": "html"})
    assert response["Content-Type"].startswith("text/html")
    assert "olena@example.net" in response.content.decode()
    assert "<script" not in response.content.decode()
    assert client.post(url("request_export", pk=dsr.pk), {"format": "pdf"}).status_code == 400
    assert client.get(url("request_export", pk=dsr.pk)).status_code == 405
    exported = AuditEvent.objects.filter(action=AuditAction.EXPORTED, target_id=str(dsr.pk))
    assert exported.count() == 2


def test_free_text_is_shown_inert_in_the_html_export(coordinator: User) -> None:
    enquiry_make(email="x@example.net", text="<script>alert(1)</script> help")
    dsr = dsr_create(kind=RequestKind.ACCESS, email="x@example.net", identity_checked=True)
    response = client_for(coordinator).post(url("request_export", pk=dsr.pk), {"format": "html"})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_erasure_needs_the_confirmation(coordinator: User, dsr: DataSubjectRequest) -> None:
    client = client_for(coordinator)
    page = client.get(url("request_erase", pk=dsr.pk))
    assert page.status_code == 200
    refused = client.post(url("request_erase", pk=dsr.pk), {})
    assert refused.status_code == 400
    assert Enquiry.objects.get().email == "olena@example.net"
    done = client.post(url("request_erase", pk=dsr.pk), {"confirm": "on"})
    assert done.status_code == 302
    assert Enquiry.objects.get().email == ""
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.ERASED and dsr.handled_by == coordinator
    # A second erasure is refused with a message, and the export has nothing to give.
    again = client.post(url("request_erase", pk=dsr.pk), {"confirm": "on"})
    assert again.status_code == 400
    export = client.post(url("request_export", pk=dsr.pk), {"format": "json"})
    assert export.status_code == 400


def test_erasure_without_a_checked_identity_is_refused(coordinator: User) -> None:
    enquiry_make(email="olena@example.net")
    dsr = dsr_create(kind=RequestKind.ERASURE, email="olena@example.net")
    response = client_for(coordinator).post(url("request_erase", pk=dsr.pk), {"confirm": "on"})
    assert response.status_code == 400
    assert Enquiry.objects.get().email == "olena@example.net"


def test_refusing_needs_a_reason(coordinator: User, dsr: DataSubjectRequest) -> None:
    client = client_for(coordinator)
    assert client.post(url("request_refuse", pk=dsr.pk), {"reason": "no"}).status_code == 400
    assert client.post(url("request_refuse", pk=dsr.pk), {"reason": "identity"}).status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == RequestStatus.REFUSED and dsr.refusal_reason == "identity"


def test_an_unknown_request_is_not_found(coordinator: User) -> None:
    client = client_for(coordinator)
    assert client.get(url("request", pk=999)).status_code == 404
    assert client.post(url("request_export", pk=999), {"format": "json"}).status_code == 404


@pytest.mark.parametrize("language", ["pl", "uk", "ru", "en"])
def test_the_pages_speak_every_language(coordinator: User, language: str) -> None:
    response = client_for(coordinator).get(url("requests", language=language))
    with translation.override(language):
        assert gettext("Data subject requests") in response.content.decode()


def test_a_copy_needs_the_identity_checked_first(coordinator: User) -> None:
    enquiry_make(email="olena@example.net")
    dsr = dsr_create(kind=RequestKind.ACCESS, email="olena@example.net")
    client = client_for(coordinator)
    page = client.get(url("request", pk=dsr.pk)).content.decode()
    assert url("request_export", pk=dsr.pk) not in page
    refused = client.post(url("request_export", pk=dsr.pk), {"format": "json"})
    assert refused.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()
    unticked = client.post(url("request_identity", pk=dsr.pk), {})
    assert unticked.status_code == 400
    assert client.post(url("request_identity", pk=dsr.pk), {"confirm": "on"}).status_code == 302
    dsr.refresh_from_db()
    assert dsr.identity_checked
    page = client.get(url("request", pk=dsr.pk)).content.decode()
    assert url("request_export", pk=dsr.pk) in page
    assert client.post(url("request_export", pk=dsr.pk), {"format": "json"}).status_code == 200
