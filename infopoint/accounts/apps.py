from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "infopoint.accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_start_on_login
        from .views import admin_sign_in

        # Every way of signing in (these pages, a test's force_login) starts the session clock.
        user_logged_in.connect(session_start_on_login, dispatch_uid="accounts-session-start")

        # One sign-in for the whole site: the admin's page would skip two-factor and lock-out.
        admin.site.login = admin_sign_in  # type: ignore[method-assign]
