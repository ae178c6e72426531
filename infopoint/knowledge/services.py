"""Every write to the knowledge base goes through here; each change is recorded and indexed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from infopoint.core.translations import translations_upsert
from infopoint.directory.models import Institution
from infopoint.hours.calendar import office_zone
from infopoint.topics.models import Topic

from .models import (
    SEARCH_MISS_QUERY_LENGTH,
    Article,
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    ArticleTranslation,
    ReferralRule,
    SearchMiss,
    TriageExample,
)
from .search import index_update

TRANSLATED_FIELDS = ("title", "summary", "body")


def article_snapshot(article: Article) -> dict[str, Any]:
    """Every field of the article and its translations, as JSON-ready data."""
    return {
        "slug": article.slug,
        "topic": article.topic.slug,
        "status": article.status,
        "reviewed_on": article.reviewed_on.isoformat(),
        "institutions": sorted(article.institutions.values_list("slug", flat=True)),
        "sources": article.sources,
        "translations": {
            row.language: {field: getattr(row, field) for field in TRANSLATED_FIELDS}
            for row in article.translations.order_by("language")
        },
    }


def _institutions_by_slug(slugs: Iterable[str]) -> list[Institution]:
    slugs = list(dict.fromkeys(slugs))
    institutions = list(Institution.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {institution.slug for institution in institutions})
    if missing:
        raise ValidationError(
            _("No institution with the slug %(slugs)s."), params={"slugs": ", ".join(missing)}
        )
    return institutions


def _topic_by_slug(slug: str) -> Topic:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise ValidationError(_("No topic with the slug %(slug)s."), params={"slug": slug})
    return topic


@transaction.atomic
def article_changed(*, article: Article, author: Any = None, note: str = "") -> ArticleRevision:
    """Records the article as it now is and brings the search index in step with it.

    Every other service calls it after a change; the admin calls it after saving its forms.
    """
    revision = ArticleRevision(
        article=article,
        snapshot=article_snapshot(article),
        author=author if getattr(author, "pk", None) else None,
        note=note[:200],
    )
    revision.full_clean()
    revision.save()
    index_update(article)
    return revision


@transaction.atomic
def article_upsert(
    *,
    slug: str,
    topic_slug: str,
    reviewed_on: date,
    translations: Mapping[str, Mapping[str, str]],
    institution_slugs: Iterable[str] = (),
    sources: Sequence[Mapping[str, str]] = (),
    status: str | None = None,
    author: Any = None,
    note: str = "",
) -> tuple[Article, bool]:
    """Creates the article ``slug`` or brings every given field to the given value.

    ``translations`` maps a language code to {"title", "summary", "body"}; languages not named
    are left alone. ``status`` None keeps the article's status (a new one is a draft). Nothing
    is saved when nothing differs; otherwise a revision is recorded and the index updated.
    Returns the article and whether anything was created or changed.
    """
    topic = _topic_by_slug(topic_slug)
    institutions = _institutions_by_slug(institution_slugs)
    values: dict[str, Any] = {
        "topic": topic,
        "reviewed_on": reviewed_on,
        "sources": [{"url": source["url"], "title": source["title"]} for source in sources],
    }
    if status is not None:
        values["status"] = status
    article = Article.objects.filter(slug=slug).first()
    changed = False
    if article is None:
        article = Article(slug=slug, **values)
        if article.status == ArticleStatus.PUBLISHED:
            article.published_at = timezone.now()
        article.full_clean()
        article.save()
        changed = True
    else:
        update_fields = [name for name, value in values.items() if getattr(article, name) != value]
        if update_fields:
            for name in update_fields:
                setattr(article, name, values[name])
            if article.status == ArticleStatus.PUBLISHED and article.published_at is None:
                article.published_at = timezone.now()
                update_fields.append("published_at")
            article.full_clean()
            article.save(update_fields=[*update_fields, "updated_at"])
            changed = True
    wanted = {institution.pk for institution in institutions}
    if set(article.institutions.values_list("pk", flat=True)) != wanted:
        article.institutions.set(institutions)
        changed = True
    cleaned = {
        code: {field: str(fields.get(field, "")).strip() for field in TRANSLATED_FIELDS}
        for code, fields in translations.items()
    }
    changed = translations_upsert(instance=article, translations=cleaned) > 0 or changed
    if changed:
        article_changed(article=article, author=author, note=note)
    return article, changed


@transaction.atomic
def article_publish(*, article: Article, author: Any = None) -> Article:
    """Makes the article visible and searchable; it needs at least one translation."""
    if not article.translations.exists():
        raise ValidationError(_("An article needs a text in at least one language."))
    if article.status == ArticleStatus.PUBLISHED:
        return article
    article.status = ArticleStatus.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.full_clean()
    article.save(update_fields=["status", "published_at", "updated_at"])
    article_changed(article=article, author=author, note="published")
    return article


@transaction.atomic
def article_unpublish(*, article: Article, author: Any = None) -> Article:
    """Takes the article back to draft: off the site and out of search."""
    if article.status == ArticleStatus.DRAFT:
        return article
    article.status = ArticleStatus.DRAFT
    article.full_clean()
    article.save(update_fields=["status", "updated_at"])
    article_changed(article=article, author=author, note="unpublished")
    return article


@transaction.atomic
def article_reviewed(*, article: Article, reviewed_on: date, author: Any = None) -> Article:
    """Records that someone checked the article's facts against its sources on ``reviewed_on``."""
    if reviewed_on > timezone.localdate():
        raise ValidationError(_("The review date cannot be in the future."))
    if article.reviewed_on != reviewed_on:
        article.reviewed_on = reviewed_on
        article.full_clean()
        article.save(update_fields=["reviewed_on", "updated_at"])
        article_changed(article=article, author=author, note="reviewed")
    return article


def _feedback_increment(translation: ArticleTranslation, field: str) -> None:
    feedback, _created = ArticleFeedback.objects.get_or_create(translation=translation)
    ArticleFeedback.objects.filter(pk=feedback.pk).update(**{field: F(field) + 1})


@transaction.atomic
def article_feedback_record(*, translation: ArticleTranslation, helpful: bool) -> None:
    """Counts one "was this helpful?" answer for the translation the reader saw."""
    _feedback_increment(translation, "helpful_yes" if helpful else "helpful_no")


@transaction.atomic
def article_suggestion_opened_record(*, translation: ArticleTranslation) -> None:
    """Counts one opening of the article from a suggestion shown beside the enquiry form."""
    _feedback_increment(translation, "opened_from_suggestion")


# Six digits or more in a row: a PESEL, a phone or a document number, never a search word.
LONG_NUMBER = re.compile(r"\d{6,}")


def search_miss_query(text: str) -> str:
    """The words as a miss is counted: one space between words, case folded, cut short.

    Control characters become spaces: they mean nothing, and spreadsheets refuse them.
    """
    printable = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    # What looks like a person's own number or address (PESEL, phone, e-mail) is not kept.
    kept = ["…@…" if "@" in word else LONG_NUMBER.sub("…", word) for word in printable.split()]
    return " ".join(kept).casefold()[:SEARCH_MISS_QUERY_LENGTH].rstrip()


@transaction.atomic
def search_miss_record(*, query: str, language: str, day: date | None = None) -> None:
    """Counts one search in ``language`` that found nothing; nothing for empty words.

    ``day`` defaults to today in the office's calendar. Nothing about who searched is kept.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language: {language!r}")
    words = search_miss_query(query)
    if not words:
        return
    day = day or timezone.localdate(timezone.now(), office_zone())
    row = SearchMiss.objects.filter(day=day, language=language, query=words)
    if row.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            SearchMiss.objects.create(day=day, language=language, query=words, count=1)
    except IntegrityError:
        # Another request created the row since our update: count on it.
        row.update(count=F("count") + 1)


@transaction.atomic
def referral_rule_set(
    *,
    topic_slug: str,
    institution_slug: str | None,
    article_slug: str | None = None,
    weight: float = 1.0,
) -> tuple[ReferralRule, bool]:
    """Questions on the topic (or answered by the article) are referred to the institution.

    ``institution_slug`` None records that such questions are not referred. Returns the rule
    and whether it was created or changed.
    """
    topic = _topic_by_slug(topic_slug)
    article = Article.objects.filter(slug=article_slug).first() if article_slug else None
    if article_slug and article is None:
        raise ValidationError(
            _("No article with the slug %(slug)s."), params={"slug": article_slug}
        )
    institution = _institutions_by_slug([institution_slug])[0] if institution_slug else None
    rule = ReferralRule.objects.filter(topic=topic, article=article).first()
    if rule is None:
        rule = ReferralRule(topic=topic, article=article, institution=institution, weight=weight)
        rule.full_clean(validate_constraints=False)
        rule.save()
        return rule, True
    if rule.institution_id == (institution.pk if institution else None) and rule.weight == weight:
        return rule, False
    rule.institution = institution
    rule.weight = weight
    rule.full_clean(validate_constraints=False)
    rule.save(update_fields=["institution", "weight"])
    return rule, True


@transaction.atomic
def triage_correction_record(
    *,
    text: str,
    topic_slug: str,
    referral_slug: str | None,
    language: str = "",
    reference: str = "",
    source: str = "correction",
) -> TriageExample:
    """Keeps a question with the topic and referral a consultant chose, for retraining.

    The enquiry desk calls it when a consultant corrects (or confirms) a suggested triage;
    ``knowledge`` never reads enquiries itself.
    """
    example = TriageExample(
        text=text[:20_000],
        language=language,
        topic=_topic_by_slug(topic_slug),
        referral=_institutions_by_slug([referral_slug])[0] if referral_slug else None,
        source=source,
        reference=reference,
    )
    example.full_clean()
    example.save()
    return example
