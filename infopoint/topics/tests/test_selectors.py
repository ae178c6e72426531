import pytest

from infopoint.directory.tests.factories import (
    InstitutionFactory,
    InstitutionTranslationFactory,
)
from infopoint.topics.models import Topic
from infopoint.topics.selectors import topic_get, topic_list
from infopoint.topics.tests.factories import TopicFactory, TopicTranslationFactory


@pytest.fixture
def topics(db):
    topics = [TopicFactory(slug=slug, position=index) for index, slug in enumerate(["b", "a", "c"])]
    for topic in topics:
        for language in ("pl", "en"):
            TopicTranslationFactory(topic=topic, language=language)
    return topics


def test_topic_list_in_position_order_in_two_queries(topics, django_assert_num_queries):
    with django_assert_num_queries(2):
        listed = list(topic_list())
        names = [topic.translation("en").name for topic in listed]

    assert [topic.slug for topic in listed] == ["b", "a", "c"]
    assert all(names)


def test_topic_get_fetches_institutions_with_their_translations(topics, django_assert_num_queries):
    topic = topics[0]
    for slug in ("x", "y"):
        institution = InstitutionFactory(slug=slug)
        institution.topics.add(topic)
        InstitutionTranslationFactory(institution=institution, language="en")

    with django_assert_num_queries(4):
        found = topic_get(slug="b")
        names = [institution.translation("en").name for institution in found.institutions.all()]
        found.translation("pl")

    assert len(names) == 2


def test_topic_get_raises_for_an_unknown_slug(db):
    with pytest.raises(Topic.DoesNotExist):
        topic_get(slug="nothing")
