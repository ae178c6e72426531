"""Knowledge-base articles (one row per language), their history, feedback and search index."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation
from infopoint.directory.models import Institution
from infopoint.topics.models import Topic


def sources_errors(sources: object) -> list[str]:
    """What is wrong with an article's list of sources ({"url", "title"} each), if anything."""
    if not isinstance(sources, list):
        return [str(_("Sources must be a list."))]
    validate = URLValidator(schemes=["http", "https"])
    errors = []
    for number, source in enumerate(sources, start=1):
        if not isinstance(source, dict) or not str(source.get("title", "")).strip():
            errors.append(str(_("Source %(number)s needs a url and a title.") % {"number": number}))
            continue
        try:
            validate(str(source.get("url", "")))
        except ValidationError:
            errors.append(
                str(_("Source %(number)s has no valid web address.") % {"number": number})
            )
    return errors


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(TranslatedModel):
    """An answer to a common question, filed under a topic; its text lives in translations."""

    slug = models.SlugField(_("slug"), unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    reviewed_on = models.DateField(
        _("last reviewed"), help_text=_("When someone last checked the facts against the sources.")
    )
    institutions = models.ManyToManyField(
        Institution,
        related_name="articles",
        blank=True,
        verbose_name=_("related institutions"),
    )
    sources = models.JSONField(
        _("sources"),
        default=list,
        blank=True,
        help_text=_('Official pages the facts come from: [{"url": "https://…", "title": "…"}].'),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["slug"]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.title if translation else self.slug

    def clean(self) -> None:
        errors = sources_errors(self.sources)
        if errors:
            raise ValidationError({"sources": errors})

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED


class ArticleTranslation(Translation):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400, help_text=_("One sentence."))
    body = models.TextField(_("body"), help_text=_("Markdown: ## headings, lists, links."))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="article_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """The whole article as it was after one change: who, when, and every field."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    snapshot = models.JSONField(_("snapshot"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article.slug} @ {self.created_at:%Y-%m-%d %H:%M}"


class ArticleFeedback(models.Model):
    """Counters of one translation: "was this helpful?" answers and opens from suggestions."""

    translation = models.OneToOneField(
        ArticleTranslation, on_delete=models.CASCADE, related_name="feedback"
    )
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)
    opened_from_suggestion = models.PositiveIntegerField(_("opened from a suggestion"), default=0)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.translation_id}: +{self.helpful_yes} −{self.helpful_no}"


class SearchEntry(models.Model):
    """What the search index holds for one translation: its lemma keys and its embedding.

    The full-text index itself (FTS5 on SQLite, a tsvector expression on PostgreSQL) is
    built over these rows by the backend; the embedding is float16, ``EMBEDDING_DIM`` wide.
    """

    translation = models.OneToOneField(
        ArticleTranslation, on_delete=models.CASCADE, related_name="search_entry"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    embedding = models.BinaryField(null=True)
    # What the embedding was computed from (model and text), so an unchanged text is not
    # embedded again.
    embedding_key = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [models.Index(fields=["updated_at"], name="knowledge_entry_updated")]

    def __str__(self) -> str:
        return f"{self.article_id}/{self.language}"


class SearchTerm(models.Model):
    """Every term key in the index with the number of entries holding it: typo look-ups
    (pg_trgm or an FTS5 trigram table) and leaving out words nearly every article has."""

    term = models.CharField(max_length=64, unique=True)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class ReferralRule(models.Model):
    """Questions on ``topic`` (or about ``article``) belong to ``institution``.

    Rules are data: the coordinator edits them, and retraining on corrected enquiries sets
    ``weight`` (the share of such questions that were referred there).
    """

    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="referral_rules", verbose_name=_("topic")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referral_rules",
        verbose_name=_("article"),
        help_text=_("Only questions this article answers; empty: every question on the topic."),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referral_rules",
        verbose_name=_("refer to"),
        help_text=_("Empty: such questions are answered here, not referred."),
    )
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        verbose_name = _("referral rule")
        verbose_name_plural = _("referral rules")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "article"], name="referral_rule_unique_article"
            ),
            models.UniqueConstraint(
                fields=["topic"],
                condition=models.Q(article__isnull=True),
                name="referral_rule_unique_topic",
            ),
        ]

    def __str__(self) -> str:
        target = self.institution.slug if self.institution else "—"
        return f"{self.topic.slug}/{self.article.slug if self.article else '*'} → {target}"


class TriageExample(models.Model):
    """A question with its right answer: a consultant's correction, or a reviewed triage."""

    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=12, blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="+", verbose_name=_("topic")
    )
    referral = models.ForeignKey(
        Institution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referral"),
    )
    source = models.CharField(_("source"), max_length=40, default="correction")
    reference = models.CharField(
        _("reference"), max_length=64, blank=True, help_text=_("E.g. the enquiry's reference.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("triage example")
        verbose_name_plural = _("triage examples")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.topic.slug}: {self.text[:40]}"


class TriageModel(models.Model):
    """A trained topic classifier; the deployed one is used by triage."""

    created_at = models.DateTimeField(auto_now_add=True)
    parameters = models.BinaryField()
    topics = models.JSONField(default=list)
    examples = models.PositiveIntegerField(default=0)
    score = models.FloatField(help_text=_("Topic accuracy on the evaluation set."))
    deployed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("triage model")
        verbose_name_plural = _("triage models")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deployed"],
                condition=models.Q(deployed=True),
                name="triage_model_one_deployed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.score:.3f})"


# Longer searches are cut: enough to tell what was looked for, too short to hold a letter.
SEARCH_MISS_QUERY_LENGTH = 200


class SearchMiss(models.Model):
    """How often a search found nothing, per day, language and words searched.

    Counts only, privacy-first: no address, user or session, so a row links to no person.
    The words are normalised (spaces, case) and cut to ``SEARCH_MISS_QUERY_LENGTH``.
    """

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=12)
    query = models.CharField(_("words searched"), max_length=SEARCH_MISS_QUERY_LENGTH)
    count = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("search with no result")
        verbose_name_plural = _("searches with no result")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "query"], name="knowledge_search_miss_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.language}: {self.query} ({self.count})"
