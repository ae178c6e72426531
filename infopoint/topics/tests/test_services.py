from django.db import connection
from django.test.utils import CaptureQueriesContext

from infopoint.topics.models import Topic
from infopoint.topics.services import topic_upsert

TEXTS = {
    "pl": {"name": "Zdrowie", "description": "Opis."},
    "en": {"name": "Health", "description": "About."},
}


def test_creates_a_topic_with_its_translations(db):
    topic, changed = topic_upsert(slug="health", position=20, translations=TEXTS)

    assert changed
    assert topic.position == 20
    assert topic.translation("pl").name == "Zdrowie"
    assert topic.available_languages() == ["en", "pl"]


def test_same_values_change_nothing(db):
    topic_upsert(slug="health", position=20, translations=TEXTS)

    with CaptureQueriesContext(connection) as context:
        _topic, changed = topic_upsert(slug="health", position=20, translations=TEXTS)

    assert not changed
    statements = [query["sql"].split()[0].upper() for query in context.captured_queries]
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements)


def test_updates_position_and_one_language_leaving_others(db):
    topic, _ = topic_upsert(slug="health", position=20, translations=TEXTS)

    topic, changed = topic_upsert(
        slug="health", position=30, translations={"en": {"name": "Health care"}}
    )

    assert changed
    topic = Topic.objects.get(slug="health")
    assert topic.position == 30
    assert topic.translation("en").name == "Health care"
    assert topic.translation("en").description == "About."
    assert topic.translation("pl").name == "Zdrowie"


def test_answer_time_set_by_the_coordinator_is_kept(db):
    topic, _ = topic_upsert(slug="health", position=20, translations=TEXTS)
    Topic.objects.filter(pk=topic.pk).update(answer_within_days=5)

    topic_upsert(slug="health", position=20, translations=TEXTS)

    assert Topic.objects.get(pk=topic.pk).answer_within_days == 5
