"""Permission-checked look-ups for staff: advisers see their own agenda, coordinators all.

Views and the API never ``.get()`` a booking themselves. A look-up by someone without the
right raises PermissionDenied; one of nothing raises Booking.DoesNotExist (views: 404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from infopoint.accounts.models import DESK_ROLES, Role
from infopoint.accounts.selectors import user_has_role

from .models import Adviser, Booking
from .selectors import booking_with_details

# Who sees every adviser's agenda and records outcomes for any of them.
ALL_AGENDAS_ROLES: tuple[str, ...] = (Role.COORDINATOR, Role.ADMINISTRATOR)
# Who may book for someone who phoned, wrote or came in.
BOOKING_ROLES: tuple[str, ...] = (*DESK_ROLES, Role.ADVISER)


def sees_all_agendas(user: Any) -> bool:
    return user_has_role(user, ALL_AGENDAS_ROLES)


def agenda_check(*, user: Any) -> None:
    """PermissionDenied unless ``user`` is an adviser or sees every agenda."""
    if not (sees_all_agendas(user) or user_has_role(user, [Role.ADVISER])):
        raise PermissionDenied


def booking_staff_check(*, user: Any) -> None:
    """PermissionDenied unless ``user`` may book appointments for callers."""
    if not user_has_role(user, BOOKING_ROLES):
        raise PermissionDenied


def advisers_for_agenda(*, user: Any) -> list[Adviser]:
    """The advisers whose agenda ``user`` may read: all for coordinators, else their own."""
    agenda_check(user=user)
    advisers = Adviser.objects.select_related("user").order_by(
        "user__first_name", "user__last_name", "user__username"
    )
    if sees_all_agendas(user):
        return list(advisers)
    return list(advisers.filter(user=user))


def booking_for_staff(*, user: Any, pk: int) -> Booking:
    """A booking for its adviser or a coordinator; another adviser's is not found."""
    agenda_check(user=user)
    bookings = booking_with_details()
    if not sees_all_agendas(user):
        bookings = bookings.filter(adviser__user=user)
    return bookings.get(pk=pk)


def outcome_check(*, user: Any, booking: Booking) -> None:
    """PermissionDenied unless ``user`` is the booking's adviser or sees every agenda."""
    if sees_all_agendas(user):
        return
    if user_has_role(user, [Role.ADVISER]) and booking.adviser.user_id == user.pk:
        return
    raise PermissionDenied
