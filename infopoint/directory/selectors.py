"""Reads of the directory, with translations, topics and opening hours fetched up front."""

from django.db.models import Prefetch, QuerySet

from infopoint.topics.models import Topic

from .models import Institution


def _institutions() -> QuerySet[Institution]:
    return Institution.objects.select_related("schedule").prefetch_related(
        "translations",
        Prefetch("topics", queryset=Topic.objects.prefetch_related("translations")),
        "schedule__weekly_hours",
    )


def institution_list(*, topic: Topic | None = None) -> QuerySet[Institution]:
    """Institutions in directory order, or only those handling ``topic``.

    Translations, topics (with theirs) and weekly hours are prefetched, the schedule joined.
    """
    institutions = _institutions()
    if topic is not None:
        institutions = institutions.filter(topics=topic)
    return institutions


def institution_get(*, slug: str) -> Institution:
    """One institution, fetched like the list. Raises ``Institution.DoesNotExist``."""
    return _institutions().get(slug=slug)
