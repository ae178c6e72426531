from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HoursConfig(AppConfig):
    name = "infopoint.hours"
    verbose_name = _("Opening hours")

    def load_default_content(self) -> int:
        from .defaults import hours_default_content_load

        return hours_default_content_load()
