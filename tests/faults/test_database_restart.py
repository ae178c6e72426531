"""PostgreSQL restarted while a worker reads the mailbox and sends the acknowledgements:
afterwards every e-mail has become exactly one enquiry, and every acknowledgement has
arrived exactly once. A private cluster is restarted, never the shared server."""

from pathlib import Path

import pytest
from celery import Celery

from tests.mailservers import ImapTestMailbox

from .conftest import production_env
from .servers import FaultSmtp, PrivatePostgres, Worker, wait_until

pytestmark = pytest.mark.slow

MAILS = 10


def incoming(number: int) -> bytes:
    return (
        f"From: Person {number} <person{number}@example.org>\r\n"
        "To: info-point@example.invalid\r\n"
        f"Subject: Residence permit question {number}\r\n"
        f"Message-ID: <restart-{number}@example.org>\r\n"
        "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Hello, how long does my residence permit application take? Question {number}.\r\n"
    ).encode()


def test_a_database_restart_loses_and_doubles_nothing(
    private_postgres: PrivatePostgres,
    database: str,
    broker: str,
    imap_server: ImapTestMailbox,
    tmp_path: Path,
) -> None:
    for number in range(MAILS):
        imap_server.append(incoming(number))
    smtp = FaultSmtp().start()
    smtp.collector.delay = 0.3  # sending takes a while, so the restart finds some in flight
    env = production_env(
        database_url=private_postgres.url(database),
        data_dir=tmp_path,
        REDIS_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}?timeout=5",
        IMAP_URL=imap_server.url,
    )
    beat = Celery(broker=broker)
    log = tmp_path / "worker.log"

    def query(sql: str) -> list[tuple]:
        return private_postgres.execute(sql, database)

    def everything_arrived() -> bool:
        if imap_server.unseen():
            return False
        [(enquiries,)] = query("SELECT count(*) FROM enquiries_enquiry")
        [(unsent,)] = query("SELECT count(*) FROM mail_outgoingmessage WHERE status <> 'sent'")
        [(sent,)] = query("SELECT count(*) FROM mail_outgoingmessage")
        return enquiries >= MAILS and not unsent and len(smtp.messages) >= sent

    def tick() -> None:  # what beat does every minute, here every second
        beat.send_task("infopoint.mail.tasks.fetch_mail_task")
        beat.send_task("infopoint.mail.tasks.send_outbox_task")

    def enquiries() -> int:
        return query("SELECT count(*) FROM enquiries_enquiry")[0][0]

    # Two processes: one reads the mailbox while the other sends what it queued.
    worker = Worker(env, log, concurrency=2).wait_ready()
    try:
        beat.send_task("infopoint.mail.tasks.fetch_mail_task")
        wait_until(lambda: enquiries() >= 2, timeout=90, every=0.05)
        read_before_restart = enquiries()
        private_postgres.restart()
        wait_until(everything_arrived, timeout=90, every=1, then=tick)
    except TimeoutError:
        pytest.fail("Not everything arrived:\n" + log.read_text()[-5000:])
    finally:
        worker.stop()
        smtp.stop()

    assert read_before_restart < MAILS, "the restart came after the work; nothing was tested"
    assert "OperationalError" in log.read_text() or "InterfaceError" in log.read_text()
    assert query(
        "SELECT email_message_id, count(*) FROM enquiries_message"
        " WHERE email_message_id LIKE 'restart-%' GROUP BY 1 ORDER BY 1"
    ) == [(f"restart-{number}@example.org", 1) for number in range(MAILS)]
    assert query("SELECT count(*) FROM enquiries_enquiry") == [(MAILS,)]
    assert query("SELECT status, count(*) FROM mail_incomingmessage GROUP BY 1") == [
        ("processed", MAILS)
    ]
    outbox = dict(query("SELECT message_id, status FROM mail_outgoingmessage"))
    assert len(outbox) >= MAILS  # an acknowledgement for each enquiry, at least
    assert set(outbox.values()) == {"sent"}
    assert smtp.message_ids() == dict.fromkeys(outbox, 1)
