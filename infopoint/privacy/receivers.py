"""Sign-ins, sign-outs and changes of roles and permissions go to the audit log from here.

Connected in PrivacyConfig.ready. Changes of groups go through m2m_changed, so the roles
service of accounts (``user_roles_set``), the admin and the shell are all recorded.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from infopoint.accounts.models import SignInAttempt, SignInOutcome

from .audit import audit_record
from .context import current_request
from .models import AuditAction

User = get_user_model()
# Flags on the account that change what it may do.
ACCESS_FLAGS = ("is_active", "is_staff", "is_superuser")


@receiver(user_logged_in, dispatch_uid="privacy_signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.SIGNED_IN, request=request)


@receiver(user_logged_out, dispatch_uid="privacy_signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.SIGNED_OUT, request=request)


@receiver(user_login_failed, dispatch_uid="privacy_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # What was typed as a user name may be a password or an e-mail: keep only the account it
    # names, if there is one.
    username = str(credentials.get("username") or "")
    account = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        target=account,
        detail={"account_exists": account is not None},
        request=request or current_request(),
    )


# Refusals the accounts app decides itself, after or without a password check: a wrong
# password already came through user_login_failed.
SECOND_STEP_FAILURES = (
    SignInOutcome.BAD_CODE,
    SignInOutcome.BAD_RECOVERY_CODE,
    SignInOutcome.LOCKED,
)


@receiver(post_save, sender=SignInAttempt, dispatch_uid="privacy_sign_in_refused")
def _sign_in_refused(sender: Any, instance: SignInAttempt, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or instance.outcome not in SECOND_STEP_FAILURES:
        return
    audit_record(
        actor=None,
        action=AuditAction.SIGN_IN_FAILED,
        target=(User._meta.label_lower, instance.user_id) if instance.user_id else None,
        detail={"reason": instance.outcome, "account_exists": instance.user_id is not None},
        request=current_request(),
    )


def _actor() -> tuple[Any, HttpRequest | None]:
    request = current_request()
    return (getattr(request, "user", None), request)


def _record_permissions(*, user_pk: Any, detail: dict[str, Any]) -> None:
    actor, request = _actor()
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSIONS_CHANGED,
        target=(User._meta.label_lower, user_pk),
        detail=detail,
        request=request,
    )


def _names(model: type[Group] | type[Permission], pks: set[Any]) -> list[str]:
    if model is Group:
        return list(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return list(Permission.objects.filter(pk__in=pks).values_list("codename", flat=True))


def _m2m(
    *,
    kind: str,
    model: type[Group] | type[Permission],
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
) -> None:
    # Removals are read before they happen: ``remove()`` names rows the account may not have.
    if action not in ("post_add", "pre_remove", "pre_clear"):
        return
    verb = "added" if action == "post_add" else "removed"
    if not reverse:
        if action != "post_add":
            held = getattr(instance, kind).values_list("pk", flat=True)
            pk_set = set(held if pk_set is None else held.filter(pk__in=pk_set))
        if pk_set:
            _record_permissions(
                user_pk=instance.pk, detail={f"{kind}_{verb}": _names(model, pk_set)}
            )
        return
    # From the other side (group.user_set.add(...)): one event per account.
    if action != "post_add":
        members = instance.user_set.values_list("pk", flat=True)
        pk_set = set(members if pk_set is None else members.filter(pk__in=pk_set))
    name = _names(model, {instance.pk})
    for user_pk in sorted(pk_set or ()):
        _record_permissions(user_pk=user_pk, detail={f"{kind}_{verb}": name})


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="privacy_groups_changed")
def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    _m2m(
        kind="groups", model=Group, instance=instance, action=action, reverse=reverse, pk_set=pk_set
    )


@receiver(
    m2m_changed, sender=User.user_permissions.through, dispatch_uid="privacy_permissions_changed"
)
def _permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    _m2m(
        kind="user_permissions",
        model=Permission,
        instance=instance,
        action=action,
        reverse=reverse,
        pk_set=pk_set,
    )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="privacy_role_changed")
def _role_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[Any] | None, **kwargs: Any
) -> None:
    """A role's permissions changed: recorded against the group, for everyone in it."""
    if reverse or action not in ("post_add", "pre_remove") or not pk_set:
        return
    if action == "pre_remove":
        pk_set = set(instance.permissions.filter(pk__in=pk_set).values_list("pk", flat=True))
        if not pk_set:
            return
    actor, request = _actor()
    verb = "added" if action == "post_add" else "removed"
    audit_record(
        actor=actor,
        action=AuditAction.PERMISSIONS_CHANGED,
        target=instance,
        detail={f"permissions_{verb}": _names(Permission, pk_set)},
        request=request,
    )


@receiver(pre_save, sender=User, dispatch_uid="privacy_access_flags_changed")
def _access_flags_changed(
    sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.pk is None or kwargs.get("raw"):
        return
    fields = [flag for flag in ACCESS_FLAGS if update_fields is None or flag in update_fields]
    if not fields:
        return
    before = User._default_manager.filter(pk=instance.pk).values(*fields).first()
    if before is None:
        return
    changed = {
        flag: getattr(instance, flag) for flag in fields if before[flag] != getattr(instance, flag)
    }
    if changed:
        _record_permissions(user_pk=instance.pk, detail=changed)
