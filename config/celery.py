"""The Celery application. With REDIS_URL empty, tasks run inside the web process instead."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("infopoint")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
