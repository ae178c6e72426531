"""Periodic jobs in the embedded profile, where there is no Celery beat and no worker.

The schedule is Celery's own (``CELERY_BEAT_SCHEDULE``) and each job is the same
Celery task, applied in this thread: one code path for both profiles.
"""

import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

from celery import current_app
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _interval(entry: Mapping[str, Any]) -> float:
    schedule = entry["schedule"]
    seconds = schedule.total_seconds() if hasattr(schedule, "total_seconds") else schedule
    return max(float(seconds), 1.0)


class EmbeddedScheduler(threading.Thread):
    """Runs every entry of a beat schedule at its interval until ``stop`` is set."""

    def __init__(self, schedule: Mapping[str, Mapping[str, Any]]) -> None:
        super().__init__(name="embedded-scheduler", daemon=True)
        self.schedule = schedule
        self.stop_event = threading.Event()

    def run(self) -> None:
        # A worker imports every app's tasks module at start; do the same here.
        current_app.loader.import_default_modules()
        next_run = dict.fromkeys(self.schedule, time.monotonic())
        while not self.stop_event.is_set():
            for name, entry in self.schedule.items():
                if time.monotonic() >= next_run[name]:
                    self.run_entry(name, entry)
                    next_run[name] = time.monotonic() + _interval(entry)
            self.stop_event.wait(1.0)

    def run_entry(self, name: str, entry: Mapping[str, Any]) -> None:
        close_old_connections()
        try:
            current_app.tasks[entry["task"]].apply(args=entry.get("args", ()))
        except Exception:
            # A failing job must not stop the others; it is logged and tried again next time.
            logger.exception("Periodic job %s failed", name)
        finally:
            close_old_connections()

    def stop(self) -> None:
        self.stop_event.set()
