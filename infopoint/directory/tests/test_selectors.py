import pytest

from infopoint.directory.models import Institution
from infopoint.directory.selectors import institution_get, institution_list
from infopoint.topics.models import Topic


def _touch(institution: Institution) -> None:
    """Reads what a directory page shows."""
    institution.translation("uk")
    for topic in institution.topics.all():
        topic.translation("uk")
    if institution.schedule:
        list(institution.schedule.weekly_hours.all())


def test_institution_list_in_a_fixed_number_of_queries(directory, django_assert_num_queries):
    # Institutions (schedule joined), translations, topics, their translations, weekly hours.
    with django_assert_num_queries(5):
        institutions = list(institution_list())
        for institution in institutions:
            _touch(institution)

    assert institutions[0].slug == "information-point"
    assert len(institutions) == Institution.objects.count()


def test_institution_list_for_a_topic(directory, django_assert_num_queries):
    topic = Topic.objects.get(slug="legal-stay")

    with django_assert_num_queries(5):
        institutions = list(institution_list(topic=topic))
        for institution in institutions:
            _touch(institution)

    slugs = [institution.slug for institution in institutions]
    assert "voivodeship-office-foreigners" in slugs
    assert "niebieska-linia" not in slugs
    assert len(slugs) == len(set(slugs))


def test_institution_get(directory, django_assert_num_queries):
    with django_assert_num_queries(5):
        institution = institution_get(slug="advisory-point-krakow")
        _touch(institution)

    assert institution.schedule.slug == "advisory-point-krakow"


def test_institution_get_raises_for_an_unknown_slug(db):
    with pytest.raises(Institution.DoesNotExist):
        institution_get(slug="nothing")
