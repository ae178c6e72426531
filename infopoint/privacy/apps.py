from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "infopoint.privacy"
    verbose_name = _("Privacy and audit")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the audit receivers)

    def load_default_content(self) -> int:
        """Stores the consent texts the forms show now, so each version is kept as shown."""
        from .consent import consent_texts_record

        return consent_texts_record()
