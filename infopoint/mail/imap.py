"""A small IMAP client over imaplib: connect from a URL, list unseen, fetch without
marking seen, mark seen. Knows nothing of what the mail means."""

from __future__ import annotations

import imaplib
import ipaddress
import re
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_QUERY_KEYS = {"starttls", "timeout", "cafile", "insecure"}


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    folder: str
    security: str  # "ssl", "starttls" or "plain"
    timeout: int
    cafile: str | None

    def __repr__(self) -> str:  # never print the password
        return (
            f"ImapSettings(host={self.host!r}, port={self.port}, user={self.user!r}, "
            f"folder={self.folder!r}, security={self.security!r})"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_imap_url(url: str) -> ImapSettings:
    """``imaps://user:password@host:993/INBOX`` (TLS), ``imap+starttls://…:143/INBOX`` or
    ``imap://…?starttls=1`` (STARTTLS), ``imap://`` (plain: loopback only, or ``?insecure=1``).

    Options: ``timeout`` (seconds, default 60), ``cafile`` (a CA bundle to trust instead
    of the system's). User, password and folder are percent-decoded.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in {"imap", "imaps", "imap+starttls", "imap+tls"}:
        raise ImproperlyConfigured(
            f"IMAP_URL: unknown scheme {scheme!r}; use imaps, imap+starttls or imap"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query, True).items()}
    unknown = set(query) - _QUERY_KEYS
    if unknown:
        raise ImproperlyConfigured(f"IMAP_URL: unknown options {sorted(unknown)}")
    if scheme == "imaps":
        security = "ssl"
    elif scheme in {"imap+starttls", "imap+tls"} or query.get("starttls", "").lower() in _TRUE:
        security = "starttls"
    else:
        security = "plain"
    host = parts.hostname or ""
    if not host or not parts.username:
        raise ImproperlyConfigured("IMAP_URL needs a user and a host: imaps://user:pw@host/INBOX")
    if security == "plain" and not _is_loopback(host) and query.get("insecure") not in _TRUE:
        raise ImproperlyConfigured(
            "IMAP_URL: plain imap:// would send the password unencrypted; use imaps:// or "
            "imap+starttls://, or add ?insecure=1 if you really mean it"
        )
    try:
        port = parts.port or (993 if security == "ssl" else 143)
        timeout = int(query.get("timeout", "60"))
    except ValueError:
        raise ImproperlyConfigured("IMAP_URL: port and timeout must be numbers") from None
    return ImapSettings(
        host=host,
        port=port,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        security=security,
        timeout=timeout,
        cafile=query.get("cafile") or None,
    )


class ImapError(Exception):
    """The server said no, or the connection broke."""


def _quote(folder: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./-]+", folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One logged-in connection with one folder selected. Use as a context manager."""

    def __init__(self, config: ImapSettings) -> None:
        self.config = config
        self.client: imaplib.IMAP4 | None = None

    def __enter__(self) -> Mailbox:
        config = self.config
        context = ssl.create_default_context(cafile=config.cafile)
        try:
            if config.security == "ssl":
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    config.host, config.port, ssl_context=context, timeout=config.timeout
                )
            else:
                client = imaplib.IMAP4(config.host, config.port, timeout=config.timeout)
                if config.security == "starttls":
                    client.starttls(ssl_context=context)
            self.client = client
            client.login(config.user, config.password)
            status, data = client.select(_quote(config.folder))
        except (imaplib.IMAP4.error, OSError) as error:
            self.__exit__(None, None, None)
            raise ImapError(f"{config.host}:{config.port}: {error}") from error
        if status != "OK":
            self.__exit__(None, None, None)
            raise ImapError(f"Cannot open folder {config.folder!r}: {data!r}")
        return self

    def __exit__(self, *exc_info: object) -> None:
        client, self.client = self.client, None
        if client is None:
            return
        try:
            if client.state == "SELECTED":
                client.close()
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass

    def _command(self, *args: str) -> list:
        assert self.client is not None, "use Mailbox as a context manager"  # noqa: S101  # nosec B101  # misuse, not input
        try:
            status, data = self.client.uid(*args)
        except (imaplib.IMAP4.error, OSError) as error:
            raise ImapError(str(error)) from error
        if status != "OK":
            raise ImapError(f"UID {args[0]} failed: {data!r}")
        return data

    def unseen_uids(self) -> list[int]:
        data = self._command("SEARCH", "UNSEEN")
        return sorted(int(uid) for uid in b" ".join(data or [b""]).split())

    def fetch(self, uid: int) -> bytes | None:
        """The whole message, without setting \\Seen (BODY.PEEK); None if it is gone."""
        data = self._command("FETCH", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and b"BODY[]" in item[0].upper():
                return item[1]
        return None

    def mark_seen(self, uid: int) -> None:
        self._command("STORE", str(uid), "+FLAGS.SILENT", "(\\Seen)")
