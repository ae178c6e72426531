from datetime import date

import pytest
from django.core.exceptions import ValidationError

from infopoint.directory.services import institution_upsert
from infopoint.topics.tests.factories import TopicFactory

BASE = {
    "slug": "office",
    "kind": "public-office",
    "position": 10,
    "source_url": "https://example.org/office",
    "reviewed_on": date(2026, 11, 24),
    "translations": {"en": {"name": "Office", "description": "", "rooms": "", "hours_note": ""}},
}


def test_creates_then_leaves_unchanged(db):
    TopicFactory(slug="legal-stay")

    institution, created = institution_upsert(**BASE, phones=["12 345"], topic_slugs=["legal-stay"])
    _same, changed = institution_upsert(**BASE, phones=["12 345"], topic_slugs=["legal-stay"])

    assert created
    assert not changed
    assert list(institution.topics.values_list("slug", flat=True)) == ["legal-stay"]


def test_topics_become_exactly_the_given_ones(db):
    TopicFactory(slug="work")
    TopicFactory(slug="health")
    institution_upsert(**BASE, topic_slugs=["work"])

    institution, changed = institution_upsert(**BASE, topic_slugs=["health"])

    assert changed
    assert list(institution.topics.values_list("slug", flat=True)) == ["health"]


def test_unknown_topic_is_refused(db):
    with pytest.raises(ValidationError):
        institution_upsert(**BASE, topic_slugs=["nothing"])


def test_invalid_email_is_refused(db):
    with pytest.raises(ValidationError):
        institution_upsert(**BASE, email="not an address")
