"""The audit log: append-only, little personal data, sign-ins and role changes recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from infopoint.accounts.models import Role, SignInAttempt, User
from infopoint.accounts.services import user_roles_set
from infopoint.privacy.audit import audit_record, ip_network_of
from infopoint.privacy.context import AuditRequestMiddleware
from infopoint.privacy.models import AppendOnlyError, AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    user = User.objects.create_user(username="olena", password="a long secret 123", is_staff=True)
    return user


def test_record_keeps_label_key_and_network_only(user: User) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.77")
    event = audit_record(
        actor=user,
        action=AuditAction.VIEWED,
        target=user,
        detail={"fields": ["email", "phone"], "count": 2},
        request=request,
    )
    event.refresh_from_db()
    assert event.actor == user
    assert event.actor_username == "olena"
    assert (event.target_type, event.target_id) == ("accounts.user", str(user.pk))
    assert event.ip_network == "203.0.113.0/24"
    assert event.detail == {"count": 2, "fields": ["email", "phone"]}


def test_record_cuts_long_detail_values(user: User) -> None:
    event = audit_record(actor=user, action="changed", detail={"note": "x" * 500})
    assert len(event.detail["note"]) == 100


def test_record_refuses_an_unknown_action(user: User) -> None:
    with pytest.raises(ValueError):
        audit_record(actor=user, action="stolen")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("198.51.100.200", "198.51.100.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("2001:db8:1234:5678::/64", "2001:db8:1234::/48"),
        ("::ffff:192.0.2.9", "192.0.2.0/24"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_ip_network_of(address: str, network: str) -> None:
    assert ip_network_of(address) == network


def test_events_cannot_be_changed_or_deleted_through_the_orm(user: User) -> None:
    event = audit_record(actor=user, action=AuditAction.VIEWED)
    event.action = AuditAction.ERASED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="erased")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == AuditAction.VIEWED


def test_the_database_refuses_an_update(user: User) -> None:
    event = audit_record(actor=user, action=AuditAction.VIEWED)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE privacy_auditevent SET action = %s WHERE id = %s", ["erased", event.pk]
        )
    assert AuditEvent.objects.get().action == AuditAction.VIEWED


def test_the_database_refuses_a_delete_on_postgresql(user: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite guards updates only (Django empties tables with DELETE)")
    audit_record(actor=user, action=AuditAction.VIEWED)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditevent")
    assert AuditEvent.objects.count() == 1


def test_deleting_a_staff_account_keeps_its_events_and_name(user: User) -> None:
    audit_record(actor=user, action=AuditAction.VIEWED)
    user.delete()
    event = AuditEvent.objects.get(action=AuditAction.VIEWED)
    assert event.actor is None
    assert event.actor_username == "olena"


def test_sign_in_sign_out_and_failed_sign_in_are_recorded(user: User) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.15")
    assert authenticate(request, username="olena", password="wrong") is None
    assert authenticate(request, username="my secret password", password="wrong") is None
    client = Client()
    assert client.login(username="olena", password="a long secret 123")
    client.logout()
    events = list(AuditEvent.objects.order_by("pk"))
    assert [event.action for event in events] == [
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGNED_IN,
        AuditAction.SIGNED_OUT,
    ]
    known, unknown, signed_in, signed_out = events
    assert known.actor is None and known.target_id == str(user.pk)
    assert known.detail == {"account_exists": True}
    assert known.ip_network == "192.0.2.0/24"
    # What was typed as a user name is never kept.
    assert unknown.target_id == "" and unknown.actor_username == ""
    assert unknown.detail == {"account_exists": False}
    assert signed_in.actor == user and signed_out.actor == user


def test_role_changes_through_the_roles_service_are_recorded(user: User) -> None:
    user_roles_set(user=user, roles=[Role.CONSULTANT])
    user_roles_set(user=user, roles=[Role.COORDINATOR])
    details = [
        event.detail
        for event in AuditEvent.objects.filter(action=AuditAction.PERMISSIONS_CHANGED).order_by(
            "pk"
        )
    ]
    assert {"groups_added": ["consultant"]} in details
    assert {"groups_removed": ["consultant"]} in details
    assert {"groups_added": ["coordinator"]} in details


def test_group_changes_from_either_side_and_flags_are_recorded(user: User) -> None:
    group = Group.objects.create(name="consultant")
    group.user_set.add(user)
    user.groups.clear()
    permission = Permission.objects.get(codename="view_auditevent")
    user.user_permissions.add(permission)
    group.permissions.add(permission)
    user.is_superuser = True
    user.save()
    events = AuditEvent.objects.filter(action=AuditAction.PERMISSIONS_CHANGED).order_by("pk")
    assert [event.detail for event in events] == [
        {"groups_added": ["consultant"]},
        {"groups_removed": ["consultant"]},
        {"user_permissions_added": ["view_auditevent"]},
        {"permissions_added": ["view_auditevent"]},
        {"is_superuser": True},
    ]
    assert events[3].target_type == "auth.group"


def test_a_change_made_while_serving_a_request_names_its_actor(user: User) -> None:
    boss = User.objects.create_superuser(username="boss", password="another long secret 1")
    request = RequestFactory().post("/", REMOTE_ADDR="2001:db8:aa:bb::5")
    request.user = boss

    def view(request: object) -> HttpResponse:
        user_roles_set(user=user, roles=[Role.ADVISER])
        return HttpResponse()

    AuditRequestMiddleware(view)(request)  # type: ignore[arg-type]
    event = AuditEvent.objects.get(detail={"groups_added": ["adviser"]})
    assert event.actor == boss
    assert event.ip_network == "2001:db8:aa::/48"
    # Outside a request the system did it.
    user_roles_set(user=user, roles=[])
    assert AuditEvent.objects.get(detail={"groups_removed": ["adviser"]}).actor is None


@pytest.mark.parametrize("outcome", ["bad-code", "bad-recovery-code", "locked"])
def test_refusals_after_the_password_are_recorded(user: User, outcome: str) -> None:
    SignInAttempt.objects.create(
        at=timezone.now(), username="olena", user=user, address="192.0.2.0/24", outcome=outcome
    )
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.detail == {"reason": outcome, "account_exists": True}
    assert event.target_id == str(user.pk)


def test_a_wrong_password_attempt_row_is_not_recorded_twice(user: User) -> None:
    SignInAttempt.objects.create(
        at=timezone.now(), username="olena", user=user, address="", outcome="bad-password"
    )
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


def test_the_staff_sign_in_page_records_each_try_once(user: User) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    with translation.override("en"):
        sign_in = reverse("accounts:sign_in")
    refused = client.post(sign_in, {"username": "olena", "password": "wrong"})
    assert refused.status_code in (400, 403)
    signed_in = client.post(sign_in, {"username": "olena", "password": "a long secret 123"})
    assert signed_in.status_code == 302
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "ip_network"))
    assert actions == [
        (AuditAction.SIGN_IN_FAILED, "198.51.100.0/24"),
        (AuditAction.SIGNED_IN, "198.51.100.0/24"),
    ]
