"""The Atom feed of the news, one per language (the language prefix of its address)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import get_language, gettext

from infopoint.core.markdown import render_markdown
from infopoint.hours.calendar import office_zone

from .models import NewsItem, NewsItemTranslation
from .selectors import news_published

FEED_ITEMS = 20


class NewsAtomFeed(feedgenerator.Atom1Feed):
    """Atom with the whole text of each item, and ``xml:lang`` on an entry written in
    another language than the feed's (a translation still missing)."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attributes = super().item_attributes(item)
        if item.get("language") and item["language"] != self.feed["language"]:
            attributes["xml:lang"] = item["language"]
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class NewsFeed(Feed):
    feed_type = NewsAtomFeed

    def title(self) -> str:
        return gettext("%(site)s: news") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return gettext("Announcements of %(site)s.") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("news:index")

    def feed_url(self) -> str:
        return reverse("news:feed")

    def items(self) -> list[NewsItem]:
        return list(news_published()[:FEED_ITEMS])

    def _text(self, item: NewsItem) -> NewsItemTranslation:
        return item.translation(get_language())

    def item_title(self, item: NewsItem) -> str:
        return self._text(item).title

    def item_description(self, item: NewsItem) -> str:
        return self._text(item).lead

    def item_link(self, item: NewsItem) -> str:
        return reverse("news:item", kwargs={"slug": item.slug})

    def item_pubdate(self, item: NewsItem) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> datetime | None:
        """The last update (a day, taken at its start), never before the publish time."""
        if item.updated_on is None or item.published_at is None:
            return item.published_at
        updated = datetime.combine(item.updated_on, time(), tzinfo=office_zone())
        return max(updated, item.published_at)

    def item_extra_kwargs(self, item: NewsItem) -> dict[str, Any]:
        text = self._text(item)
        return {"language": text.language, "content": str(render_markdown(text.body))}
