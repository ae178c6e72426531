import threading
from datetime import timedelta

from celery import shared_task

from infopoint.core.scheduler import EmbeddedScheduler

calls: list[str] = []
ran = threading.Event()


@shared_task(name="infopoint.core.tests.record")
def record(label: str) -> None:
    calls.append(label)
    ran.set()


@shared_task(name="infopoint.core.tests.explode")
def explode() -> None:
    raise RuntimeError("a failing job")


def test_scheduler_runs_jobs_in_the_background_past_a_failing_one() -> None:
    calls.clear()
    ran.clear()
    scheduler = EmbeddedScheduler(
        {
            "explode": {"task": "infopoint.core.tests.explode", "schedule": 60},
            "record": {
                "task": "infopoint.core.tests.record",
                "schedule": timedelta(minutes=1),
                "args": ("mail",),
            },
        }
    )
    scheduler.start()
    try:
        assert ran.wait(timeout=10), "the job did not run"
    finally:
        scheduler.stop()
        scheduler.join(timeout=10)
    assert calls == ["mail"]
    assert not scheduler.is_alive()
