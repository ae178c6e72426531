"""The admin shows enquiries read-only (changes go through the staff screens and services);
reply templates and referrals are edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Enquiry, Referral, ReplyTemplate


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "created_at",
        "status",
        "channel",
        "topic",
        "language",
        "assignee",
        "due_at",
    )
    list_filter = ("status", "channel", "language", "topic", "assignee")
    search_fields = ("reference", "email")
    date_hierarchy = "created_at"
    list_select_related = ("topic", "assignee")
    exclude = ("tracking_token_hash",)
    ordering = ("-created_at",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("topic__translations")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "language", "topic")
    list_filter = ("language", "topic")
    search_fields = ("title", "text")
    list_select_related = ("topic",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("topic__translations")


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("created_at", "enquiry", "institution", "author")
    list_filter = ("institution",)
    search_fields = ("enquiry__reference",)
    list_select_related = ("enquiry", "institution", "author")
    readonly_fields = ("enquiry", "institution", "message", "author", "created_at")
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("institution__translations")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
