from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent, ConsentText, ConsentTextTranslation, DataSubjectRequest


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, in the admin as everywhere."""

    list_display = ("at", "actor_username", "action", "target_type", "target_id", "ip_network")
    list_filter = ("action", "target_type")
    search_fields = ("actor_username", "target_id")
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ConsentTextTranslationInline(admin.StackedInline):
    model = ConsentTextTranslation
    extra = 0
    can_delete = False
    readonly_fields = ("language", "text")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    """Read-only: a version is what people agreed to; a new text needs a new version in code."""

    list_display = ("purpose", "version", "recorded_at")
    list_filter = ("purpose",)
    readonly_fields = ("purpose", "version", "recorded_at")
    inlines = [ConsentTextTranslationInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DataSubjectRequest)
class DataSubjectRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are recorded and handled on the coordinator's pages (/privacy/)."""

    list_display = ("reference", "kind", "status", "received_at", "handled_at")
    list_filter = ("kind", "status")
    search_fields = ("reference",)
    readonly_fields = [field.name for field in DataSubjectRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
