from django.urls import reverse

from infopoint.directory.forms import InstitutionAdminForm
from infopoint.directory.models import Institution


def test_changelist(admin_client, directory):
    response = admin_client.get(reverse("admin:directory_institution_changelist"))

    assert response.status_code == 200
    assert b"voivodeship-office-foreigners" in response.content


def test_changelist_filtered_by_topic_and_searched(admin_client, directory):
    url = reverse("admin:directory_institution_changelist")

    by_topic = admin_client.get(url, {"topic": "health"})
    by_name = admin_client.get(url, {"q": "Zustricz"})

    assert by_topic.status_code == by_name.status_code == 200
    assert "nfz-malopolska" in {i.slug for i in by_topic.context["cl"].result_list}
    assert "voivodeship-office-foreigners" not in {
        i.slug for i in by_topic.context["cl"].result_list
    }
    assert [i.slug for i in by_name.context["cl"].result_list] == ["zustricz-migrant-support-point"]


def test_change_page_shows_phones_as_text(admin_client, directory):
    institution = Institution.objects.get(slug="voivodeship-office-foreigners")

    url = reverse("admin:directory_institution_change", args=[institution.pk])

    response = admin_client.get(url)

    assert response.status_code == 200
    assert b'value="12 39 21 804, 12 39 21 868"' in response.content


def test_add_page(admin_client, directory):
    response = admin_client.get(reverse("admin:directory_institution_add"))

    assert response.status_code == 200


def test_form_turns_comma_separated_text_into_lists(directory):
    institution = Institution.objects.get(slug="information-point")
    form = InstitutionAdminForm(
        instance=institution,
        data={
            "slug": institution.slug,
            "kind": institution.kind,
            "position": "0",
            "topics": list(institution.topics.values_list("pk", flat=True)),
            "street_address": institution.street_address,
            "city": institution.city,
            "phones": "887 201 598,  12 000 00 00 ,",
            "languages": "PL, uk",
            "source_url": institution.source_url,
            "reviewed_on": "2026-11-24",
        },
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["phones"] == ["887 201 598", "12 000 00 00"]
    assert form.cleaned_data["languages"] == ["pl", "uk"]


def test_form_refuses_something_that_is_no_language_code(directory):
    form = InstitutionAdminForm(data={"languages": "pl, Ukrainian"})

    assert not form.is_valid()
    assert "languages" in form.errors
