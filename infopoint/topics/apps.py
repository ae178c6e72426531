from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "infopoint.topics"
    verbose_name = _("Topics")

    def load_default_content(self) -> int:
        from .defaults import topics_default_content_load

        return topics_default_content_load()
