"""A Celery worker killed mid-send (SIGKILL, as by the kernel's OOM killer or a lost
machine): once a new worker runs, every e-mail has arrived exactly once."""

import time
from pathlib import Path

import pytest
from celery import Celery

from .conftest import production_env
from .servers import FaultSmtp, PrivatePostgres, Worker, manage, wait_until

pytestmark = pytest.mark.slow

MAILS = 12
QUEUE_MAIL = f"""
from django.db import transaction
from infopoint.mail.services import mail_queue
with transaction.atomic():
    for number in range({MAILS}):
        mail_queue(to=[f"person{{number}}@example.org"], subject=f"Fault test {{number}}",
                   text="Hello", message_id=f"<fault-{{number}}@example.org>")
"""


def test_every_email_is_sent_exactly_once_after_the_worker_is_killed_mid_send(
    private_postgres: PrivatePostgres, database: str, broker: str, tmp_path: Path
) -> None:
    smtp = FaultSmtp().start()
    smtp.collector.hold_rcpt = 5  # the fifth message stops in mid-conversation
    # timeout=2: a claim lasts 2 s × (10 SMTP steps + 1 recipient) = 22 s.
    env = production_env(
        database_url=private_postgres.url(database),
        data_dir=tmp_path,
        REDIS_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=2",
    )
    beat = Celery(broker=broker)
    workers: list[Worker] = []
    try:
        workers.append(Worker(env, tmp_path / "worker-1.log").wait_ready())
        manage(env, "shell", "-c", QUEUE_MAIL)  # each mail's task goes to Redis at commit
        assert smtp.collector.held.wait(timeout=60), (tmp_path / "worker-1.log").read_text()
        workers[0].kill()  # well within the 2 s the worker waits for the server's answer
        held_at = time.monotonic()
        smtp.collector.release.set()
        assert len(smtp.messages) == 4

        workers.append(Worker(env, tmp_path / "worker-2.log").wait_ready())
        # The new worker takes the tasks still queued. The message that was being sent
        # stays claimed until its claim ends, whatever asks for it meanwhile: here the
        # periodic sweep (beat's job, every minute) every half second. Then the sweep
        # sends it.
        wait_until(
            lambda: "<fault-4@example.org>" in smtp.message_ids(),
            timeout=60,
            every=0.5,
            then=lambda: beat.send_task("infopoint.mail.tasks.send_outbox_task"),
        )
        assert time.monotonic() - held_at > 20  # the claim (22 s, taken just before) held
        wait_until(lambda: len(smtp.messages) >= MAILS, timeout=30)
        time.sleep(2)  # anything sent twice would arrive now
    finally:
        for worker in workers:
            worker.stop()
        smtp.stop()

    assert smtp.message_ids() == {f"<fault-{number}@example.org>": 1 for number in range(MAILS)}
    rows = private_postgres.execute(
        "SELECT status, count(*) FROM mail_outgoingmessage GROUP BY status", database
    )
    assert rows == [("sent", MAILS)]
