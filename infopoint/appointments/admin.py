"""Advisers and their availability are edited here by the coordinator or by the adviser.

An adviser who is not a coordinator sees and edits only their own profile, availability and
exceptions (the group needs the model permissions; see the report of this app).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from infopoint.accounts.models import User

from .access import sees_all_agendas
from .models import (
    Adviser,
    AdviserTranslation,
    AvailabilityException,
    AvailabilityRule,
    Booking,
    WaitingListEntry,
)


class AdviserTranslationInline(admin.StackedInline):
    model = AdviserTranslation
    extra = 0


class AvailabilityRuleInline(admin.TabularInline):
    model = AvailabilityRule
    extra = 1


class AvailabilityExceptionInline(admin.TabularInline):
    model = AvailabilityException
    extra = 1


class OwnAdviserMixin:
    """Non-coordinators see only what belongs to their own adviser profile."""

    owner_path = "adviser__user"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if sees_all_agendas(request.user):
            return queryset
        return queryset.filter(**{self.owner_path: request.user})


@admin.register(Adviser)
class AdviserAdmin(OwnAdviserMixin, admin.ModelAdmin):
    owner_path = "user"
    list_display = ["__str__", "is_active", "meeting_place", "appointment_minutes"]
    list_filter = ["is_active", "meeting_place"]
    filter_horizontal = ["topics"]
    inlines = [AdviserTranslationInline, AvailabilityRuleInline, AvailabilityExceptionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An adviser keeps their own profile: they cannot move it to, or make one for, anyone else.
        if sees_all_agendas(request.user):
            return super().get_readonly_fields(request, obj)
        return ["user", "is_active"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        if sees_all_agendas(request.user):
            return super().has_add_permission(request)
        user = request.user
        if not isinstance(user, User) or Adviser.objects.filter(user=user).exists():
            return False
        return super().has_add_permission(request)

    def save_model(self, request: HttpRequest, obj: Adviser, form: Any, change: bool) -> None:
        if not sees_all_agendas(request.user):
            obj.user = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


@admin.register(Booking)
class BookingAdmin(OwnAdviserMixin, admin.ModelAdmin):
    list_display = ["starts_at", "adviser", "name", "language", "status"]
    list_filter = ["status", "language", "adviser"]
    date_hierarchy = "starts_at"
    search_fields = ["name", "email", "phone"]
    readonly_fields = ["uid", "sequence", "created_at", "updated_at", "reminder_sent_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Bookings are made through the booking pages, which check the slot and send the mail.
        return False


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(admin.ModelAdmin):
    list_display = ["week", "language", "name", "email", "created_at", "offered_at"]
    list_filter = ["week", "language"]
