"""Each page costs the same number of SQL queries with 2 rows as with 20: no query per row.

The consultants' inbox searched, the coordinator's reports and the public pages (rendered by
their views: the page cache is emptied first). The inbox without a search has its own test
(infopoint/enquiries/tests/staff/test_inbox.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.tests.factories import desk_user, enquiry_make
from infopoint.news.services import news_item_upsert
from infopoint.topics.services import topic_upsert

pytestmark = pytest.mark.django_db
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _monday() -> object:
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


def _queries(client: Client, path: str) -> tuple[int, bytes]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content.decode()[:2000]
    return len(queries), response.content


def _same_for_2_and_20(add: Callable[[int], None], client: Client, path: str, shown: bytes) -> None:
    """``shown`` is on the page once the 20 rows are there: the rows are really read."""
    add(2)
    for_2, _content = _queries(client, path)
    add(18)
    for_20, content = _queries(client, path)
    assert shown in content
    assert for_20 == for_2


def _enquiries(count: int) -> None:
    made = Enquiry.objects.count()
    for number in range(made, made + count):
        enquiry_make(name=f"Person {number}", text=f"Question {number} about my PESEL number")


def _signed_in(role: str) -> Client:
    client = Client()
    client.force_login(desk_user(role))
    return client


@pytest.mark.parametrize("query", ["PESEL", "Question", "IP-"])
def test_inbox_search(query: str) -> None:
    path = f"/en/enquiries/staff/?q={query}"
    _same_for_2_and_20(_enquiries, _signed_in("consultant"), path, b"Person 19")


def test_reports() -> None:
    _same_for_2_and_20(_enquiries, _signed_in("coordinator"), "/en/reports/", b"20")


def _topics(count: int) -> None:
    start = _topics.made  # type: ignore[attr-defined]
    for number in range(start, start + count):
        topic_upsert(
            slug=f"topic-{number}",
            position=number,
            translations={"en": {"name": f"Topic {number}", "description": "."}},
        )
    _topics.made = start + count  # type: ignore[attr-defined]


def _news(count: int) -> None:
    start = _news.made  # type: ignore[attr-defined]
    for number in range(start, start + count):
        news_item_upsert(
            slug=f"news-{number}",
            published_at=MONDAY_10 - timedelta(days=number + 1),
            translations={"en": {"title": f"News {number}", "lead": "Lead.", "body": "Body."}},
        )
    _news.made = start + count  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _counters() -> None:
    _topics.made = 0  # type: ignore[attr-defined]
    _news.made = 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/en/", "/uk/topics/", "/en/directory/"])
def test_public_pages_with_topics(path: str) -> None:
    _same_for_2_and_20(_topics, Client(), path, b"Topic 19")


@pytest.mark.parametrize(("path", "shown"), [("/en/", b"News 0"), ("/en/news/", b"News 9")])
def test_public_pages_with_news(path: str, shown: bytes) -> None:
    _same_for_2_and_20(_news, Client(), path, shown)
