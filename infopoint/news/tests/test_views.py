from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from infopoint.news.services import news_item_picture_set
from infopoint.news.views import PER_PAGE

from .conftest import LANGUAGES, png


def url(name: str, language: str, *args: object) -> str:
    with translation.override(language):
        return reverse(f"news:{name}", args=args)


def page(client, address: str, **params: str) -> str:
    response = client.get(address, params)
    assert response.status_code == 200, address
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_item_page_shows_the_dates_as_the_seed_notice_does(client, notice, language) -> None:
    html = page(client, url("item", language, notice.slug))
    assert f"Title office-moves {language}" in html
    assert "<h2>More</h2>" in html  # the body is Markdown
    with translation.override(language):
        published = formats.date_format(timezone.localdate(notice.published_at), "DATE_FORMAT")
        updated = formats.date_format(notice.updated_on, "DATE_FORMAT")
        assert gettext("Published") in html
        assert gettext("Last update") in html
    assert f'<time datetime="2021-02-09T11:00:00+01:00">{published}</time>' in html
    assert f'<time datetime="2021-02-12">{updated}</time>' in html
    assert 'class="fallback"' not in html


def test_a_missing_translation_falls_back_marked_with_its_language(client, make_item) -> None:
    make_item("only-polish", languages=("pl",))
    html = page(client, url("item", "en", "only-polish"))
    assert 'class="fallback"' in html
    assert '<div lang="pl">' in html
    assert "Title only-polish pl" in html
    listing = page(client, url("index", "en"))
    assert '<div lang="pl">' in listing


def test_list_is_newest_first_and_paginated(client, make_item) -> None:
    for day in range(1, PER_PAGE + 3):
        make_item(f"day-{day}", published_at=datetime(2021, 3, day, 12, tzinfo=UTC))
    first = page(client, url("index", "en"))
    assert first.index("Title day-12 en") < first.index("Title day-11 en")
    assert "Title day-2 en" not in first
    assert 'rel="next"' in first
    second = page(client, url("index", "en"), page="2")
    assert "Title day-2 en" in second
    assert "Title day-1 en" in second
    assert "Title day-12 en" not in second
    assert 'rel="prev"' in second


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "3", "1.5", "9" * 30])
def test_a_page_that_does_not_exist_is_not_found(client, notice, bad) -> None:
    assert client.get(url("index", "en"), {"page": bad}).status_code == 404


def test_the_empty_list_says_so(client, db) -> None:
    html = page(client, url("index", "uk"))
    with translation.override("uk"):
        assert gettext("There is no news yet.") in html


def test_drafts_scheduled_and_unknown_items_are_not_found(client, make_item) -> None:
    make_item("draft", published_at=None)
    make_item("later", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    for slug in ("draft", "later", "no-such-item"):
        assert client.get(url("item", "en", slug)).status_code == 404
    listing = page(client, url("index", "en"))
    assert "Title draft" not in listing
    assert "Title later" not in listing


def test_archive_by_year_and_month(client, make_item) -> None:
    make_item("winter", published_at=datetime(2021, 2, 9, tzinfo=UTC))
    make_item("summer", published_at=datetime(2021, 7, 1, tzinfo=UTC))
    make_item("last-year", published_at=datetime(2020, 5, 1, tzinfo=UTC))
    index = page(client, url("index", "en"))
    assert url("year", "en", 2021) in index
    assert url("month", "en", 2021, 2) in index
    year = page(client, url("year", "en", 2021))
    assert "Title winter en" in year and "Title summer en" in year
    assert "Title last-year" not in year
    month = page(client, url("month", "pl", 2021, 2))
    assert "Title winter pl" in month and "Title summer" not in month
    with translation.override("pl"):
        assert formats.date_format(datetime(2021, 2, 1), "YEAR_MONTH_FORMAT") in month


@pytest.mark.parametrize(
    "path",
    [
        "/en/news/2019/",
        "/en/news/2021/3/",
        "/en/news/2021/13/",
        "/en/news/2021/0/",
        "/en/news/0/",
        "/en/news/99999999999999999999/",
        "/en/news/2021/99999999999999999/",
    ],
)
def test_unknown_years_and_months_are_not_found(client, notice, path) -> None:
    assert client.get(path).status_code == 404


def test_pages_only_answer_get(client, notice) -> None:
    assert client.post(url("index", "en")).status_code == 405
    assert client.post(url("item", "en", notice.slug)).status_code == 405


def test_the_picture_is_shown_described_and_served(client, notice) -> None:
    descriptions = {code: f"Door {code}" for code in LANGUAGES}
    news_item_picture_set(item=notice, picture=png(40, 30), descriptions=descriptions)
    html = page(client, url("item", "uk", notice.slug))
    picture_url = url("picture", "uk", notice.slug, notice.picture_name)
    assert f'<img src="{picture_url}" alt="Door uk" width="40" height="30">' in html
    response = client.get(picture_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(url("picture", "uk", notice.slug, "other.png")).status_code == 404


def test_the_picture_of_an_unpublished_item_is_not_served(client, make_item) -> None:
    item = make_item("later", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    news_item_picture_set(item=item, picture=png(), descriptions=dict.fromkeys(LANGUAGES, "Door"))
    assert client.get(url("picture", "en", item.slug, item.picture_name)).status_code == 404


def test_see_also_and_source(client, make_item) -> None:
    make_item("first", published_at=datetime(2021, 1, 1, tzinfo=UTC))
    make_item(
        "second",
        published_at=datetime(2021, 1, 2, tzinfo=UTC),
        related_slugs=["first"],
        source_url="https://www.krakow.pl/",
    )
    html = page(client, url("item", "ru", "second"))
    with translation.override("ru"):
        assert gettext("See also") in html
    assert f'<a href="{url("item", "ru", "first")}">Title first ru</a>' in html
    assert '<a href="https://www.krakow.pl/">www.krakow.pl</a>' in html


def test_head_requests_are_answered(client, notice) -> None:
    assert client.head(url("index", "en")).status_code == 200
    assert client.head(url("item", "en", notice.slug)).status_code == 200
