"""Background work of the desk: thin Celery tasks over the services.

Without a broker (the embedded profile) Celery runs them in the calling process.
"""

from __future__ import annotations

import logging

from celery import shared_task

from .models import Enquiry
from .triage import enquiry_triage_run

logger = logging.getLogger(__name__)


@shared_task
def enquiry_triage_task(pk: int) -> bool:
    """Triages one enquiry. A failure is logged: intake has already succeeded without it."""
    enquiry = Enquiry.objects.filter(pk=pk).first()
    if enquiry is None:
        return False
    try:
        enquiry_triage_run(enquiry=enquiry)
    except Exception:
        logger.exception("The triage of enquiry %s failed.", pk)
        return False
    return True
