from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, PasswordChangeForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Role, User
from .services import password_confirm


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("Enter your user name.")},
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none"}
        ),
        error_messages={"required": _("Enter the code from your authenticator app.")},
    )


class SetUpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("The 6 digits the app shows after you added this site."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": _("Enter the 6-digit code from your authenticator app.")},
    )


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=4096,
        strip=False,
        help_text=_("Type your password again to confirm it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password.")},
    )


class StaffPasswordChangeForm(PasswordChangeForm):
    """Django's form, but a wrong old password counts towards the lock-out."""

    def __init__(self, *args: Any, address: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.address = address

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        try:
            password_confirm(user=self.user, password=old_password, address=self.address)
        except ValidationError as error:
            # The service names its field "password"; here the field is "old_password".
            raise ValidationError(error.messages, code="password_incorrect") from None
        return old_password


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _role_choices(*, may_grant_administrator: bool) -> list[tuple[str, Any]]:
    return [
        (value, label)
        for value, label in Role.choices
        if may_grant_administrator or value != Role.ADMINISTRATOR
    ]


class StaffFieldsMixin(forms.Form):
    """Roles and languages as checkboxes; only a superuser may grant the administrator role.

    ``roles`` is not a model field: the admin saves it through ``user_roles_set``, which also
    lets the person into the admin (``is_staff``).
    """

    roles = forms.MultipleChoiceField(
        label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Enquiries and appointments in these languages can go to this person."),
    )

    def staff_fields_init(self, *, may_grant_administrator: bool) -> None:
        roles = cast(forms.MultipleChoiceField, self.fields["roles"])
        languages = cast(forms.MultipleChoiceField, self.fields["languages"])
        roles.choices = _role_choices(may_grant_administrator=may_grant_administrator)
        languages.choices = _language_choices()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial["roles"] = list(
                instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )


class StaffCreationForm(StaffFieldsMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "first_name", "last_name", "email", "languages")

    def __init__(self, *args: Any, may_grant_administrator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_fields_init(may_grant_administrator=may_grant_administrator)


class StaffChangeForm(StaffFieldsMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"

    def __init__(self, *args: Any, may_grant_administrator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff_fields_init(may_grant_administrator=may_grant_administrator)
