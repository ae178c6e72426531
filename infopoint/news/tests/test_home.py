"""The news on pages of the rest of the site: the newest notice on the home page, the menu."""

from datetime import UTC, datetime

from django.urls import reverse
from django.utils import translation

from .test_views import page, url


def test_home_page_shows_the_newest_notice(client, make_item) -> None:
    make_item("older", published_at=datetime(2021, 1, 1, tzinfo=UTC))
    make_item("newest", published_at=datetime(2021, 2, 1, tzinfo=UTC))
    with translation.override("uk"):
        home = page(client, reverse("pages:home"))
    assert "Title newest uk" in home
    assert "Title older" not in home
    assert url("item", "uk", "newest") in home


def test_every_page_links_the_news_and_its_feed(client, db) -> None:
    with translation.override("en"):
        home = page(client, reverse("pages:home"))
    assert f'href="{url("index", "en")}"' in home
    assert f'<link rel="alternate" type="application/atom+xml" href="{url("feed", "en")}"' in home
