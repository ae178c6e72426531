from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "infopoint.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from .cache import watch_content

        watch_content()
