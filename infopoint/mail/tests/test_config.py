import pytest
from django.core.exceptions import ImproperlyConfigured

from infopoint.mail.config import parse_email_url
from infopoint.mail.imap import parse_imap_url

SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_plain_smtp_with_percent_encoded_password():
    settings = parse_email_url("smtp://mailer:p%40ss%3Aword@mail.example.org:2525")
    assert settings["EMAIL_BACKEND"] == SMTP
    assert settings["EMAIL_HOST"] == "mail.example.org"
    assert settings["EMAIL_PORT"] == 2525
    assert settings["EMAIL_HOST_USER"] == "mailer"
    assert settings["EMAIL_HOST_PASSWORD"] == "p@ss:word"
    assert not settings["EMAIL_USE_TLS"]
    assert not settings["EMAIL_USE_SSL"]
    assert settings["EMAIL_TIMEOUT"] == 30


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://host", 25, False, False),
        ("smtp://host?tls=1", 587, True, False),
        ("smtp+tls://host", 587, True, False),
        ("smtps://host", 465, False, True),
        ("smtp://host:25?ssl=1", 25, False, True),
    ],
)
def test_security_and_default_ports(url, port, tls, ssl):
    settings = parse_email_url(url)
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"], settings["EMAIL_USE_SSL"]) == (
        port,
        tls,
        ssl,
    )


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_local_backends(url, backend):
    assert parse_email_url(url)["EMAIL_BACKEND"] == backend


def test_file_backend_takes_the_folder():
    settings = parse_email_url("file:///var/lib/infopoint/mail")
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert settings["EMAIL_FILE_PATH"] == "/var/lib/infopoint/mail"


def test_options():
    settings = parse_email_url("smtp://h?timeout=5&ssl_certfile=/c.pem&ssl_keyfile=/k.pem")
    assert settings["EMAIL_TIMEOUT"] == 5
    assert settings["EMAIL_SSL_CERTFILE"] == "/c.pem"
    assert settings["EMAIL_SSL_KEYFILE"] == "/k.pem"


@pytest.mark.parametrize(
    "url",
    [
        "http://host",
        "smtps://host?tls=1",
        "smtp://host?tls=maybe",
        "smtp://host?tsl=1",
        "smtp://host?timeout=soon",
        "smtp://host:port",
        "file://",
    ],
)
def test_bad_urls_fail_loudly_without_echoing_secrets(url):
    with pytest.raises(ValueError) as error:
        parse_email_url(url.replace("//", "//user:secret@", 1))
    assert "secret" not in str(error.value)


def test_settings_use_the_parsed_url(settings):
    # The test profile overrides the backend; the rest comes from EMAIL_URL (console://).
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert settings.DEFAULT_FROM_EMAIL.endswith("@example.invalid>")
    assert settings.IMAP_URL == ""
    assert settings.MAIL_MAX_MESSAGE_BYTES == 25 * 1024 * 1024
    assert settings.OUTBOX_MAX_ATTEMPTS == 8


def test_imap_urls():
    config = parse_imap_url("imaps://desk%40city:pa%2Fss@imap.example.org/Enquiries%20In")
    assert (config.host, config.port, config.security) == ("imap.example.org", 993, "ssl")
    assert (config.user, config.password, config.folder) == ("desk@city", "pa/ss", "Enquiries In")
    assert "pa/ss" not in repr(config)
    assert parse_imap_url("imap+starttls://u:p@h").security == "starttls"
    assert parse_imap_url("imap://u:p@h?starttls=1").port == 143
    assert parse_imap_url("imap://u:p@127.0.0.1:1143").folder == "INBOX"
    assert parse_imap_url("imap://u:p@h?insecure=1").security == "plain"


@pytest.mark.parametrize(
    "url",
    ["imap://u:p@imap.example.org/INBOX", "pop3://u:p@h", "imaps://h/INBOX", "imaps://u:p@h?x=1"],
)
def test_bad_imap_urls(url):
    with pytest.raises(ImproperlyConfigured):
        parse_imap_url(url)
