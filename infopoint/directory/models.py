from django.db import models
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation
from infopoint.hours.models import Schedule
from infopoint.topics.models import Topic


class InstitutionKind(models.TextChoices):
    INFORMATION_POINT = "information-point", _("Information point")
    PUBLIC_OFFICE = "public-office", _("Public office")
    ADVISORY_POINT = "advisory-point", _("Advice point")
    ORGANISATION = "organisation", _("Organisation")
    HELPLINE = "helpline", _("Helpline")


class Institution(TranslatedModel):
    """An institution or organisation people can be referred to; the point itself is one too."""

    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phones = models.JSONField(_("phone numbers"), default=list, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Only an address the institution publishes itself.")
    )
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("Language codes, e.g. pl, uk.")
    )
    topics = models.ManyToManyField(
        Topic, related_name="institutions", blank=True, verbose_name=_("topics")
    )
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("opening hours"),
    )
    source_url = models.URLField(_("source"), help_text=_("Official page the facts come from."))
    reviewed_on = models.DateField(_("last reviewed"))

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.name if translation else self.slug


class InstitutionTranslation(Translation):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="translations"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what they do"), blank=True)
    rooms = models.CharField(_("rooms and floor"), max_length=300, blank=True)
    hours_note = models.CharField(
        _("note on hours or contact"),
        max_length=300,
        blank=True,
        help_text=_("E.g. languages on the hotline by day, or how to book."),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "language"], name="institution_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.name
