"""Real mail servers on loopback for tests: aiosmtpd receives, Dovecot serves IMAP.

No mocks: what Infopoint sends crosses a real SMTP conversation, what it reads comes
from a real IMAP server. Any app's tests may use these; the pytest fixtures that wrap
them are in ``infopoint/mail/tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

DOVECOT = "/usr/sbin/dovecot"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.05)
    raise TimeoutError(f"Nothing answers on {HOST}:{port}")


# --- SMTP -----------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


class _Collector:
    def __init__(self, messages: list[ReceivedMail]) -> None:
        self.messages = messages

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        self.messages.append(
            ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), raw, message)
        )
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """An aiosmtpd server on loopback that keeps every message it receives."""

    port: int = field(default_factory=free_port)
    host: str = HOST
    messages: list[ReceivedMail] = field(default_factory=list)
    _controller: Any = None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self._controller = Controller(
            _Collector(self.messages), hostname=self.host, port=self.port, ready_timeout=10
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def settings(self) -> dict[str, Any]:
        """Django settings that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }


# --- IMAP -----------------------------------------------------------------------------


def dovecot_unavailable_reason() -> str | None:
    """Why Dovecot cannot run here (None when it can), installing it if we are root."""
    if shutil.which("doveadm") and Path(DOVECOT).exists():
        return None
    if os.geteuid() != 0:
        return (
            "Dovecot (Debian package dovecot-imapd) is not installed and we are not root to "
            "install it; run scripts/system-packages.sh test as root"
        )
    script = Path(__file__).resolve().parent.parent / "scripts" / "system-packages.sh"
    subprocess.run([str(script), "test"], check=False, timeout=600)
    if Path(DOVECOT).exists():
        return None
    return "Installing dovecot-imapd failed; see the output of scripts/system-packages.sh"


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


class DovecotServer:
    """A throw-away Dovecot: its own config, users and maildirs in a temporary folder.

    Any user name logs in with ``password``; each test takes a fresh user, so it starts
    with an empty INBOX. Listens for plain IMAP (STARTTLS offered) and IMAPS, with a
    self-signed certificate for 127.0.0.1 (``cafile``).
    """

    password = "imap-test-password"

    def __init__(self) -> None:
        # Short path: Dovecot's unix sockets live under it (108 bytes at most).
        self.root = Path(tempfile.mkdtemp(prefix="dovecot-"))
        self.root.chmod(0o711)  # the mail user (not us when we are root) must pass through
        self.port = free_port()
        self.ssl_port = free_port()
        self.cafile = str(self.root / "cert.pem")
        self.process: subprocess.Popen[bytes] | None = None

    def _config(self) -> str:
        me = pwd.getpwuid(os.geteuid())
        if os.geteuid() == 0:
            # Dovecot refuses to give mail to root; "nobody" owns the maildirs instead.
            mail_user = pwd.getpwnam("nobody")
            internal = "dovecot" if _user_exists("dovecot") else "nobody"
            login = "dovenull" if _user_exists("dovenull") else "nobody"
        else:
            mail_user, internal, login = me, me.pw_name, me.pw_name
        mail_root = self.root / "mail"
        mail_root.mkdir(exist_ok=True)
        os.chown(mail_root, mail_user.pw_uid, mail_user.pw_gid)
        dh = "/usr/share/dovecot/dh.pem"
        return f"""
protocols = imap
listen = {HOST}
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
info_log_path = {self.root}/dovecot.log
instance_name = infopoint-test-{self.port}
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = {min(mail_user.pw_uid, 1)}
first_valid_gid = 0
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{self.cafile}
ssl_key = <{self.root}/key.pem
{"ssl_dh = <" + dh if Path(dh).exists() else ""}
mail_location = maildir:~/Maildir
passdb {{
  driver = static
  args = password={self.password}
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={mail_root}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.ssl_port}
    ssl = yes
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""

    def start(self) -> DovecotServer:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
                str(self.root / "key.pem"),
                "-out",
                self.cafile,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        config = self.root / "dovecot.conf"
        config.write_text(self._config())
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_port(self.port)
            wait_for_port(self.ssl_port)
        except TimeoutError:
            self.stop()
            log = self.root / "dovecot.log"
            raise RuntimeError(
                "Dovecot did not start: " + (log.read_text() if log.exists() else "")
            ) from None
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        log = self.root / "dovecot.log"
        return log.read_text() if log.exists() else ""

    def mailbox(self, user: str | None = None) -> ImapTestMailbox:
        return ImapTestMailbox(self, user or f"user-{uuid.uuid4().hex[:12]}")


@dataclass
class ImapTestMailbox:
    """One user's mailbox on the test Dovecot, with helpers to fill and inspect it."""

    server: DovecotServer
    user: str
    folder: str = "INBOX"

    @property
    def url(self) -> str:
        """Plain IMAP on loopback: imap://user:password@127.0.0.1:port/INBOX."""
        return self.url_for("plain")

    def url_for(self, security: str) -> str:
        """The URL for "plain", "starttls" or "ssl" (the last two trust our own CA file)."""
        auth = f"{self.user}:{self.server.password}"
        if security == "ssl":
            return (
                f"imaps://{auth}@{HOST}:{self.server.ssl_port}/{self.folder}"
                f"?cafile={self.server.cafile}"
            )
        if security == "starttls":
            return (
                f"imap+starttls://{auth}@{HOST}:{self.server.port}/{self.folder}"
                f"?cafile={self.server.cafile}"
            )
        return f"imap://{auth}@{HOST}:{self.server.port}/{self.folder}"

    @contextlib.contextmanager
    def connect(self) -> Any:
        client = imaplib.IMAP4(HOST, self.server.port, timeout=30)
        try:
            client.login(self.user, self.server.password)
            client.select(self.folder)
            yield client
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()

    def append(self, raw: bytes, flags: str = "") -> None:
        with self.connect() as client:
            status, data = client.append(self.folder, flags or None, None, raw)
            assert status == "OK", data

    def uids(self, criterion: str = "ALL") -> list[int]:
        with self.connect() as client:
            status, data = client.uid("SEARCH", None, criterion)
            assert status == "OK", data
            return [int(uid) for uid in b" ".join(data).split()]

    def unseen(self) -> list[int]:
        return self.uids("UNSEEN")

    def seen(self) -> list[int]:
        return self.uids("SEEN")
