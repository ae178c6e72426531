"""Legal-advice appointments: advisers, their availability, bookings and the waiting list.

Times of availability are wall-clock times of the office time zone (Europe/Warsaw by
default); bookings store aware datetimes. Slots are computed, never stored: see ``slots.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from infopoint.core.models import TranslatedModel, Translation, language_choices
from infopoint.hours.models import Weekday


class MeetingPlace(models.TextChoices):
    ROOM = "room", _("In person, in a room")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class Adviser(TranslatedModel):
    """A legal adviser's profile: how long an appointment lasts and where it happens.

    The languages are those the member of staff speaks (``User.languages``). Topics narrow
    the matters the adviser takes; none means every topic.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="adviser_profile",
        verbose_name=_("member of staff"),
    )
    is_active = models.BooleanField(
        _("takes appointments"),
        default=True,
        help_text=_("Untick to stop offering new slots; booked appointments stay."),
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        _("appointment length (minutes)"),
        default=45,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("break after each appointment (minutes)"),
        default=15,
        validators=[MaxValueValidator(120)],
    )
    meeting_place = models.CharField(
        _("where the appointment happens"),
        max_length=12,
        choices=MeetingPlace.choices,
        default=MeetingPlace.ROOM,
    )
    location = models.CharField(
        _("room or address"),
        max_length=200,
        blank=True,
        help_text=_("For appointments in person, e.g. the building and the room number."),
    )
    video_url = models.URLField(_("video call link"), blank=True)
    topics = models.ManyToManyField(
        "topics.Topic",
        blank=True,
        related_name="advisers",
        verbose_name=_("topics"),
        help_text=_("Leave empty to take every topic."),
    )

    class Meta:
        verbose_name = _("legal adviser")
        verbose_name_plural = _("legal advisers")
        ordering = ["user__first_name", "user__last_name", "user__username"]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def languages(self) -> list[str]:
        return list(self.user.languages or [])

    def clean(self) -> None:
        if self.meeting_place == MeetingPlace.VIDEO and not self.video_url:
            raise ValidationError(
                {"video_url": gettext("Give the link of the video call.")}, code="required"
            )
        if self.meeting_place == MeetingPlace.ROOM and not self.location:
            raise ValidationError(
                {"location": gettext("Give the room or the address.")}, code="required"
            )


class AdviserTranslation(Translation):
    """What the person should know about the meeting place, in one language."""

    adviser = models.ForeignKey(Adviser, on_delete=models.CASCADE, related_name="translations")
    note = models.TextField(
        _("note about the meeting"),
        blank=True,
        help_text=_("E.g. how to find the room, or that the adviser will call you."),
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["adviser", "language"], name="adviser_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return self.language


class AvailabilityRule(models.Model):
    """A weekly interval in which the adviser takes appointments, e.g. Tuesday 15:00–19:00."""

    adviser = models.ForeignKey(
        Adviser, on_delete=models.CASCADE, related_name="rules", verbose_name=_("adviser")
    )
    weekday = models.PositiveSmallIntegerField(_("day of the week"), choices=Weekday.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["adviser", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="availability_rule_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    def clean(self) -> None:
        _check_order(self.starts_at, self.ends_at)


class ExceptionKind(models.TextChoices):
    CLOSED = "closed", _("Not available (leave)")
    EXTRA = "extra", _("Extra hours")


class AvailabilityException(models.Model):
    """A date that differs from the weekly pattern: leave (all day or some hours) or extra time."""

    adviser = models.ForeignKey(
        Adviser, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("adviser")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=ExceptionKind.choices)
    starts_at = models.TimeField(
        _("from"), null=True, blank=True, help_text=_("Leave both times empty for the whole day.")
    )
    ends_at = models.TimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("availability exception")
        verbose_name_plural = _("availability exceptions")
        ordering = ["adviser", "date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(starts_at__isnull=True) & Q(ends_at__isnull=True))
                | Q(starts_at__lt=F("ends_at")),
                name="availability_exception_times",
            ),
            models.CheckConstraint(
                condition=~Q(kind="extra") | Q(starts_at__isnull=False),
                name="availability_exception_extra_has_times",
            ),
        ]

    def __str__(self) -> str:
        if self.starts_at and self.ends_at:
            return (
                f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} "
                f"{self.get_kind_display()}"
            )
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self) -> None:
        if (self.starts_at is None) != (self.ends_at is None):
            raise ValidationError(
                gettext("Give both times, or neither for the whole day."), code="times"
            )
        if self.kind == ExceptionKind.EXTRA and self.starts_at is None:
            raise ValidationError({"starts_at": gettext("Give the extra hours.")}, code="required")
        if self.starts_at and self.ends_at:
            _check_order(self.starts_at, self.ends_at)


class BookingStatus(models.TextChoices):
    # Its own context: the staff booking page also says "Booked" for when it was booked.
    BOOKED = "booked", pgettext_lazy("appointment status", "Booked")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED_LATE = "cancelled_late", _("Cancelled late")


# Statuses that keep the adviser's time taken. The database allows one per adviser and start.
OCCUPYING = (BookingStatus.BOOKED, BookingStatus.HELD, BookingStatus.NO_SHOW)
# Outcomes an adviser records after the time of the appointment.
OUTCOMES = (BookingStatus.HELD, BookingStatus.NO_SHOW, BookingStatus.CANCELLED_LATE)


class Booking(models.Model):
    """One appointment with an adviser, booked online by the person or by staff for them."""

    adviser = models.ForeignKey(
        Adviser, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("adviser")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=12,
        choices=language_choices,
        help_text=_("Language of the appointment and of the e-mails."),
    )
    topic = models.ForeignKey(
        "topics.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("topic"),
    )
    description = models.TextField(_("what it is about"), blank=True)
    consent_version = models.CharField(_("consent version"), max_length=40)
    consent_given_at = models.DateTimeField(_("consent given at"))
    enquiry = models.ForeignKey(
        "enquiries.Enquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("enquiry"),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
        help_text=_("The member of staff who booked it; empty when booked online."),
    )
    # Stays the same when the appointment moves, so that calendars update the same event.
    uid = models.CharField(_("calendar UID"), max_length=120, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    # Random key of the form that booked it: a second submission of the same form books nothing.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    outcome_note = models.TextField(
        _("private note"), blank=True, help_text=_("Seen only by advisers and coordinators.")
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outcome recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "adviser"]
        indexes = [
            models.Index(fields=["starts_at", "status"], name="booking_starts_status"),
            models.Index(fields=["uid"], name="booking_uid"),
        ]
        constraints = [
            # The guarantee against double booking, also under concurrent requests.
            models.UniqueConstraint(
                fields=["adviser", "starts_at"],
                condition=Q(status__in=[status.value for status in OCCUPYING]),
                name="booking_one_active_per_adviser_and_start",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="booking_unique_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="booking_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.adviser} – {self.name}"

    @property
    def is_active(self) -> bool:
        return self.status == BookingStatus.BOOKED

    def clean(self) -> None:
        if not self.email and not self.phone:
            raise ValidationError(
                gettext("Give an e-mail address, a phone number or both."), code="contact"
            )
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValidationError(gettext("The appointment must end after it starts."))


class WaitingListEntry(models.Model):
    """Someone who found no free slot in a week; offered the first slot that frees in it."""

    week = models.DateField(_("week starting"), help_text=_("The Monday of the week."))
    language = models.CharField(_("language"), max_length=12, choices=language_choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    offered_at = models.DateTimeField(_("offered a slot at"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        ordering = ["week", "created_at", "pk"]
        indexes = [models.Index(fields=["week", "offered_at"], name="waiting_week_offered")]

    def __str__(self) -> str:
        return f"{self.week:%Y-%m-%d} {self.name}"


def _check_order(starts_at: object, ends_at: object) -> None:
    if starts_at and ends_at and starts_at >= ends_at:  # type: ignore[operator]
        raise ValidationError(
            {"ends_at": gettext("The end must be later than the start.")}, code="inverted"
        )
