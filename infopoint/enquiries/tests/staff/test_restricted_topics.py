"""Enquiries on a topic restricted to named staff are, for anyone else, not there."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from infopoint.accounts.models import User
from infopoint.enquiries.access import (
    attachment_for_staff,
    enquiry_for_staff,
    enquiry_for_staff_by_reference,
)
from infopoint.enquiries.inbox import InboxFilters, enquiry_assign, enquiry_inbox
from infopoint.enquiries.models import Attachment, Enquiry
from infopoint.enquiries.tests.factories import desk_user, enquiry_make, pdf_file
from infopoint.topics.models import Topic

from .conftest import staff_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(db: None) -> User:
    return desk_user("consultant", username="trained", first_name="Teresa")


@pytest.fixture
def sensitive(now: object, named: User) -> Enquiry:
    topic = Topic.objects.create(slug="discrimination-violence")
    topic.restricted_to.add(named)
    return enquiry_make(topic=topic, attachments=[pdf_file()])


def test_named_staff_see_the_enquiry_others_find_nothing(
    sensitive: Enquiry, named: User, consultant: User
) -> None:
    assert enquiry_for_staff(user=named, pk=sensitive.pk) == sensitive
    assert list(enquiry_inbox(filters=InboxFilters(), user=named)) == [sensitive]

    with pytest.raises(Enquiry.DoesNotExist):
        enquiry_for_staff(user=consultant, pk=sensitive.pk)
    with pytest.raises(Enquiry.DoesNotExist):
        enquiry_for_staff_by_reference(user=consultant, reference=sensitive.reference)
    attachment = Attachment.objects.get(message__enquiry=sensitive)
    with pytest.raises(Attachment.DoesNotExist):
        attachment_for_staff(user=consultant, enquiry=sensitive, pk=attachment.pk)
    assert list(enquiry_inbox(filters=InboxFilters(q=sensitive.reference), user=consultant)) == []


def test_unrestricted_topics_stay_open_to_every_consultant(
    now: object, consultant: User, named: User
) -> None:
    topic = Topic.objects.create(slug="housing")
    enquiry = enquiry_make(topic=topic)
    without_topic = enquiry_make()
    seen = set(enquiry_inbox(filters=InboxFilters(), user=consultant))
    assert {enquiry, without_topic} <= seen


def test_the_pages_answer_404_to_staff_not_named(sensitive: Enquiry, consultant: User) -> None:
    client = Client()
    client.force_login(consultant)
    assert client.get(staff_url("detail", pk=sensitive.pk)).status_code == 404
    inbox = client.get(staff_url("inbox")).content.decode()
    assert sensitive.reference not in inbox


def test_a_restricted_enquiry_cannot_be_assigned_to_someone_not_named(
    sensitive: Enquiry, named: User, consultant: User
) -> None:
    with pytest.raises(ValidationError) as error:
        enquiry_assign(enquiry=sensitive, assignee=consultant, author=named)
    assert error.value.code == "restricted"
    sensitive.refresh_from_db()
    assert sensitive.assignee is None
    enquiry_assign(enquiry=sensitive, assignee=named, author=named)
    sensitive.refresh_from_db()
    assert sensitive.assignee == named
