"""Permission-checked look-ups of enquiries for staff: views and the API never ``.get()``.

Only desk staff (consultant, coordinator or administrator) may read enquiries. A look-up by
someone else raises PermissionDenied; one of nothing raises Enquiry.DoesNotExist (or
Attachment.DoesNotExist), which views turn into 404. An enquiry on a topic restricted to
named staff (``Topic.restricted_to``, e.g. help for victims of violence) is, for anyone
else, nothing: not found, and never listed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from infopoint.accounts.selectors import user_works_desk
from infopoint.topics.models import Topic

from .models import Attachment, Enquiry


def enquiry_visible_to(user: Any) -> Q:
    """Enquiries ``user`` may see as far as topic restrictions go (superusers see all).

    Not on one of the few topics restricted to others: the subquery does not depend on the
    row, so the database reads it once, not once per enquiry as a correlated ``EXISTS`` would.
    """
    if getattr(user, "is_superuser", False):
        return Q()
    named = Topic.restricted_to.through.objects
    mine = named.filter(user_id=getattr(user, "pk", 0) or 0).values("topic_id")
    kept_out = named.exclude(topic_id__in=mine).values("topic_id")
    return ~Q(topic_id__in=kept_out)


def user_may_see_enquiry(*, user: Any, enquiry: Enquiry) -> bool:
    """Whether ``user`` works the desk and is not kept out by the enquiry's topic."""
    return (
        user_works_desk(user)
        and Enquiry.objects.filter(enquiry_visible_to(user), pk=enquiry.pk).exists()
    )


def staff_check(*, user: Any) -> None:
    """PermissionDenied unless ``user`` works the desk."""
    if not user_works_desk(user):
        raise PermissionDenied


def enquiry_for_staff(*, user: Any, pk: int) -> Enquiry:
    """The enquiry ``pk`` for a member of desk staff, with topic, assignee and merge target."""
    staff_check(user=user)
    return (
        Enquiry.objects.filter(enquiry_visible_to(user))
        .select_related("topic", "assignee", "merged_into", "related_enquiry")
        .get(pk=pk)
    )


def enquiry_for_staff_by_reference(*, user: Any, reference: str) -> Enquiry:
    """The enquiry with reference number ``reference`` (any case), for desk staff."""
    staff_check(user=user)
    return Enquiry.objects.filter(enquiry_visible_to(user)).get(reference__iexact=reference.strip())


def attachment_for_staff(*, user: Any, enquiry: Enquiry, pk: int) -> Attachment:
    """A file of ``enquiry``'s thread; the id of another enquiry's file is not found."""
    staff_check(user=user)
    if not user_may_see_enquiry(user=user, enquiry=enquiry):
        raise Attachment.DoesNotExist
    return Attachment.objects.get(pk=pk, message__enquiry=enquiry)


def enquiry_for_booking(*, user: Any, booking: Any) -> Enquiry | None:
    """The enquiry a booking was made for, for whoever may read that booking.

    The caller has checked the booking (``appointments.access.booking_for_staff``: its adviser
    or staff who see every agenda), so an adviser reads the enquiries of their own
    appointments and no others. None when there is none, or its topic is restricted to others.
    """
    if booking.enquiry_id is None:
        return None
    return (
        Enquiry.objects.filter(enquiry_visible_to(user), pk=booking.enquiry_id)
        .select_related("topic")
        .first()
    )
