"""The one way to write to the audit log: ``audit_record``.

Call it where staff view, change, export or erase personal data; sign-ins and changes of roles
are recorded by the receivers in receivers.py.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.http import HttpRequest

from infopoint.core.ratelimit import client_address

from .models import AuditAction, AuditEvent

IPV4_PREFIX = 24
IPV6_PREFIX = 48
# Detail values must be short machine words; longer text is cut, so free text cannot slip in.
DETAIL_VALUE_MAX = 100

Target = models.Model | tuple[str, object] | None


def ip_network_of(address: str) -> str:
    """The network an address belongs to (IPv4 /24, IPv6 /48): enough to tell offices apart,
    not enough to name a device. Empty for anything that is not an address."""
    text = address.split("/")[0].strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if isinstance(ip, ipaddress.IPv4Address) else IPV6_PREFIX
    return str(ipaddress.ip_network((ip, prefix), strict=False))


def _target_parts(target: Target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    label, pk = target
    return str(label).lower(), str(pk)


def _clean_detail(detail: Mapping[str, Any] | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if isinstance(value, (list, tuple, set)):
            cleaned[str(key)] = sorted(str(item)[:DETAIL_VALUE_MAX] for item in value)
        elif isinstance(value, (bool, int, float)) or value is None:
            cleaned[str(key)] = value
        else:
            cleaned[str(key)] = str(value)[:DETAIL_VALUE_MAX]
    return cleaned


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    target: Target = None,
    detail: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_username: str | None = None,
) -> AuditEvent:
    """Appends one event. ``actor`` is a user, an anonymous user or None (the system).

    ``target`` is a model instance or a pair (model label, pk); only its label and key are
    kept. ``detail`` holds short machine words (field or role names, counts), never names,
    e-mail addresses or free text. With ``request`` its client network is kept, cut short.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    target_type, target_id = _target_parts(target)
    event = AuditEvent(
        actor=user,
        actor_username=actor_username if actor_username is not None else _username(user),
        action=AuditAction(action),
        target_type=target_type,
        target_id=target_id,
        detail=_clean_detail(detail),
        ip_network=ip_network_of(client_address(request)) if request is not None else "",
    )
    event.save()
    return event


def audit_record_many(
    *,
    actor: Any,
    action: AuditAction | str,
    targets: Iterable[Target],
    detail: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> int:
    """Appends one event per target, all alike, in one insert (the retention run's thousands)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    common = {
        "actor": user,
        "actor_username": _username(user),
        "action": AuditAction(action),
        "detail": _clean_detail(detail),
        "ip_network": ip_network_of(client_address(request)) if request is not None else "",
    }
    events = [
        AuditEvent(target_type=target_type, target_id=target_id, **common)
        for target_type, target_id in map(_target_parts, targets)
    ]
    return len(AuditEvent.objects.bulk_create(events))


def _username(user: Any) -> str:
    return str(user.get_username()) if user is not None else ""
