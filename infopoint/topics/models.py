from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation


class Topic(TranslatedModel):
    """A field the point gives information in; enquiries and articles are filed under one."""

    slug = models.SlugField(_("slug"), unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    answer_within_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for the service's default."),
    )
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_topics",
        verbose_name=_("only these staff see its enquiries"),
        help_text=_(
            "For sensitive matters such as violence or discrimination. Leave empty and every "
            "consultant sees the enquiries on this topic."
        ),
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.name if translation else self.slug


class TopicTranslation(Translation):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="translations")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("short description"))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language"], name="topic_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.name
