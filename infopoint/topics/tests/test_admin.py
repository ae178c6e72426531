from django.urls import reverse

from infopoint.topics.defaults import topics_default_content_load
from infopoint.topics.models import Topic


def test_changelist(admin_client, db):
    topics_default_content_load()

    response = admin_client.get(reverse("admin:topics_topic_changelist"))

    assert response.status_code == 200
    assert b"legal-stay" in response.content


def test_search_by_name(admin_client, db):
    topics_default_content_load()

    response = admin_client.get(reverse("admin:topics_topic_changelist"), {"q": "Housing"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [Topic.objects.get(slug="housing")]


def test_change_page_has_one_form_per_language(admin_client, db, settings):
    topics_default_content_load()
    topic = Topic.objects.get(slug="health")

    response = admin_client.get(reverse("admin:topics_topic_change", args=[topic.pk]))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert len(formset.forms) == len(settings.LANGUAGES)


def test_add_page_offers_every_language(admin_client, db, settings):
    response = admin_client.get(reverse("admin:topics_topic_add"))

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert [form.initial.get("language") for form in formset.forms] == [
        code for code, _ in settings.LANGUAGES
    ]


def test_adding_a_topic_in_two_languages_leaves_the_others_blank(admin_client, db):
    data = {
        "slug": "new-topic",
        "position": "5",
        "answer_within_days": "",
        "translations-TOTAL_FORMS": "4",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "4",
    }
    for index, code in enumerate(["pl", "uk", "ru", "en"]):
        data[f"translations-{index}-language"] = code
    data.update(
        {
            "translations-0-name": "Nowy",
            "translations-0-description": "Opis.",
            "translations-3-name": "New",
            "translations-3-description": "About.",
        }
    )

    response = admin_client.post(reverse("admin:topics_topic_add"), data)

    assert response.status_code == 302, response.context["errors"]
    topic = Topic.objects.get(slug="new-topic")
    assert topic.available_languages() == ["en", "pl"]
