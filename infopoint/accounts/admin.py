from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import DutyShift, User


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("languages",)}))  # type: ignore[misc]
    list_display = ("username", "first_name", "last_name", "email", "is_active")


@admin.register(DutyShift)
class DutyShiftAdmin(admin.ModelAdmin):
    list_display = ("date", "starts_at", "ends_at", "user")
    list_filter = ("date", "user")
    date_hierarchy = "date"
    autocomplete_fields = ("user",)
    ordering = ("-date", "starts_at")
