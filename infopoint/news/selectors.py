"""Reads of the news: only what is published by now, newest first, with its translations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from infopoint.hours.calendar import office_zone

from .models import NewsItem, NewsItemTranslation

SEE_ALSO = 3
# Archive addresses outside these years name no month that can hold news.
FIRST_YEAR, LAST_YEAR = 1900, 9998


def news_published(*, now: datetime | None = None) -> QuerySet[NewsItem]:
    """Items whose publish time has come, newest first, with their translations."""
    return (
        NewsItem.objects.filter(published_at__lte=now or timezone.now())
        # An item saved without any text yet has nothing to show.
        .filter(Exists(NewsItemTranslation.objects.filter(news_item=OuterRef("pk"))))
        .prefetch_related("translations")
        .order_by("-published_at", "-pk")
    )


def news_item_published_get(*, slug: str) -> NewsItem | None:
    """The published item ``slug`` with its translations and published related items."""
    related = news_published()
    return (
        news_published()
        .filter(slug=slug)
        .prefetch_related(Prefetch("related", queryset=related, to_attr="related_published"))
        .first()
    )


def news_latest() -> NewsItem | None:
    """The newest published item (for the home page), or None."""
    return news_published().first()


def news_see_also(*, item: NewsItem, limit: int = SEE_ALSO) -> list[NewsItem]:
    """The items chosen as related to ``item`` that are published; else the newest others."""
    chosen = getattr(item, "related_published", None)
    if chosen is None:
        chosen = list(news_published().filter(pk__in=item.related.all()))
    if chosen:
        return list(chosen)
    return list(news_published().exclude(pk=item.pk)[:limit])


def _month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=office_zone())


def news_in_period(*, year: int, month: int | None = None) -> QuerySet[NewsItem]:
    """Published items of a year, or of one month of it, in the office's time zone.

    The caller checks that ``year`` is within FIRST_YEAR–LAST_YEAR and ``month`` 1–12.
    """
    if month is None:
        start, end = _month_start(year, 1), _month_start(year + 1, 1)
    else:
        start = _month_start(year, month)
        end = _month_start(year + (month == 12), month % 12 + 1)
    return news_published().filter(published_at__gte=start, published_at__lt=end)


@dataclass(frozen=True)
class ArchiveMonth:
    month: date
    count: int


@dataclass(frozen=True)
class ArchiveYear:
    year: int
    months: list[ArchiveMonth]

    @property
    def count(self) -> int:
        return sum(month.count for month in self.months)


def news_archive() -> list[ArchiveYear]:
    """Years and months that have published items, newest first, with how many each."""
    rows = (
        news_published()
        .order_by()
        .annotate(month=TruncMonth("published_at", tzinfo=office_zone()))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by("-month")
    )
    years: dict[int, list[ArchiveMonth]] = {}
    for row in rows:
        first_day = timezone.localtime(row["month"], office_zone()).date()
        years.setdefault(first_day.year, []).append(ArchiveMonth(first_day, row["count"]))
    return [ArchiveYear(year, months) for year, months in years.items()]
