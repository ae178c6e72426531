"""Mail configuration from URLs; imported by the settings, so it imports nothing of Django."""

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
_SMTP_SCHEMES = {"smtp", "smtps", "smtp+tls", "submission"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_QUERY_KEYS = {"tls", "ssl", "timeout", "ssl_certfile", "ssl_keyfile"}
DEFAULT_TIMEOUT = 30


def _flag(query: dict[str, str], name: str) -> bool:
    value = query.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"EMAIL_URL: ?{name}= must be 1 or 0, not {value!r}")


def parse_email_url(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings from one URL.

    ``smtp://user:password@host:25`` (plain), ``smtp+tls://…:587`` or ``smtp://…?tls=1``
    (STARTTLS), ``smtps://…:465`` (implicit TLS), ``console://``, ``file:///path``,
    ``locmem://``, ``dummy://``. User and password are percent-decoded. Query options:
    ``timeout`` (seconds, default 30), ``ssl_certfile``, ``ssl_keyfile``. Every key is
    returned for every scheme, so the settings never depend on which one was used.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    # Never echo the URL itself in errors: it may hold a password.
    if scheme not in _SMTP_SCHEMES and scheme not in _BACKENDS:
        raise ValueError(
            f"EMAIL_URL: unknown scheme {scheme!r}; use smtp, smtps, smtp+tls, console, "
            "file, locmem or dummy"
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query, True).items()}
    unknown = set(query) - _QUERY_KEYS
    if unknown:
        raise ValueError(f"EMAIL_URL: unknown options {sorted(unknown)}")
    timeout = query.get("timeout", str(DEFAULT_TIMEOUT))
    try:
        timeout_seconds = int(timeout)
    except ValueError:
        raise ValueError(f"EMAIL_URL: ?timeout= must be whole seconds, not {timeout!r}") from None
    settings: dict[str, Any] = {
        "EMAIL_BACKEND": _BACKENDS["smtp" if scheme in _SMTP_SCHEMES else scheme],
        "EMAIL_HOST": "localhost",
        "EMAIL_PORT": 25,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",  # nosec B105  # empty default; EMAIL_URL sets it
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": timeout_seconds,
        "EMAIL_SSL_CERTFILE": query.get("ssl_certfile") or None,
        "EMAIL_SSL_KEYFILE": query.get("ssl_keyfile") or None,
        "EMAIL_FILE_PATH": "",
    }
    if scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise ValueError("EMAIL_URL: file:// needs a folder, e.g. file:///var/mail/outbox")
        settings["EMAIL_FILE_PATH"] = path
        return settings
    if scheme not in _SMTP_SCHEMES:
        return settings

    use_ssl = scheme == "smtps" or _flag(query, "ssl")
    use_tls = scheme in {"smtp+tls", "submission"} or _flag(query, "tls")
    if use_ssl and use_tls:
        raise ValueError("EMAIL_URL: choose implicit TLS (smtps://) or STARTTLS (?tls=1), not both")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("EMAIL_URL: the port must be a number") from None
    settings.update(
        EMAIL_HOST=parts.hostname or "localhost",
        EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
        EMAIL_HOST_USER=unquote(parts.username or ""),
        EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
        EMAIL_USE_TLS=use_tls,
        EMAIL_USE_SSL=use_ssl,
    )
    return settings
