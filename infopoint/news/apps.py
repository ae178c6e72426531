from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "infopoint.news"
    verbose_name = _("News")

    def load_default_content(self) -> int:
        from .defaults import news_default_content_load

        return news_default_content_load()
