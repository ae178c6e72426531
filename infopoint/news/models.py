"""News items: announcements with a publish time, a last-update date, and text per language."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation

PICTURE_MAX_BYTES = 3 * 1024 * 1024
PICTURE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]


def picture_size_validator(picture: FieldFile) -> None:
    if picture.size > PICTURE_MAX_BYTES:
        raise ValidationError(
            _("The picture is larger than %(megabytes)s MB. Save it smaller and try again."),
            params={"megabytes": PICTURE_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )


class NewsItemState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")


class NewsItem(TranslatedModel):
    """An announcement; its title, lead, body and picture description live in translations.

    No publish time: a draft. A publish time in the future: scheduled, shown from then on
    without any job having to run.
    """

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=100,
        # An all-digit slug would read as a year of the archive.
        validators=[RegexValidator(r"[a-z]", _("Use at least one letter in the slug."))],
    )
    published_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Empty: a draft. A future time: the item appears on the site from then on."),
    )
    updated_on = models.DateField(
        _("last update"),
        null=True,
        blank=True,
        help_text=_("Set when the facts of the item change; shown beside the publish date."),
    )
    picture = models.ImageField(
        _("picture"),
        upload_to="news/%Y/",
        blank=True,
        width_field="picture_width",
        height_field="picture_height",
        validators=[
            FileExtensionValidator(PICTURE_EXTENSIONS),
            picture_size_validator,
        ],
        help_text=_("JPEG, PNG or WebP, at most 3 MB. Describe it in every language below."),
    )
    picture_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    picture_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    source_url = models.URLField(
        _("source"),
        blank=True,
        max_length=500,
        help_text=_("The official page the item is based on, if any."),
    )
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="+",
        verbose_name=_("see also"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.title if translation else self.slug

    def get_state_display(self) -> str:
        return str(self.state.label)

    def clean(self) -> None:
        if (
            self.published_at is not None
            and self.updated_on is not None
            and self.updated_on < timezone.localdate(self.published_at)
        ):
            raise ValidationError(
                {"updated_on": _("The last update cannot be before the publish date.")}
            )

    @property
    def picture_name(self) -> str:
        """The picture's file name, which its public address ends with."""
        return PurePosixPath(self.picture.name).name if self.picture else ""

    @property
    def state(self) -> NewsItemState:
        if self.published_at is None:
            return NewsItemState.DRAFT
        if self.published_at > timezone.now():
            return NewsItemState.SCHEDULED
        return NewsItemState.PUBLISHED


class NewsItemTranslation(Translation):
    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    lead = models.CharField(
        _("lead"), max_length=400, help_text=_("One or two sentences: what happened, for whom.")
    )
    body = models.TextField(_("body"), help_text=_("Markdown: ## headings, lists, links."))
    picture_alt = models.CharField(
        _("picture description"),
        max_length=250,
        blank=True,
        help_text=_("What the picture shows, for people who cannot see it."),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["news_item", "language"], name="news_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title
