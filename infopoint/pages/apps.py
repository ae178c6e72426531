from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "infopoint.pages"
    verbose_name = _("Public site")

    def load_default_content(self) -> int:
        from .defaults import pages_default_content_load

        return pages_default_content_load()
