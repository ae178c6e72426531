"""The news in the public API: the same items, rules and languages as the site."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.news.services import news_item_picture_set

from .conftest import LANGUAGES, png

LIST = "/api/v1/news"


def get(client: Client, path: str, accept: str = "en", **params: str) -> tuple[int, dict]:
    response = client.get(path, params, HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_routes() -> None:
    assert reverse("api:news-list") == LIST
    assert reverse("api:news-item", kwargs={"slug": "a"}) == f"{LIST}/a"


def test_list_is_newest_first_published_only_in_the_language_asked_for(
    client: Client, make_item
) -> None:
    make_item("older", published_at=datetime(2021, 1, 5, tzinfo=UTC))
    make_item(
        "newer", published_at=datetime(2021, 2, 9, 10, tzinfo=UTC), updated_on=date(2021, 2, 12)
    )
    make_item("draft", published_at=None)
    make_item("later", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    status, body = get(client, LIST, "uk")
    assert status == 200
    assert (body["count"], body["page"], body["pages"]) == (2, 1, 1)
    newer = body["results"][0]
    assert [row["slug"] for row in body["results"]] == ["newer", "older"]
    assert newer["title"] == "Title newer uk"
    assert newer["lead"] == "Lead newer uk."
    assert newer["published_at"] == "2021-02-09T11:00:00+01:00"
    assert newer["updated_on"] == "2021-02-12"
    assert newer["url"].endswith("/uk/news/newer/")
    assert (newer["language"], newer["is_fallback"]) == ("uk", False)
    assert newer["languages"] == sorted(LANGUAGES)
    _status, body = get(client, LIST, "uk", language="ru")
    assert body["results"][0]["title"] == "Title newer ru"


def test_list_pages_and_archive_filters(client: Client, make_item) -> None:
    for day in range(1, 4):
        make_item(f"march-{day}", published_at=datetime(2021, 3, day, 12, tzinfo=UTC))
    make_item("last-year", published_at=datetime(2020, 3, 1, 12, tzinfo=UTC))
    _status, body = get(client, LIST, page_size="2")
    assert (body["count"], body["pages"]) == (4, 2)
    assert "page=2" in body["next"]
    _status, body = get(client, LIST, year="2021", month="3")
    assert [row["slug"] for row in body["results"]] == ["march-3", "march-2", "march-1"]
    _status, body = get(client, LIST, year="2020")
    assert [row["slug"] for row in body["results"]] == ["last-year"]
    _status, body = get(client, LIST, year="2019")
    assert body["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": "5"}, "page"),
        ({"month": "2"}, "month"),
        ({"year": "2021", "month": "13"}, "month"),
        ({"year": "twenty"}, "year"),
        ({"year": "99999999999"}, "year"),
        ({"language": "xx"}, "language"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_bad_parameters_are_a_translated_400(client: Client, notice, params, field) -> None:
    status, body = get(client, LIST, "pl", **params)
    assert status == 400
    assert body["errors"][field][0]


def test_error_messages_come_in_the_callers_language(client: Client, notice) -> None:
    _status, body = get(client, LIST, "uk", month="2")
    with translation.override("uk"):
        assert body["errors"]["month"] == [translation.gettext("Give the year with the month.")]


def test_an_item_with_its_text_picture_and_see_also(client: Client, make_item) -> None:
    make_item("first", published_at=datetime(2021, 1, 1, tzinfo=UTC))
    item = make_item(
        "second",
        published_at=datetime(2021, 1, 2, tzinfo=UTC),
        related_slugs=["first"],
        source_url="https://www.krakow.pl/",
    )
    news_item_picture_set(
        item=item, picture=png(40, 30), descriptions={code: f"Door {code}" for code in LANGUAGES}
    )
    status, body = get(client, f"{LIST}/second", "ru")
    assert status == 200
    assert body["title"] == "Title second ru"
    assert body["body"].startswith("Body of second in ru.")
    assert "<h2>More</h2>" in body["body_html"]
    assert body["see_also"] == ["first"]
    assert body["source_url"] == "https://www.krakow.pl/"
    picture = body["picture"]
    assert (picture["alt"], picture["width"], picture["height"]) == ("Door ru", 40, 30)
    path = picture["url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200


def test_an_item_not_in_the_language_asked_for_falls_back_and_says_so(
    client: Client, make_item
) -> None:
    make_item("only-polish", languages=("pl",))
    _status, body = get(client, f"{LIST}/only-polish", "en")
    assert (body["language"], body["is_fallback"]) == ("pl", True)
    assert body["url"].endswith("/pl/news/only-polish/")
    assert body["picture"] is None


def test_unknown_draft_and_scheduled_items_are_a_json_404(client: Client, make_item) -> None:
    make_item("draft", published_at=None)
    make_item("later", published_at=datetime(2999, 1, 1, tzinfo=UTC))
    for slug in ("draft", "later", "no-such-item", "x" * 101):
        status, body = get(client, f"{LIST}/{slug}")
        assert status == 404
        assert "errors" in body


def test_read_only(client: Client, notice) -> None:
    assert client.post(LIST, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{LIST}/{notice.slug}").status_code == 405
