"""Opening-hours data. The rules that read it live in ``calendar.py``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Schedule(models.Model):
    """The opening hours of one place: the point itself, or an institution of the directory."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("opening-hours schedule")
        verbose_name_plural = _("opening-hours schedules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WeeklyHours(models.Model):
    """One opening interval on a day of the week; a day may have several (e.g. a lunch break)."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="weekly_hours", verbose_name=_("schedule")
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["schedule", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="weekly_hours_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        _check_opens_before_closes(self.opens, self.closes)


class Closure(TranslatedModel):
    """Whole days on which a place is closed, beyond public holidays."""

    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        verbose_name=_("schedule"),
        help_text=_("Leave empty to close every place in the calendar."),
    )
    starts_on = models.DateField(_("first day closed"))
    ends_on = models.DateField(_("last day closed"))

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="closure_starts_before_it_ends"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError(
                {"ends_on": gettext("The last day closed cannot be before the first day closed.")}
            )


class ClosureTranslation(Translation):
    closure = models.ForeignKey(Closure, on_delete=models.CASCADE, related_name="translations")
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["closure", "language"], name="closure_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class ChangedHours(models.Model):
    """Hours that replace the weekly ones on one date (several rows make a split day)."""

    schedule = models.ForeignKey(
        Schedule, on_delete=models.CASCADE, related_name="changed_hours", verbose_name=_("schedule")
    )
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("changed hours")
        verbose_name_plural = _("changed hours")
        ordering = ["-date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="changed_hours_opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        _check_opens_before_closes(self.opens, self.closes)


class NoticeLevel(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Important")


class ServiceNotice(TranslatedModel):
    """A notice shown on every public page while in force, e.g. "online and phone only"."""

    key = models.SlugField(
        _("key"),
        blank=True,
        help_text=_("Optional. Lets the default content find this notice again to update it."),
    )
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(
        _("shown until"), null=True, blank=True, help_text=_("Leave empty: until further notice.")
    )
    level = models.CharField(
        _("level"), max_length=10, choices=NoticeLevel.choices, default=NoticeLevel.INFO
    )

    class Meta:
        verbose_name = _("service notice")
        verbose_name_plural = _("service notices")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__lt=F("ends_at")),
                name="service_notice_starts_before_it_ends",
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="service_notice_unique_key"
            ),
        ]

    def __str__(self) -> str:
        translation = self.translation()
        return translation.title if translation else str(self.starts_at)

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": gettext("A notice must end after it starts.")})


class ServiceNoticeTranslation(Translation):
    notice = models.ForeignKey(ServiceNotice, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "language"], name="service_notice_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.title


def _check_opens_before_closes(opens: object, closes: object) -> None:
    if opens is not None and closes is not None and opens >= closes:  # type: ignore[operator]
        raise ValidationError({"closes": gettext("Closing time must be later than opening time.")})
