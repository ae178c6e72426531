from django.conf import settings

from infopoint.core.content import read_content_file
from infopoint.topics.defaults import topics_default_content_load
from infopoint.topics.models import Topic, TopicTranslation

SEED_ORDER = [
    "education",
    "health",
    "culture",
    "work",
    "civil-registry",
    "social-welfare",
    "disability",
    "discrimination-violence",
    "housing",
    "courses",
    "legal-stay",
    "migrant-organisations",
    "other",
]


def test_loads_the_thirteen_topics_of_the_seed_in_its_order(db):
    assert topics_default_content_load() == 13

    assert list(Topic.objects.values_list("slug", flat=True)) == SEED_ORDER


def test_second_run_changes_nothing(db):
    topics_default_content_load()
    before = list(TopicTranslation.objects.values_list("pk", "language", "name", "description"))

    assert topics_default_content_load() == 0
    assert Topic.objects.count() == 13
    after = list(TopicTranslation.objects.values_list("pk", "language", "name", "description"))
    assert after == before


def test_every_topic_has_every_offered_language(db):
    topics_default_content_load()

    for topic in Topic.objects.prefetch_related("translations"):
        assert topic.available_languages() == sorted(code for code, _ in settings.LANGUAGES)
        for translation in topic.translations.all():
            assert translation.name.strip()
            assert translation.description.strip()


def test_restores_a_changed_text_and_counts_it(db):
    topics_default_content_load()
    translation = TopicTranslation.objects.get(topic__slug="health", language="en")
    translation.name = "Changed"
    translation.save()

    assert topics_default_content_load() == 1
    translation.refresh_from_db()
    assert translation.name == "Health care"


def test_languages_the_site_does_not_offer_are_skipped(db, settings):
    settings.LANGUAGES = [("pl", "polski"), ("en", "English")]

    topics_default_content_load()

    assert set(TopicTranslation.objects.values_list("language", flat=True)) == {"pl", "en"}


def test_topic_names_are_short_and_descriptions_one_or_two_sentences():
    for entry in read_content_file("topics.toml")["topics"]:
        for language, fields in entry["translations"].items():
            assert len(fields["name"]) <= 60, (entry["slug"], language)
            sentences = fields["description"].rstrip(".?!").count(". ") + fields[
                "description"
            ].count("? ")
            assert sentences <= 1, (entry["slug"], language)
