import re

import pytest
from django.conf import settings
from django.test import Client

from infopoint.core.content import default_content_load
from infopoint.pages.defaults import pages_default_content_load
from infopoint.pages.models import Page, PageTranslation

from .conftest import LANGUAGE_CODES

STATUTORY_PAGES = ["privacy", "cookies", "accessibility"]


@pytest.fixture
def default_content(db: None) -> dict[str, int]:
    return default_content_load()


def test_loader_creates_every_page_in_every_language(default_content: dict[str, int]) -> None:
    assert default_content["pages"] == len(STATUTORY_PAGES) * (1 + len(LANGUAGE_CODES))
    for slug in STATUTORY_PAGES:
        page = Page.objects.get(slug=slug)
        assert sorted(page.available_languages()) == sorted(LANGUAGE_CODES)


def test_loader_is_idempotent(default_content: dict[str, int]) -> None:
    assert pages_default_content_load() == 0
    assert default_content_load()["pages"] == 0


def test_loader_keeps_what_the_coordinator_wrote(default_content: dict[str, int]) -> None:
    translation = PageTranslation.objects.get(page__slug="privacy", language="en")
    translation.body = "Completed by the coordinator."
    translation.save(update_fields=["body"])
    PageTranslation.objects.filter(page__slug="cookies", language="uk").delete()

    assert pages_default_content_load() == 1  # only the missing translation comes back
    translation.refresh_from_db()
    assert translation.body == "Completed by the coordinator."


def test_placeholders_are_marked_not_invented(default_content: dict[str, int]) -> None:
    for translation in PageTranslation.objects.filter(page__slug__in=["privacy", "accessibility"]):
        assert "**[" in translation.body, (translation.page.slug, translation.language)
        # No e-mail address is made up: the only ones are the operator's to fill in.
        assert not re.search(r"[\w.-]+@[\w-]+\.\w+", translation.body)


@pytest.mark.parametrize("language", LANGUAGE_CODES)
@pytest.mark.parametrize("slug", STATUTORY_PAGES)
def test_real_pages_render(
    client: Client, default_content: dict[str, int], slug: str, language: str
) -> None:
    response = client.get(f"/{language}/info/{slug}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert "fallback__note" not in content.split("<main")[1]
    assert content.count("<h1") == 1
    assert "<h2>" in content


def test_real_home_page(client: Client, default_content: dict[str, int]) -> None:
    content = client.get("/en/").content.decode()

    assert "<h1>" in content
    assert content.count("<h1") == 1


def test_cookies_page_lists_the_cookies_the_site_sets(default_content: dict[str, int]) -> None:
    body = Page.objects.get(slug="cookies").translation("en").body

    for name in [settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME]:
        assert f"| {name} |" in body
    assert f"| {settings.SESSION_COOKIE_NAME} |" in body
