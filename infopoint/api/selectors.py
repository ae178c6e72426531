"""Reads the API needs that the apps' selectors do not offer in this shape yet.

Each composes the owning app's models the way its own selectors do (translations prefetched),
so a page costs the same few queries whatever its length.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from infopoint.directory.models import Institution
from infopoint.knowledge.models import Article, ArticleStatus
from infopoint.topics.models import Topic


def article_published_list(*, topic: Topic | None = None) -> QuerySet[Article]:
    """Published articles, by slug, with translations, topic and institutions fetched."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if topic is not None:
        articles = articles.filter(topic=topic)
    return (
        articles.select_related("topic")
        .prefetch_related(
            "translations",
            Prefetch("institutions", queryset=Institution.objects.only("pk", "slug")),
        )
        .order_by("slug")
    )
