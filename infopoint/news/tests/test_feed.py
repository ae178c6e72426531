from datetime import UTC, date, datetime

import feedparser
from django.urls import reverse
from django.utils import translation

from infopoint.news.feeds import FEED_ITEMS


def feed(client, language: str) -> feedparser.FeedParserDict:
    with translation.override(language):
        address = reverse("news:feed")
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_feed_parses_with_entries_dates_links_and_language(client, make_item) -> None:
    make_item("older", published_at=datetime(2021, 1, 5, 9, tzinfo=UTC))
    make_item(
        "newer", published_at=datetime(2021, 2, 9, 10, tzinfo=UTC), updated_on=date(2021, 2, 12)
    )
    make_item("draft", published_at=None)
    parsed = feed(client, "uk")
    assert parsed.version == "atom10"
    assert parsed.feed.language == "uk"
    assert parsed.feed.link == "http://testserver/uk/news/"
    assert [entry.title for entry in parsed.entries] == ["Title newer uk", "Title older uk"]
    newer = parsed.entries[0]
    assert newer.link == "http://testserver/uk/news/newer/"
    assert newer.summary == "Lead newer uk."
    assert "<h2>More</h2>" in newer.content[0].value
    assert newer.published_parsed[:5] == (2021, 2, 9, 10, 0)
    # The last update (12 February, taken at its start in Kraków) is the entry's "updated".
    assert newer.updated_parsed[:4] == (2021, 2, 11, 23)
    older = parsed.entries[1]
    assert older.updated_parsed == older.published_parsed


def test_one_feed_per_language(client, notice) -> None:
    for language in ("pl", "ru", "en"):
        parsed = feed(client, language)
        assert parsed.feed.language == language
        assert parsed.entries[0].title == f"Title office-moves {language}"
        assert parsed.entries[0].link.endswith(f"/{language}/news/office-moves/")


def test_an_entry_not_yet_translated_says_its_language(client, make_item) -> None:
    make_item("only-polish", languages=("pl",))
    entry = feed(client, "en").entries[0]
    assert entry.title == "Title only-polish pl"
    assert entry.title_detail.language == "pl"


def test_an_empty_feed_is_still_valid_and_the_feed_is_bounded(client, make_item) -> None:
    assert feed(client, "en").entries == []
    for day in range(1, FEED_ITEMS + 3):
        make_item(f"day-{day}", published_at=datetime(2021, 3, day, tzinfo=UTC))
    assert len(feed(client, "en").entries) == FEED_ITEMS
