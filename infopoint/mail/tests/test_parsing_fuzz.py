"""Generated mail thrown at the parser: only ParseError may come out, and only strings."""

import dataclasses
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infopoint.mail.parsing import ParsedMessage, ParseError, parse_message

HEADER_NAMES = [
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Disposition",
    "Auto-Submitted",
    "Precedence",
    "Return-Path",
    "MIME-Version",
]
CHARSETS = ["utf-8", "windows-1250", "iso-8859-2", "windows-1251", "koi8-r", "koi8-u", "bogus"]
TYPES = [
    "text/plain",
    "text/html",
    "multipart/mixed",
    "multipart/alternative",
    "multipart/report",
    "message/rfc822",
    "image/png",
]

header_values = st.one_of(
    st.binary(max_size=80),
    st.text(max_size=80).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda charset, kind, payload: f"=?{charset}?{kind}?{payload}?=".encode(),
        st.sampled_from(CHARSETS),
        st.sampled_from(["B", "Q", "b", "x"]),
        st.text(alphabet="AZaz09+/=_?", max_size=30),
    ),
    st.builds(
        lambda kind, charset, boundary: (
            f'{kind}; charset="{charset}"; boundary="{boundary}"'.encode()
        ),
        st.sampled_from(TYPES),
        st.sampled_from(CHARSETS),
        st.sampled_from(["b", "", "--", "x y"]),
    ),
)
headers = st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_values), max_size=12)
bodies = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.one_of(
            st.just(b"--b\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n"),
            st.just(b"--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n"),
            st.just(b"--b\r\nContent-Type: message/rfc822\r\n\r\n"),
            st.just(b"--b\r\nContent-Disposition: attachment; filename*=utf-8''%FF%2F..\r\n\r\n"),
            st.just(b"--b--\r\n"),
            st.binary(max_size=60),
        ),
        max_size=10,
    ).map(b"".join),
)


def _check(parsed: ParsedMessage) -> None:
    for field in dataclasses.fields(parsed):
        value = getattr(parsed, field.name)
        if field.type in ("str", str) or isinstance(value, str):
            assert isinstance(value, str), field.name
            value.encode("utf-8")  # no lone surrogates
            assert "\x00" not in value
    for name in ("to", "cc", "reply_to", "references"):
        assert all(isinstance(item, str) for item in getattr(parsed, name))
    assert parsed.in_reply_to is None or isinstance(parsed.in_reply_to, str)
    assert parsed.date is None or (isinstance(parsed.date, datetime) and parsed.date.tzinfo)
    for attachment in parsed.attachments:
        assert isinstance(attachment.filename, str) and attachment.filename
        assert "/" not in attachment.filename and "\\" not in attachment.filename
        assert isinstance(attachment.data, bytes)
    assert isinstance(parsed.is_automatic, bool)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headers=headers, body=bodies, newline=st.sampled_from([b"\r\n", b"\n"]))
def test_generated_mail_never_breaks_the_parser(headers, body, newline):
    raw = b"".join(name.encode() + b": " + value + newline for name, value in headers)
    raw += newline + body
    try:
        parsed = parse_message(raw)
    except ParseError:
        return
    _check(parsed)


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=600))
def test_random_bytes_never_break_the_parser(raw):
    try:
        parsed = parse_message(raw)
    except ParseError:
        return
    _check(parsed)
