from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Staff roles; each is a permission group of the same name."""

    CONSULTANT = "consultant", _("Consultant")
    ADVISER = "adviser", _("Legal adviser")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A member of staff. The public has no accounts."""

    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        help_text=_("Language codes, e.g. pl, uk: enquiries in these languages can go to them."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


# Roles that work the enquiry desk: they see the inbox and answer enquiries.
DESK_ROLES: tuple[str, ...] = (Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR)


class DutyShift(models.Model):
    """One member of staff on duty at the desk on one day, from a time to a time (office zone).

    The languages covered are those the member of staff speaks (``User.languages``), so the
    roster answers both "who can take this enquiry now?" and "which languages today?".
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="duty_shifts", verbose_name=_("staff member")
    )
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("shift starts"))
    ends_at = models.TimeField(_("shift ends"))

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty roster")
        ordering = ["date", "starts_at", "user"]
        indexes = [models.Index(fields=["date", "starts_at"], name="duty_shift_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="duty_shift_starts_before_end",
            ),
            models.UniqueConstraint(
                fields=["user", "date", "starts_at"], name="duty_shift_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError(
                {"ends_at": gettext("The shift must end after it starts.")}, code="inverted"
            )
