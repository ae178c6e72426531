from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "infopoint.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from .views import admin_sign_in

        # One sign-in for the whole site: the admin's page would skip two-factor and lock-out.
        admin.site.login = admin_sign_in  # type: ignore[method-assign]
