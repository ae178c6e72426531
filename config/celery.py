"""The Celery application. With REDIS_URL empty, tasks run inside the web process instead.

What keeps background work from losing anything is in the settings (CELERY_*, base.py):
tasks are acknowledged only when done and given back when their worker dies, each
worker takes one at a time, and every task is safe to run twice.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("infopoint")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The worker and beat log through Django's LOGGING (JSON lines in production).
app.conf.worker_hijack_root_logger = False
# A broker that is down at start is waited for, as one that goes away later is.
app.conf.broker_connection_retry_on_startup = True
app.autodiscover_tasks()
