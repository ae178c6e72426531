from django.db import models
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation


class Page(TranslatedModel):
    """A page of text the coordinator edits: privacy policy, cookies, accessibility statement."""

    slug = models.SlugField(_("slug"), unique=True)
    updated_on = models.DateField(_("last updated"))

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["slug"]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.title if translation else self.slug


class PageTranslation(Translation):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), help_text=_("Markdown: headings, lists, links."))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="page_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title
