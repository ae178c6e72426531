"""What the fault tests start, stop and kill: a private PostgreSQL cluster, an SMTP server
that can hold a message mid-conversation, and Celery workers in their own process groups.

Nothing here touches the shared PostgreSQL or Redis server: the cluster lives in a
temporary folder on a port of its own, and Redis is used on one database number only.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import psycopg

from tests.mailservers import HOST, ReceivedMail, free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb, pg_ctl) in a temporary folder.

    As root it runs as the ``postgres`` user (PostgreSQL refuses root); trust
    authentication on loopback; fsync off, as nothing here must survive a power cut.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="ops-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses={HOST} -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
            "-m", "fast", "-w", "-t", "60", action,
        )  # fmt: skip

    def start(self) -> PrivatePostgres:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._pg_ctl("start")
        return self

    def restart(self) -> None:
        self._pg_ctl("restart")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg_ctl("stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, name: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{name}"

    def execute(self, query: str, database: str = "postgres") -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(query)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []


class _Collector:
    """Keeps every message; can hold the n-th RCPT until released (a send in flight)."""

    def __init__(self) -> None:
        self.messages: list[ReceivedMail] = []
        self.rcpts = 0
        self.hold_rcpt: int | None = None
        self.delay = 0.0
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpts += 1
        if self.rcpts == self.hold_rcpt:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        received = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), raw, message)
        self.messages.append(received)
        return "250 Message accepted for delivery"


class FaultSmtp:
    """An aiosmtpd server on loopback that can be stopped and started on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.collector = _Collector()
        self._controller: Any = None

    def start(self) -> FaultSmtp:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self.collector, hostname=HOST, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.collector.release.set()
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[ReceivedMail]:
        return self.collector.messages

    def message_ids(self) -> Counter[str]:
        return Counter(str(received.message["Message-ID"]) for received in self.messages)


class Worker:
    """``celery worker`` of the production profile, in a process group of its own."""

    def __init__(self, env: dict[str, str], log: Path, *, concurrency: int = 1) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "--app", "config", "worker",
                "--concurrency", str(concurrency), "--loglevel", "INFO", "--without-mingle",
                "--without-gossip", "--hostname", f"fault-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> Worker:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("The worker stopped:\n" + self.log.read_text())
            if " ready." in self.log.read_text():
                return self
            time.sleep(0.1)
        raise TimeoutError("The worker did not start:\n" + self.log.read_text())

    def kill(self) -> None:
        """SIGKILL to the worker and its pool: no warm shutdown, no chance to tidy up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: the task in hand is finished first
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def wait_until(condition: Any, *, timeout: float, every: float = 0.2, then: Any = None) -> None:
    """Calls ``condition`` until it is true; ``then`` runs between tries (a beat's tick)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("gave up waiting")
        if then is not None:
            then()
        time.sleep(every)


def reachable(port: int) -> bool:
    try:
        wait_for_port(port, timeout=0.5)
    except TimeoutError:
        return False
    return True
