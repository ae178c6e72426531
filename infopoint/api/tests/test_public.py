"""The public, read-only endpoints: status, topics, directory, articles, search."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from infopoint.appointments.tests.helpers import at
from infopoint.hours.models import NoticeLevel, ServiceNotice, ServiceNoticeTranslation
from infopoint.knowledge.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str, language: str = "en", **extra: Any) -> Any:
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **extra)


def _in(language: str, msgid: str, **params: Any) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


# --- status ----------------------------------------------------------------------------------


def test_status_says_open_until_seven_on_a_weekday_morning(client: Client) -> None:
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        body = _get(client, "/api/v1/status").json()
    assert body["open"] is True
    assert body["closes_at"] == "2026-11-23T19:00:00+01:00"
    assert body["reason"] is None
    assert {"weekday": 5, "opens": "09:00", "closes": "14:00"} in body["weekly_hours"]
    assert body["notices"] == []


def test_status_on_a_holiday_says_why_and_when_it_opens(client: Client) -> None:
    # 11 November, Independence Day, a Wednesday.
    with time_machine.travel(at(2026, 11, 11, 10), tick=False):
        body = _get(client, "/api/v1/status").json()
    assert body["open"] is False
    assert body["next_opening"] == "2026-11-12T09:00:00+01:00"
    assert body["reason"]


def test_status_carries_the_notices_in_force_in_the_language_asked_for(client: Client) -> None:
    notice = ServiceNotice.objects.create(
        starts_at=timezone.now() - timedelta(days=1), level=NoticeLevel.WARNING
    )
    ServiceNoticeTranslation.objects.create(
        notice=notice, language="uk", title="Лише онлайн", text="Тільки телефоном та онлайн."
    )
    ServiceNoticeTranslation.objects.create(
        notice=notice, language="en", title="Online only", text="Phone and online only."
    )
    ukrainian = _get(client, "/api/v1/status", language="uk").json()["notices"]
    assert ukrainian[0]["title"] == "Лише онлайн"
    assert ukrainian[0]["is_fallback"] is False
    assert ukrainian[0]["ends_at"] is None
    # The parameter wins over the header; Russian falls back to a language that exists.
    russian = _get(client, "/api/v1/status?language=ru", language="uk").json()["notices"]
    assert russian[0]["is_fallback"] is True
    assert russian[0]["language"] in {"uk", "en"}


# --- topics and the directory ----------------------------------------------------------------


def test_topics_come_in_a_page_in_the_language_of_the_request(
    client: Client, directory: None
) -> None:
    body = _get(client, "/api/v1/topics", language="uk").json()
    assert set(body) == {"count", "page", "pages", "next", "previous", "results"}
    assert body["count"] >= 10
    assert body["page"] == 1
    first = body["results"][0]
    assert set(first) == {"slug", "name", "description", "language", "is_fallback"}
    assert first["language"] == "uk"
    detail = _get(client, f"/api/v1/topics/{first['slug']}", language="uk").json()
    assert detail == first


def test_pages_link_to_each_other_and_a_page_past_the_last_is_refused(
    client: Client, directory: None
) -> None:
    first = _get(client, "/api/v1/topics?page_size=5").json()
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/api/v1/topics?")
    assert parse_qs(urlsplit(first["next"]).query) == {"page": ["2"], "page_size": ["5"]}
    assert len(first["results"]) == 5
    last = _get(client, f"/api/v1/topics?page_size=5&page={first['pages']}").json()
    assert last["next"] is None
    assert last["previous"]
    beyond = _get(client, f"/api/v1/topics?page_size=5&page={first['pages'] + 1}", "pl")
    assert beyond.status_code == 400
    assert list(beyond.json()["errors"]) == ["page"]


def test_institutions_filter_by_topic_kind_and_language(client: Client, directory: None) -> None:
    everything = _get(client, "/api/v1/institutions?page_size=100").json()
    assert everything["count"] >= 3
    office = _get(client, "/api/v1/institutions/voivodeship-office-foreigners").json()
    assert office["street_address"] == "ul. Przy Rondzie 6"
    assert office["kind"] == "public-office"
    assert office["source_url"].startswith("http")
    by_topic = _get(client, "/api/v1/institutions?topic=legal-stay&page_size=100").json()
    assert "voivodeship-office-foreigners" in {row["slug"] for row in by_topic["results"]}
    assert all("legal-stay" in row["topics"] for row in by_topic["results"])
    speaking = _get(client, "/api/v1/institutions?speaks=uk&page_size=100").json()
    assert speaking["count"] >= 1
    assert all("uk" in row["languages"] for row in speaking["results"])
    offices = _get(client, "/api/v1/institutions?kind=public-office&page_size=100").json()
    assert {row["kind"] for row in offices["results"]} == {"public-office"}


def test_an_unknown_topic_or_institution(client: Client, directory: None) -> None:
    assert _get(client, "/api/v1/topics/no-such-topic").status_code == 404
    assert _get(client, "/api/v1/institutions/no-such-place").json() == {
        "errors": {"non_field_errors": [_in("en", "Not found.")]}
    }
    response = _get(client, "/api/v1/institutions?topic=no-such-topic", language="uk")
    assert response.status_code == 400
    assert response.json()["errors"]["topic"] == [
        _in(
            "uk",
            "There is no topic “%(slug)s”. GET /api/v1/topics lists them.",
            slug="no-such-topic",
        )
    ]


# --- articles and search ---------------------------------------------------------------------


def test_published_articles_are_listed_and_drafts_are_not(
    client: Client, articles: dict[str, Article]
) -> None:
    draft = articles["school-enrolment"]
    draft.status = ArticleStatus.DRAFT
    draft.save(update_fields=["status"])
    body = _get(client, "/api/v1/articles").json()
    slugs = [row["slug"] for row in body["results"]]
    assert slugs == ["pesel-number", "temporary-residence-permit"]
    assert _get(client, "/api/v1/articles/school-enrolment").status_code == 404
    by_topic = _get(client, "/api/v1/articles?topic=legal-stay").json()
    assert [row["slug"] for row in by_topic["results"]] == ["temporary-residence-permit"]


def test_an_article_in_a_language_it_lacks_falls_back_and_says_so(
    client: Client, articles: dict[str, Article]
) -> None:
    body = _get(client, "/api/v1/articles/temporary-residence-permit", language="uk").json()
    assert body["language"] == "pl"
    assert body["is_fallback"] is True
    assert body["title"].startswith("Zezwolenie na pobyt czasowy")
    assert body["institutions"] == ["voivodeship-office-foreigners"]
    assert body["sources"][0]["url"].startswith("https://")
    assert "/pl/articles/temporary-residence-permit/" in body["url"]
    english = _get(client, "/api/v1/articles/pesel-number?language=en", language="uk").json()
    assert (english["language"], english["is_fallback"]) == ("en", False)
    assert english["body"].startswith("PESEL is the Polish identification number")


def test_search_finds_an_article_asked_in_another_language(
    client: Client, articles: dict[str, Article]
) -> None:
    body = _get(
        client,
        "/api/v1/search?q=" + "Як отримати дозвіл на тимчасове проживання?",
        language="uk",
    ).json()
    assert body["results"][0]["slug"] == "temporary-residence-permit"
    assert 0 < body["results"][0]["score"] <= 1
    assert "<" not in body["results"][0]["snippet"]


def test_search_needs_a_question_of_reasonable_length(client: Client) -> None:
    missing = _get(client, "/api/v1/search", language="ru")
    assert missing.status_code == 400
    assert missing.json()["errors"]["q"] == [_in("ru", "This field is required.")]
    too_long = _get(client, "/api/v1/search?q=" + "a" * 501)
    assert too_long.status_code == 400
    assert list(too_long.json()["errors"]) == ["q"]


# --- bad input and unknown addresses ---------------------------------------------------------


def test_unknown_and_repeated_parameters_are_refused_in_the_language_of_the_request(
    client: Client,
) -> None:
    response = _get(client, "/api/v1/topics?sort=name&page=1&page=2", language="pl")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["sort"] == [
        _in(
            "pl",
            "This parameter is not known here. Known parameters: %(names)s.",
            names="language, page, page_size",
        )
    ]
    assert errors["page"] == [_in("pl", "Give this parameter once.")]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("page_size=101", "page_size"),
        ("language=de", "language"),
        ("kind=embassy", "kind"),
        ("speaks=xx", "speaks"),
        ("topic=%00", "topic"),
    ],
)
def test_wrong_values_are_a_400_naming_the_parameter(
    client: Client, query: str, field: str
) -> None:
    response = _get(client, f"/api/v1/institutions?{query}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/nothing-here", "/api/v1/topics/", "/api/v1/articles/a/b", "/api/v2/x"],
)
def test_unknown_api_addresses_are_a_json_404(client: Client, path: str) -> None:
    response = _get(client, path, language="uk")
    if path.startswith("/api/v2"):
        # Not the API's: the site's own page.
        assert response.status_code == 404
        return
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {
            "non_field_errors": [
                _in("uk", "There is no such address in the API. See /api/v1/docs.")
            ]
        }
    }


def test_the_json_404_is_the_last_address_so_it_hides_none() -> None:
    from infopoint.api.urls import urlpatterns

    names = [getattr(pattern, "name", None) for pattern in urlpatterns]
    assert names.index("not-found") == len(urlpatterns) - 1


def test_any_method_on_an_unknown_address_is_a_json_404(client: Client) -> None:
    response = client.post("/api/v1/staff/appointments/-1/cancel", "{}", "application/json")
    assert response.status_code == 404
    assert list(response.json()["errors"]) == ["non_field_errors"]


def test_slots_refuse_unknown_and_repeated_parameters(client: Client) -> None:
    response = _get(client, "/api/v1/slots?language=uk&language=pl&colour=red")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"language", "colour"}


def test_public_endpoints_are_limited_per_address(client: Client, settings: Any) -> None:
    settings.API_RATE_PER_ADDRESS = "2/hour"
    assert _get(client, "/api/v1/status").status_code == 200
    assert _get(client, "/api/v1/topics").status_code == 200
    refused = _get(client, "/api/v1/status", language="pl")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert list(refused.json()["errors"]) == ["non_field_errors"]


def test_a_page_of_articles_costs_the_same_queries_whatever_its_length(
    client: Client, articles: dict[str, Article], django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as one:
        assert len(_get(client, "/api/v1/articles?page_size=1").json()["results"]) == 1
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(_get(client, "/api/v1/articles?page_size=3").json()["results"]) == 3
