"""Suggestions beside the enquiry form, and how often they answer the question (deflection).

While someone types a question, articles that may answer it are shown (``suggestions_for``).
Each opening of one is counted through the desk (``suggestion_opened_record``) with the form's
*visit*: a random id the form carries in a hidden field (no cookie, no personal data). When
the enquiry is sent from that form, the visit's openings are marked as followed by an enquiry
(``suggestion_visit_submitted``).

The rule: a visit in which a suggestion was opened is *abandoned* when no enquiry was sent
from the same form within DEFLECTION_WINDOW after its last opening (the person probably found
the answer, or gave up); it is *pending* until the window has passed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from infopoint.core.models import pick_translation
from infopoint.knowledge.models import Article
from infopoint.knowledge.search import ArticleHit, search

from .models import SuggestionOpening

DEFLECTION_WINDOW = timedelta(hours=24)
SUGGESTIONS = 3
# A suggestion is only worth showing once a few words are typed, and only a good match.
MIN_CHARACTERS = 12
MIN_SCORE = 0.35
# What is searched of a long question (its start says what it is about; it fits in a URL).
MAX_CHARACTERS = 500


def suggestions_for(*, text: str, language: str) -> list[ArticleHit]:
    """Up to SUGGESTIONS published articles that may answer ``text``, shown in ``language``."""
    text = (text or "")[:MAX_CHARACTERS]
    if len(text.strip()) < MIN_CHARACTERS:
        return []
    return search(text, language=language, limit=SUGGESTIONS, min_score=MIN_SCORE).hits


def visit_parse(value: object) -> uuid.UUID | None:
    """The form's visit id, or None when it is missing or not a UUID."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@transaction.atomic
def suggestion_opened_record(
    *, visit: uuid.UUID, article_slug: str, language: str, at: datetime | None = None
) -> SuggestionOpening:
    """Counts one opening of a suggested article from the enquiry form of ``visit``."""
    opening = SuggestionOpening(
        visit=visit, article_slug=article_slug, language=language, opened_at=at or timezone.now()
    )
    opening.full_clean()
    opening.save()
    return opening


@transaction.atomic
def suggestion_visit_submitted(*, visit: uuid.UUID, at: datetime | None = None) -> int:
    """An enquiry was sent from the form of ``visit``: its recent openings were not abandoned.

    Returns how many openings it marks (those within DEFLECTION_WINDOW before ``at``).
    """
    at = at or timezone.now()
    return SuggestionOpening.objects.filter(
        visit=visit, submitted_at__isnull=True, opened_at__gte=at - DEFLECTION_WINDOW
    ).update(submitted_at=at)


@dataclass(frozen=True)
class ArticleDeflection:
    slug: str
    openings: int
    abandoned: int


@dataclass(frozen=True)
class DeflectionCounts:
    """Visits of the enquiry form in which a suggestion was opened, and what followed."""

    openings: int = 0
    visits: int = 0
    submitted: int = 0
    abandoned: int = 0
    pending: int = 0
    articles: list[ArticleDeflection] = field(default_factory=list)

    @property
    def abandoned_share(self) -> float | None:
        """Abandoned visits among those decided (pending ones left out); None before any."""
        decided = self.submitted + self.abandoned
        return self.abandoned / decided if decided else None


def deflection_counts(
    *, since: datetime | None = None, now: datetime | None = None
) -> DeflectionCounts:
    """The counts of suggestions opened since ``since`` (all when None), by the rule above."""
    now = now or timezone.now()
    openings = SuggestionOpening.objects.all()
    if since is not None:
        openings = openings.filter(opened_at__gte=since)
    visits = list(
        openings.values("visit").annotate(
            last=Max("opened_at"), sent=Count("pk", filter=Q(submitted_at__isnull=False))
        )
    )
    submitted = {row["visit"] for row in visits if row["sent"]}
    abandoned = {
        row["visit"] for row in visits if not row["sent"] and row["last"] <= now - DEFLECTION_WINDOW
    }
    per_article: dict[str, list[int]] = {}
    for slug, visit in openings.values_list("article_slug", "visit"):
        counts = per_article.setdefault(slug, [0, 0])
        counts[0] += 1
        counts[1] += visit in abandoned
    return DeflectionCounts(
        openings=sum(counts[0] for counts in per_article.values()),
        visits=len(visits),
        submitted=len(submitted),
        abandoned=len(abandoned),
        pending=len(visits) - len(submitted) - len(abandoned),
        articles=sorted(
            (ArticleDeflection(slug, opened, gone) for slug, (opened, gone) in per_article.items()),
            key=lambda row: (-row.openings, row.slug),
        ),
    )


def article_titles(*, slugs: list[str], language: str) -> dict[str, str]:
    """The title of each article in ``language`` (or the nearest translation), by slug."""
    titles = {}
    for article in Article.objects.filter(slug__in=slugs).prefetch_related("translations"):
        text = pick_translation(article.translations.all(), language)
        titles[article.slug] = text.title if text is not None else article.slug
    return titles
