"""Background work of privacy: thin Celery tasks over the services."""

from celery import shared_task

from .retention import retention_run


@shared_task
def retention_task() -> dict[str, int]:
    """Anonymises every record whose retention period has ended (daily)."""
    return retention_run().counts()
