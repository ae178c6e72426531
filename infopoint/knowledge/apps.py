from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "infopoint.knowledge"
    verbose_name = _("Knowledge base")

    def load_default_content(self) -> int:
        from .defaults import knowledge_default_content_load

        return knowledge_default_content_load()
