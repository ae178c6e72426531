"""Triage of incoming enquiries: the knowledge base's suggestion, and the consultant's decision.

Every enquiry, whatever its channel, is triaged after it is saved (``enquiry_triage_queue``,
called by ``services.enquiry_create``): a Celery task after commit, run in the calling process
when there is no broker. A failure is logged and changes nothing: the enquiry is already
safe, and the consultant can ask for the triage again from the enquiry's page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext

from infopoint.core.models import pick_translation
from infopoint.directory.models import Institution
from infopoint.knowledge.consultant import language_confidence
from infopoint.knowledge.models import Article, ArticleStatus, ArticleTranslation
from infopoint.knowledge.services import triage_correction_record
from infopoint.knowledge.triage import triage
from infopoint.topics.models import Topic

from .models import Direction, Enquiry, EnquiryTriage

if TYPE_CHECKING:
    from infopoint.accounts.models import User

logger = logging.getLogger(__name__)

# Sources of the triage examples the desk records for retraining.
SOURCE_CORRECTION = "correction"
SOURCE_CONFIRMATION = "confirmation"


def enquiry_triage_text(*, enquiry: Enquiry) -> str:
    """What the enquirer asked: the first message they wrote, after the subject of a mail."""
    first = (
        enquiry.messages.filter(direction=Direction.IN, automatic=False)
        .order_by("created_at", "pk")
        .values_list("text", flat=True)
        .first()
    ) or ""
    subject = enquiry.subject.strip()
    if subject and subject not in first:
        return f"{subject}\n{first}"
    return first


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))


@transaction.atomic
def enquiry_triage_run(*, enquiry: Enquiry) -> EnquiryTriage:
    """Computes and stores the suggested language, topic, referral and articles of ``enquiry``.

    Running it again replaces the suggestion and keeps the consultant's decision.
    """
    text = enquiry_triage_text(enquiry=enquiry)
    result = triage(text)
    row = EnquiryTriage.objects.select_for_update().filter(enquiry=enquiry).first()
    row = row or EnquiryTriage(enquiry=enquiry)
    row.language = result.language or ""
    row.language_confidence = _unit(language_confidence(text, result.language))
    row.topic = Topic.objects.filter(slug=result.topic).first() if result.topic else None
    row.topic_confidence = _unit(result.topic_confidence) if row.topic else 0.0
    row.referral = (
        Institution.objects.filter(slug=result.referral).first() if result.referral else None
    )
    row.referral_confidence = _unit(result.referral_confidence)
    row.articles = [
        {"slug": slug, "language": language, "score": round(_unit(score), 4)}
        for slug, language, score in result.articles
    ]
    row.created_at = timezone.now()
    row.full_clean()
    row.save()
    return row


def enquiry_triage_queue(*, enquiry: Enquiry) -> None:
    """Triages ``enquiry`` once the calling transaction has committed (never inside it)."""
    from .tasks import enquiry_triage_task

    transaction.on_commit(partial(enquiry_triage_task.delay, enquiry.pk), robust=True)


@transaction.atomic
def enquiry_triage_review(
    *, enquiry: Enquiry, topic: Topic, referral: Institution | None, author: User
) -> EnquiryTriage:
    """A consultant accepts or corrects the suggested topic and referral.

    The topic becomes the enquiry's topic. A new decision is also kept as a triage example
    (a correction when it differs from the suggestion, a confirmation otherwise), so that the
    periodic retraining learns from it; the same decision again records nothing more.
    """
    row = EnquiryTriage.objects.select_for_update().filter(enquiry=enquiry).first()
    row = row or EnquiryTriage(enquiry=enquiry)
    referral_id = referral.pk if referral else None
    new_decision = (
        not row.is_reviewed
        or row.reviewed_topic_id != topic.pk
        or row.reviewed_referral_id != referral_id
    )
    row.reviewed_topic = topic
    row.reviewed_referral = referral
    row.reviewed_by = author
    row.reviewed_at = timezone.now()
    row.full_clean()
    row.save()
    if enquiry.topic_id != topic.pk:
        enquiry.topic = topic
        enquiry.save(update_fields=["topic", "updated_at"])
    if new_decision:
        corrected = row.topic_id != topic.pk or row.referral_id != referral_id
        triage_correction_record(
            text=enquiry_triage_text(enquiry=enquiry),
            topic_slug=topic.slug,
            referral_slug=referral.slug if referral else None,
            language=row.language or enquiry.language,
            reference=enquiry.reference,
            source=SOURCE_CORRECTION if corrected else SOURCE_CONFIRMATION,
        )
    return row


def confidence_words(value: float) -> str:
    """A confidence from 0 to 1 in plain words, for people who do not read percentages."""
    if value >= 0.8:
        return pgettext("confidence", "very likely")
    if value >= 0.5:
        return pgettext("confidence", "likely")
    if value >= 0.25:
        return pgettext("confidence", "possible")
    return pgettext("confidence", "unsure, check it")


# --- reads for the consultant's screen -------------------------------------------------------


@dataclass(frozen=True)
class SuggestedArticle:
    article: Article
    # The text shown: the translation in the language of the answer, or the nearest one.
    text: ArticleTranslation
    score: float
    words: str


@dataclass(frozen=True)
class TriagePanel:
    triage: EnquiryTriage
    language_words: str
    topic_words: str
    referral_words: str
    articles: list[SuggestedArticle] = field(default_factory=list)


def enquiry_triage_panel(*, enquiry: Enquiry) -> TriagePanel | None:
    """The suggestion for ``enquiry`` as the consultant sees it; None before one is computed.

    Articles no longer published are left out.
    """
    row = (
        EnquiryTriage.objects.select_related(
            "topic", "referral", "reviewed_topic", "reviewed_referral", "reviewed_by"
        )
        .filter(enquiry=enquiry)
        .first()
    )
    if row is None:
        return None
    scores = {item["slug"]: float(item["score"]) for item in row.articles if "slug" in item}
    by_slug = {
        article.slug: article
        for article in Article.objects.filter(
            slug__in=scores, status=ArticleStatus.PUBLISHED
        ).prefetch_related("translations")
    }
    articles = []
    for slug, score in scores.items():
        article = by_slug.get(slug)
        text = (
            pick_translation(article.translations.all(), enquiry.preferred_language)
            if article
            else None
        )
        if article is not None and text is not None:
            articles.append(SuggestedArticle(article, text, score, confidence_words(score)))
    return TriagePanel(
        triage=row,
        language_words=confidence_words(row.language_confidence),
        topic_words=confidence_words(row.topic_confidence),
        referral_words=confidence_words(row.referral_confidence),
        articles=articles,
    )
