from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "infopoint.mail"
    verbose_name = _("Mail")

    def ready(self) -> None:
        from infopoint.core.health import health_check_register

        from .health import outbox_health

        health_check_register(name="outbox", check=outbox_health)
