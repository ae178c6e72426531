"""Reads of topics, with their translations fetched up front."""

from django.db.models import QuerySet

from .models import Topic


def topic_list() -> QuerySet[Topic]:
    """Every topic in site order, translations prefetched."""
    return Topic.objects.prefetch_related("translations")


def topic_get(*, slug: str) -> Topic:
    """One topic with its translations and the institutions that handle it (with theirs).

    Raises ``Topic.DoesNotExist`` when there is no such topic.
    """
    # Through the reverse relation: the directory depends on topics, never the other way.
    return Topic.objects.prefetch_related("translations", "institutions__translations").get(
        slug=slug
    )
