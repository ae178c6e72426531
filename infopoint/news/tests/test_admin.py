"""Coordinators write the news in the admin: every language on one page, pictures described."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.enquiries.tests.factories import desk_user
from infopoint.news.models import NewsItem

from .conftest import LANGUAGES, png


@pytest.fixture
def coordinator(client: Client, db: None) -> Client:
    client.force_login(desk_user("coordinator", username="kasia"))
    return client


def form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": "new-office",
        "published_at_0": "2021-02-09",
        "published_at_1": "10:00",
        "updated_on": "",
        "source_url": "",
        "translations-TOTAL_FORMS": "4",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "4",
    }
    for index, code in enumerate(LANGUAGES):
        data[f"translations-{index}-language"] = code
        data[f"translations-{index}-title"] = f"New office {code}"
        data[f"translations-{index}-lead"] = f"We moved {code}."
        data[f"translations-{index}-body"] = f"Body {code}"
        data[f"translations-{index}-picture_alt"] = f"The new door {code}"
    data.update(overrides)
    return data


def test_a_coordinator_adds_an_item_with_a_picture(coordinator: Client) -> None:
    response = coordinator.post(reverse("admin:news_newsitem_add"), form(picture=png(40, 30)))
    assert response.status_code == 302, response.context and response.context["errors"]
    item = NewsItem.objects.get(slug="new-office")
    assert item.available_languages() == sorted(LANGUAGES)
    assert (item.picture_width, item.picture_height) == (40, 30)
    assert item.translation("uk").picture_alt == "The new door uk"
    listing = coordinator.get(reverse("admin:news_newsitem_changelist"))
    assert b"New office" in listing.content


def test_a_picture_must_be_described_in_every_language(coordinator: Client) -> None:
    with translation.override("en"):
        response = coordinator.post(
            reverse("admin:news_newsitem_add"),
            form(picture=png(), **{"translations-1-picture_alt": ""}),
        )
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "Missing: uk" in str(formset.non_form_errors())
    assert not NewsItem.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(coordinator: Client) -> None:
    fake = SimpleUploadedFile("door.png", b"%PDF-1.4", content_type="image/png")
    response = coordinator.post(reverse("admin:news_newsitem_add"), form(picture=fake))
    assert response.status_code == 200
    assert "picture" in response.context["adminform"].form.errors
    assert not NewsItem.objects.exists()


def test_publish_and_unpublish_actions(coordinator: Client, notice: NewsItem) -> None:
    url = reverse("admin:news_newsitem_changelist")
    coordinator.post(url, {"action": "unpublish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.published_at is None
    coordinator.post(url, {"action": "publish", "_selected_action": [notice.pk]})
    notice.refresh_from_db()
    assert notice.published_at is not None
    assert notice.updated_on is None  # an update before the new publish date says nothing


def test_a_consultant_cannot_edit_the_news(client: Client, db: None) -> None:
    client.force_login(desk_user("consultant", username="olek"))
    assert client.get(reverse("admin:news_newsitem_add")).status_code == 403
