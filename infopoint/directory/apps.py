from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "infopoint.directory"
    verbose_name = _("Directory of institutions")

    def load_default_content(self) -> int:
        from .defaults import directory_default_content_load

        return directory_default_content_load()
