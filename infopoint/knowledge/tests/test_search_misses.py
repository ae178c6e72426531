"""Searches that found nothing: counted per day, language and normalised words, nothing more."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from infopoint.hours.calendar import office_zone
from infopoint.knowledge.models import SEARCH_MISS_QUERY_LENGTH, SearchMiss
from infopoint.knowledge.search import search
from infopoint.knowledge.services import search_miss_query, search_miss_record

pytestmark = pytest.mark.django_db
# Words no article is near (the hybrid search finds something for most made-up words).
NOTHING = "xyzzy plugh"


def _counts() -> dict[tuple[str, str], int]:
    return {(miss.language, miss.query): miss.count for miss in SearchMiss.objects.all()}


def test_misses_are_counted_per_day_language_and_normalised_words() -> None:
    day = date(2026, 11, 24)
    search_miss_record(query="  Karta   POBYTU\tKraków ", language="pl", day=day)
    search_miss_record(query="karta pobytu kraków", language="pl", day=day)
    search_miss_record(query="karta pobytu kraków", language="uk", day=day)
    search_miss_record(query="karta pobytu kraków", language="pl", day=date(2026, 11, 25))
    rows = SearchMiss.objects.order_by("day", "language").values_list(
        "day", "language", "query", "count"
    )
    assert list(rows) == [
        (day, "pl", "karta pobytu kraków", 2),
        (day, "uk", "karta pobytu kraków", 1),
        (date(2026, 11, 25), "pl", "karta pobytu kraków", 1),
    ]


def test_the_day_is_todays_in_the_offices_calendar() -> None:
    search_miss_record(query="pesel", language="en")
    assert SearchMiss.objects.get().day == timezone.localdate(timezone.now(), office_zone())


def test_empty_words_are_not_counted_and_long_ones_are_cut() -> None:
    for empty in ("", "   ", "\t\n", "\x00"):
        search_miss_record(query=empty, language="en")
    assert not SearchMiss.objects.exists()
    search_miss_record(query="słowo " * 100, language="en")
    kept = SearchMiss.objects.get().query
    assert len(kept) <= SEARCH_MISS_QUERY_LENGTH
    assert kept == ("słowo " * 100)[:SEARCH_MISS_QUERY_LENGTH].strip()
    assert search_miss_query("a\x00b\x01c\x1bD\u200bé") == "a b c d\u200bé"


def test_numbers_and_addresses_of_a_person_are_not_kept() -> None:
    assert search_miss_query("PESEL 90010112345 status") == "pesel … status"
    assert search_miss_query("tel. 600123456, Jan.Kowalski@example.pl?") == "tel. …, …@…"
    assert search_miss_query("art. 114 ust. 1, 31-153 Kraków 2026") == (
        "art. 114 ust. 1, 31-153 kraków 2026"
    )


def test_an_unknown_language_is_refused_and_nothing_written() -> None:
    for language in ("de", "", "PL", "x" * 50):
        with pytest.raises(ValueError, match="Unknown language"):
            search_miss_record(query="pesel", language=language)
    assert not SearchMiss.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_misses_count_both() -> None:
    """Two requests missing with the same new words at once: one creates, the other counts."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    barrier = threading.Barrier(4)

    def record() -> None:
        try:
            barrier.wait()
            search_miss_record(query="same words", language="pl", day=date(2026, 11, 24))
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SearchMiss.objects.get().count == 4


def _page(language: str) -> str:
    with translation.override(language):
        return reverse("knowledge:search")


def test_the_search_page_counts_only_searches_that_found_nothing(client, articles) -> None:
    assert not search(NOTHING, language="uk").hits
    assert client.get(_page("uk"), {"q": NOTHING}).status_code == 200
    assert client.get(_page("uk"), {"q": "karta pobytu"}).status_code == 200  # found
    assert client.get(_page("uk")).status_code == 200  # no search
    assert client.get(_page("uk"), {"q": "   "}).status_code == 200
    assert client.get(_page("uk"), {"q": "x" * 501}).status_code == 200  # refused: too long
    assert client.get(_page("uk"), {"q": "a\x00b"}).status_code == 200  # refused: NUL
    assert _counts() == {("uk", NOTHING): 1}
    spaced = NOTHING.replace(" ", "   ")
    assert not search(spaced, language="en").hits
    client.get(_page("en"), {"q": spaced})
    assert _counts() == {("uk", NOTHING): 1, ("en", NOTHING): 1}


def test_the_search_endpoint_counts_only_searches_that_found_nothing(client, articles) -> None:
    url = reverse("api:search")
    assert client.get(url, {"q": NOTHING, "language": "ru"}).status_code == 200
    assert client.get(url, {"q": "karta pobytu", "language": "ru"}).status_code == 200
    for bad in ({}, {"q": ""}, {"q": NOTHING, "language": "de"}, {"q": "x" * 501}):
        assert client.get(url, {**bad}).status_code == 400
    assert _counts() == {("ru", NOTHING): 1}
