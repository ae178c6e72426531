"""Reads of the knowledge base, with their relations fetched in the same few queries."""

from __future__ import annotations

import calendar
from collections.abc import Collection, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from infopoint.core.models import fallback_order, pick_translation
from infopoint.directory.models import Institution
from infopoint.topics.models import Topic

from .models import Article, ArticleStatus, ArticleTranslation
from .snippets import snippet

if TYPE_CHECKING:
    from .search.engine import ArticleHit, Scored


def _with_relations(queryset: QuerySet[Article]) -> QuerySet[Article]:
    return queryset.select_related("topic").prefetch_related(
        "translations",
        "topic__translations",
        Prefetch("institutions", queryset=Institution.objects.prefetch_related("translations")),
    )


def article_published_get(*, slug: str) -> Article | None:
    """The published article ``slug`` with its translations, topic and institutions, or None."""
    return _with_relations(
        Article.objects.filter(slug=slug, status=ArticleStatus.PUBLISHED)
    ).first()


def article_list_for_topic(*, topic: Topic) -> list[Article]:
    """Published articles on a topic, with their translations (for the topic page)."""
    return list(
        Article.objects.filter(topic=topic, status=ArticleStatus.PUBLISHED)
        .prefetch_related("translations")
        .order_by("slug")
    )


def article_translation_get(*, article: Article, language: str) -> ArticleTranslation | None:
    return next((row for row in article.translations.all() if row.language == language), None)


def stale_before(today: date | None = None) -> date:
    """Articles last reviewed before this day are stale (KNOWLEDGE_STALE_MONTHS)."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.KNOWLEDGE_STALE_MONTHS
    year, month = divmod(months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return today.replace(year=year, month=month, day=min(today.day, last_day))


def article_is_stale(article: Article, today: date | None = None) -> bool:
    return article.reviewed_on < stale_before(today)


def articles_stale(*, today: date | None = None) -> QuerySet[Article]:
    """Articles not reviewed for KNOWLEDGE_STALE_MONTHS months, oldest review first."""
    return (
        Article.objects.filter(reviewed_on__lt=stale_before(today))
        .select_related("topic")
        .prefetch_related("translations")
        .order_by("reviewed_on", "slug")
    )


def article_hits_for_display(
    scored: Sequence[Scored], *, language: str | None, keys: Collection[str] = ()
) -> list[ArticleHit]:
    """Ranked articles with the text to show: the visitor's language, else a marked fallback."""
    from .search.engine import ArticleHit

    if not scored:
        return []
    articles = (
        Article.objects.filter(
            pk__in=[item.article_id for item in scored], status=ArticleStatus.PUBLISHED
        )
        .select_related("topic")
        .prefetch_related("translations")
    )
    by_id = {article.pk: article for article in articles}
    requested = fallback_order(language)[0]
    hits = []
    for item in scored:
        article = by_id.get(item.article_id)
        if article is None:
            continue
        translation = pick_translation(article.translations.all(), requested)
        if translation is None:
            continue
        hits.append(
            ArticleHit(
                article_id=article.pk,
                slug=article.slug,
                topic_slug=article.topic.slug,
                score=round(item.score, 4),
                lexical=round(item.lexical, 4),
                semantic=round(item.semantic, 4),
                language=translation.language,
                languages=article.available_languages(),
                title=translation.title,
                summary=translation.summary,
                snippet=snippet(translation.body, translation.summary, translation.language, keys),
                is_fallback=translation.language != requested,
                article=article,
            )
        )
    return hits
