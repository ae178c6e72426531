"""The mail outbox's entry in /healthz: is outgoing mail leaving?"""

from datetime import timedelta

from django.utils import timezone

from infopoint.core.health import HealthCheck

from .selectors import outgoing_message_oldest_unsent_at

# A message still unsent after this long has failed about four tries (1, 2, 4, 8 minutes
# apart) or no worker is running: someone should look before the person waits longer.
OUTBOX_MAX_AGE = timedelta(minutes=15)


def outbox_health() -> HealthCheck:
    oldest = outgoing_message_oldest_unsent_at()
    age = timezone.now() - oldest if oldest else timedelta(0)
    return HealthCheck(
        ok=age <= OUTBOX_MAX_AGE,
        detail={
            "oldest_unsent_seconds": int(age.total_seconds()),
            "limit_seconds": int(OUTBOX_MAX_AGE.total_seconds()),
        },
    )
