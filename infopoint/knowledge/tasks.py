from celery import shared_task

from .training import triage_retrain


@shared_task
def triage_retrain_task() -> bool:
    """Retrains the triage topic classifier; deploys it only if it beats the current one."""
    return triage_retrain().deployed
