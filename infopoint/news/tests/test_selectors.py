from datetime import UTC, datetime

from infopoint.news.models import NewsItem
from infopoint.news.selectors import (
    news_archive,
    news_in_period,
    news_item_published_get,
    news_latest,
    news_published,
    news_see_also,
)


def test_only_items_whose_time_has_come_newest_first(make_item, time_machine) -> None:
    time_machine.move_to(datetime(2021, 3, 1, tzinfo=UTC))
    make_item("old", published_at=datetime(2021, 1, 5, tzinfo=UTC))
    make_item("new", published_at=datetime(2021, 2, 5, tzinfo=UTC))
    make_item("draft", published_at=None)
    make_item("scheduled", published_at=datetime(2021, 3, 2, 8, tzinfo=UTC))
    NewsItem.objects.create(slug="no-text", published_at=datetime(2021, 2, 6, tzinfo=UTC))
    assert [item.slug for item in news_published()] == ["new", "old"]
    assert news_latest().slug == "new"
    assert news_item_published_get(slug="scheduled") is None
    # No job runs: the item simply appears once its time has come.
    time_machine.move_to(datetime(2021, 3, 2, 8, tzinfo=UTC))
    assert news_latest().slug == "scheduled"
    assert news_item_published_get(slug="scheduled") is not None


def test_archive_months_are_counted_in_the_office_time_zone(make_item) -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Kraków.
    make_item("a", published_at=datetime(2021, 1, 31, 23, 30, tzinfo=UTC))
    make_item("b", published_at=datetime(2021, 2, 9, tzinfo=UTC))
    make_item("c", published_at=datetime(2020, 12, 31, 12, tzinfo=UTC))
    make_item("draft", published_at=None)
    archive = news_archive()
    assert [(year.year, year.count) for year in archive] == [(2021, 2), (2020, 1)]
    assert [(m.month.month, m.count) for m in archive[0].months] == [(2, 2)]
    assert {item.slug for item in news_in_period(year=2021, month=2)} == {"a", "b"}
    assert not news_in_period(year=2021, month=1).exists()
    assert [item.slug for item in news_in_period(year=2020)] == ["c"]
    assert [item.slug for item in news_in_period(year=2020, month=12)] == ["c"]


def test_see_also_the_chosen_published_items_else_the_newest(make_item) -> None:
    make_item("first", published_at=datetime(2021, 1, 1, tzinfo=UTC))
    make_item("second", published_at=datetime(2021, 1, 2, tzinfo=UTC))
    make_item("hidden", published_at=None)
    make_item(
        "third",
        published_at=datetime(2021, 1, 3, tzinfo=UTC),
        related_slugs=["first", "hidden"],
    )
    third = news_item_published_get(slug="third")
    assert [item.slug for item in news_see_also(item=third)] == ["first"]
    second = news_item_published_get(slug="second")
    assert [item.slug for item in news_see_also(item=second)] == ["third", "first"]
