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


class TwoFactor(models.Model):
    """A member of staff's authenticator app (TOTP, RFC 6238), on once a first code confirmed it.

    ``last_step`` is the time step of the last code accepted: a code is good for one sign-in.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="two_factor", verbose_name=_("staff member")
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("turned on"))
    last_step = models.BigIntegerField(_("last code's time step"), default=0)

    class Meta:
        verbose_name = _("two-factor authentication")
        verbose_name_plural = _("two-factor authentication")

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """One of the one-time codes that sign in without the authenticator app; only its hash."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("staff member"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.pk}"


class SignInOutcome(models.TextChoices):
    SIGNED_IN = "signed-in", _("Signed in")
    BAD_PASSWORD = "bad-password", _("Wrong user name or password")
    BAD_CODE = "bad-code", _("Wrong authenticator code")
    BAD_RECOVERY_CODE = "bad-recovery-code", _("Wrong or used recovery code")
    LOCKED = "locked", _("Refused: locked out")


class SignInAttempt(models.Model):
    """One try to sign in: what lock-out counts and what the sign-in history shows.

    The address is cut (IPv4 to its /24, IPv6 to its /48): enough to tell an office from an
    attack, not enough to name a home.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    username = models.CharField(_("user name typed"), max_length=150)
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sign_in_attempts",
        verbose_name=_("staff member"),
    )
    address = models.CharField(_("network"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=20, choices=SignInOutcome.choices)

    class Meta:
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["username", "at"], name="sign_in_username_at"),
            models.Index(fields=["address", "at"], name="sign_in_address_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.outcome}"

    @property
    def succeeded(self) -> bool:
        return self.outcome == SignInOutcome.SIGNED_IN
