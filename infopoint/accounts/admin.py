from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class StaffAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (None, {"fields": ("languages",)}))  # type: ignore[misc]
    list_display = ("username", "first_name", "last_name", "email", "is_active")
