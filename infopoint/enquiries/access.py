"""Permission-checked look-ups of enquiries for staff: views and the API never ``.get()``.

Only desk staff (consultant, coordinator or administrator) may read enquiries. A look-up by
someone else raises PermissionDenied; one of nothing raises Enquiry.DoesNotExist (or
Attachment.DoesNotExist), which views turn into 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from infopoint.accounts.selectors import user_works_desk

from .models import Attachment, Enquiry


def staff_check(*, user: Any) -> None:
    """PermissionDenied unless ``user`` works the desk."""
    if not user_works_desk(user):
        raise PermissionDenied


def enquiry_for_staff(*, user: Any, pk: int) -> Enquiry:
    """The enquiry ``pk`` for a member of desk staff, with topic, assignee and merge target."""
    staff_check(user=user)
    return Enquiry.objects.select_related(
        "topic", "assignee", "merged_into", "related_enquiry"
    ).get(pk=pk)


def enquiry_for_staff_by_reference(*, user: Any, reference: str) -> Enquiry:
    """The enquiry with reference number ``reference`` (any case), for desk staff."""
    staff_check(user=user)
    return Enquiry.objects.get(reference__iexact=reference.strip())


def attachment_for_staff(*, user: Any, enquiry: Enquiry, pk: int) -> Attachment:
    """A file of ``enquiry``'s thread; the id of another enquiry's file is not found."""
    staff_check(user=user)
    return Attachment.objects.get(pk=pk, message__enquiry=enquiry)
