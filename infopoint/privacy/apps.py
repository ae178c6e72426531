from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _consent_texts_record(**kwargs: Any) -> None:
    from .consent import consent_texts_record

    consent_texts_record()


class PrivacyConfig(AppConfig):
    name = "infopoint.privacy"
    verbose_name = _("Privacy and audit")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the audit receivers)

        # Every deployment migrates: the consent texts it shows are stored before anyone sees them.
        post_migrate.connect(_consent_texts_record, sender=self, dispatch_uid="privacy_consent")

    def load_default_content(self) -> int:
        """Stores the consent texts the forms show now, so each version is kept as shown."""
        from .consent import consent_texts_record

        return consent_texts_record()
