from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import DutyShift, SignInAttempt, TwoFactor, User
from .services import two_factor_reset


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


@admin.register(TwoFactor)
class TwoFactorAdmin(admin.ModelAdmin):
    """Lists who uses two-factor sign-in; deleting a row turns it off (a lost phone).

    The secret is never shown: whoever reads it could make the codes.
    """

    list_display = ("user", "confirmed_at")
    fields = ("user", "confirmed_at")
    readonly_fields = ("user", "confirmed_at")
    search_fields = ("user__username",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: TwoFactor) -> None:
        two_factor_reset(user=obj.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TwoFactor]) -> None:
        for two_factor in queryset.select_related("user"):
            two_factor_reset(user=two_factor.user)


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "address", "outcome")
    list_filter = ("outcome",)
    search_fields = ("username", "address")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
