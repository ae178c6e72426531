from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .forms import StaffChangeForm, StaffCreationForm
from .models import DutyShift, Role, SignInAttempt, TwoFactor, User
from .services import two_factor_reset, user_roles_set

_PERSON = (None, {"fields": ("username", "password")})
_DETAILS = (_("Personal info"), {"fields": ("first_name", "last_name", "email")})
_WORK = (_("Work"), {"fields": ("is_active", "roles", "languages")})
_DATES = (_("Important dates"), {"fields": ("last_login", "date_joined")})


@admin.register(User)
class StaffAdmin(UserAdmin):
    """Staff accounts. A coordinator adds and edits staff and their roles and languages, but
    only a superuser sees or sets superuser status, single permissions or the administrator
    role, and only a superuser edits a superuser or an administrator: no one can raise
    themselves or anyone else above their own rights."""

    form = StaffChangeForm
    add_form = StaffCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        _DETAILS,
        (_("Work"), {"fields": ("roles", "languages")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active")
    list_filter = ("is_active", "groups")
    readonly_fields = ("last_login", "date_joined")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        if request.user.is_superuser:
            superuser = (
                _("Permissions"),
                {"fields": ("is_staff", "is_superuser", "user_permissions")},
            )
            return (_PERSON, _DETAILS, _WORK, superuser, _DATES)
        return (_PERSON, _DETAILS, _WORK, _DATES)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        may_grant = bool(request.user.is_superuser)

        class RequestForm(form_class):  # type: ignore[valid-type,misc]
            def __init__(self, *args: Any, **inner: Any) -> None:
                super().__init__(*args, may_grant_administrator=may_grant, **inner)

        return RequestForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.exclude(Q(is_superuser=True) | Q(groups__name=Role.ADMINISTRATOR))

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        roles = list(form.cleaned_data.get("roles", []))
        if (
            not request.user.is_superuser
            and form.instance.groups.filter(name=Role.ADMINISTRATOR).exists()
        ):
            roles.append(Role.ADMINISTRATOR)  # never taken away by someone who cannot give it
        user_roles_set(user=form.instance, roles=roles)


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
