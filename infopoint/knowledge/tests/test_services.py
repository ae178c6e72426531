from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from infopoint.knowledge.models import (
    Article,
    ArticleFeedback,
    ArticleRevision,
    ArticleStatus,
    SearchEntry,
    TriageExample,
)
from infopoint.knowledge.search import Mode, search
from infopoint.knowledge.selectors import article_is_stale, articles_stale
from infopoint.knowledge.services import (
    article_feedback_record,
    article_publish,
    article_reviewed,
    article_suggestion_opened_record,
    article_unpublish,
    article_upsert,
    triage_correction_record,
)

from .conftest import ARTICLES


def test_upsert_records_a_revision_and_indexes_published_translations(articles) -> None:
    article = articles["pesel-number"]
    assert article.status == ArticleStatus.PUBLISHED
    assert article.published_at is not None
    revision = ArticleRevision.objects.get(article=article)
    assert revision.snapshot["translations"]["uk"]["title"] == "Номер PESEL"
    assert revision.snapshot["institutions"] == ["city-hall-registration"]
    assert set(SearchEntry.objects.filter(article=article).values_list("language", flat=True)) == {
        "pl",
        "uk",
        "en",
    }
    assert all(entry.embedding for entry in SearchEntry.objects.filter(article=article))


def test_upsert_twice_changes_nothing(articles) -> None:
    revisions = ArticleRevision.objects.count()
    for data in ARTICLES:
        _article, changed = article_upsert(
            reviewed_on=date(2026, 11, 24), status=ArticleStatus.PUBLISHED, **data
        )
        assert not changed
    assert ArticleRevision.objects.count() == revisions


def test_a_changed_text_is_searchable_at_once(articles) -> None:
    assert not search("kangaroo", language="en", mode=Mode.LEXICAL).hits
    data = {**ARTICLES[0]}
    data["translations"] = {
        "en": {**data["translations"]["en"], "body": "A kangaroo needs no PESEL number."}
    }
    _article, changed = article_upsert(reviewed_on=date(2026, 11, 24), **data)
    assert changed
    hits = search("kangaroo", language="en", mode=Mode.LEXICAL).hits
    assert hits[0].slug == "pesel-number"
    assert ArticleRevision.objects.filter(article=articles["pesel-number"]).count() == 2


def test_drafts_are_not_found_until_published(articles) -> None:
    article = articles["school-enrolment"]
    article_unpublish(article=article)
    assert "school-enrolment" not in [hit.slug for hit in search("школа ребёнка").hits]
    assert not SearchEntry.objects.filter(article=article).exists()
    article_publish(article=article)
    assert "school-enrolment" in [hit.slug for hit in search("школа ребёнка").hits]
    notes = list(ArticleRevision.objects.filter(article=article).values_list("note", flat=True))
    assert notes[:2] == ["published", "unpublished"]


def test_publishing_needs_a_text(directory) -> None:
    article, _changed = article_upsert(
        slug="empty", topic_slug="other", reviewed_on=date(2026, 11, 24), translations={}
    )
    assert article.status == ArticleStatus.DRAFT
    with pytest.raises(ValidationError):
        article_publish(article=article)


def test_unknown_institution_and_bad_sources_are_refused(directory) -> None:
    with pytest.raises(ValidationError):
        article_upsert(
            slug="x",
            topic_slug="other",
            reviewed_on=date(2026, 11, 24),
            translations={},
            institution_slugs=["no-such-place"],
        )
    with pytest.raises(ValidationError):
        article_upsert(
            slug="y",
            topic_slug="other",
            reviewed_on=date(2026, 11, 24),
            translations={},
            sources=[{"url": "javascript:alert(1)", "title": "x"}],
        )
    assert not Article.objects.exists()


def test_feedback_counts_per_translation(articles) -> None:
    translation = articles["pesel-number"].translations.get(language="uk")
    article_feedback_record(translation=translation, helpful=True)
    article_feedback_record(translation=translation, helpful=True)
    article_feedback_record(translation=translation, helpful=False)
    article_suggestion_opened_record(translation=translation)
    feedback = ArticleFeedback.objects.get(translation=translation)
    assert (feedback.helpful_yes, feedback.helpful_no, feedback.opened_from_suggestion) == (
        2,
        1,
        1,
    )


@time_machine.travel("2027-12-01 12:00 +01:00")
def test_stale_articles_are_those_not_reviewed_for_a_year(articles, settings) -> None:
    settings.KNOWLEDGE_STALE_MONTHS = 12
    pesel = articles["pesel-number"]
    assert article_is_stale(pesel)
    article_reviewed(article=pesel, reviewed_on=date(2027, 11, 30))
    assert list(articles_stale().values_list("slug", flat=True)) == [
        "school-enrolment",
        "temporary-residence-permit",
    ]
    with pytest.raises(ValidationError):
        article_reviewed(article=pesel, reviewed_on=date(2028, 1, 1))


def test_a_correction_is_kept_for_retraining(directory) -> None:
    example = triage_correction_record(
        text="Де продовжити карту побиту?",
        topic_slug="legal-stay",
        referral_slug="voivodeship-office-foreigners",
        language="uk",
        reference="IP-2026-000001",
    )
    assert TriageExample.objects.get() == example
    with pytest.raises(ValidationError):
        triage_correction_record(text="x", topic_slug="nope", referral_slug=None)
