"""Background work of the appointments: thin Celery tasks over the services."""

from celery import shared_task

from .services import reminders_send_due


@shared_task
def send_reminders_task() -> int:
    """Queues the reminders that are due (the working day before each appointment)."""
    return reminders_send_due()
