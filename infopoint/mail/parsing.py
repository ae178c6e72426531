"""Turns raw mail (bytes) into a plain ``ParsedMessage``; never trusts what it is given.

Real mail lies about its charset, folds headers badly and nests MIME in odd ways, so
every step that the standard ``email`` package can fail on is guarded here. Only input
that cannot be mail at all raises ``ParseError``. Header values are decoded by this
module (RFC 2047 and raw 8-bit bytes), bodies by ``email`` with ``policy.default``.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import itertools
import logging
import mimetypes
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


class ParseError(ValueError):
    """The bytes cannot be read as mail at all."""


class MessageTooLarge(ParseError):
    """The message is bigger than MAIL_MAX_MESSAGE_BYTES; it is kept raw, never parsed."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool
    content_id: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    """What a mail says, as plain values: no HTML, no MIME, every string decoded.

    ``message_id`` keeps its angle brackets (``<id@host>``), as In-Reply-To and
    References do. A message without one gets ``<sha256-…@message-id.invalid>`` made
    from its bytes (``has_message_id`` is then false), so it can still be told apart.
    """

    message_id: str
    in_reply_to: str | None
    references: list[str]
    from_address: str
    from_name: str
    to: list[str]
    subject: str
    date: datetime | None
    text: str
    html_present: bool
    attachments: list[ParsedAttachment]
    is_automatic: bool
    raw_size: int
    automatic_reason: str = ""
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    has_message_id: bool = True
    defects: list[str] = field(default_factory=list)


# --- Charsets -------------------------------------------------------------------------

# Tried, best first, when the declared charset is missing, unknown or wrong; the most
# plausible decoding wins (see _plausibility). Order breaks ties.
FALLBACK_CHARSETS = (
    "windows-1250",
    "iso-8859-2",
    "windows-1251",
    "koi8-u",
    "koi8-r",
    "windows-1252",
)
# Codecs Python knows that no mail should make us run.
_FORBIDDEN_CODECS = {"unicode_escape", "raw_unicode_escape", "undefined", "punycode", "idna"}
_WINDOWS_ALIAS = re.compile(r"^(?:x-)?(?:win(?:dows)?|cp)[-_ ]?(125[0-8])$")
_SURROGATES = re.compile("[\ud800-\udfff]")
_LATIN_EXTRA = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻäöüßÄÖÜéèáíúýčďěňřšťžůČĎĚŇŘŠŤŽŮ")


def _codec_name(declared: str | None) -> str | None:
    if not declared:
        return None
    name = declared.strip().strip("\"'").lower()
    match = _WINDOWS_ALIAS.match(name)
    if match:
        name = f"cp{match.group(1)}"
    try:
        canonical = codecs.lookup(name).name
    except (LookupError, ValueError, TypeError):
        return None
    return None if canonical.replace("-", "_") in _FORBIDDEN_CODECS else canonical


def _plausibility(text: str) -> int:
    """A higher score for text that looks like Latin or Cyrillic words written by people."""
    score = 0
    for word in re.findall(r"[^\W\d_]+", text):
        latin = sum(1 for ch in word if ch.isascii() or ch in _LATIN_EXTRA)
        cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        if latin == len(word) or cyrillic == len(word):
            score += len(word)
            # Wrong Cyrillic code pages swap case: "пРИВЕТ" instead of "Привет".
            if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
                score -= 2 * len(word)
        else:
            score -= len(word)
    score -= 3 * sum(1 for ch in text if unicodedata.category(ch) in {"Cc", "Co", "Cn", "So"})
    return score


def decode_bytes(data: bytes, declared: str | None = None, *, hint: str | None = None) -> str:
    """Text from bytes: the declared charset if it fits, then UTF-8, then ``hint``, then
    the likeliest of FALLBACK_CHARSETS.

    Never raises; bytes that fit nothing become U+FFFD.
    """
    for name in (_codec_name(declared), "utf-8", _codec_name(hint)):
        if name:
            try:
                return _clean(data.decode(name))
            except (UnicodeError, LookupError, ValueError, TypeError):
                continue
    candidates = [data.decode(name, errors="replace") for name in FALLBACK_CHARSETS]
    best = max(candidates, key=lambda candidate: _plausibility(candidate[:65536]))
    return _clean(best)


def _clean(text: str) -> str:
    # PostgreSQL refuses NUL in text; lone surrogates cannot be encoded anywhere.
    return _SURROGATES.sub("\ufffd", text.replace("\x00", ""))


# --- Headers --------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")


def _b_decode(text: str) -> bytes:
    cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return text.encode("ascii", "replace")


def _q_decode(text: str) -> bytes:
    raw = text.replace("_", " ").encode("ascii", "replace")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)


def decode_header_value(value: str | bytes, fallback_charset: str | None = None) -> str:
    """A header value as text: unfolded, raw 8-bit bytes and RFC 2047 words decoded.

    Adjacent encoded words in the same charset are joined before decoding, because
    mailers split multi-byte characters between them.
    """
    if isinstance(value, str):
        # The parser keeps 8-bit header bytes as surrogate escapes; get them back.
        value = value.encode("utf-8", "surrogateescape")
    text = _FOLD.sub("", decode_bytes(value, hint=fallback_charset))
    text = text.replace("\r", "").replace("\n", " ")
    pieces: list[tuple[str | None, bytes | str]] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        # Whitespace between two encoded words is not part of the text (RFC 2047, 6.2).
        if between and not (pieces and pieces[-1][0] is not None and not between.strip()):
            pieces.append((None, between))
        charset = match.group(1).split("*", 1)[0]
        encoding = match.group(2).upper()
        data = _b_decode(match.group(3)) if encoding == "B" else _q_decode(match.group(3))
        previous = pieces[-1][1] if pieces else ""
        if pieces and pieces[-1][0] == charset.lower() and isinstance(previous, bytes):
            pieces[-1] = (charset.lower(), previous + data)
        else:
            pieces.append((charset.lower(), data))
        position = match.end()
    pieces.append((None, text[position:]))
    decoded = "".join(
        piece if isinstance(piece, str) else decode_bytes(piece, charset)
        for charset, piece in pieces
    )
    return _clean(decoded).strip()


def _raw_headers(message: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [str(value) for key, value in message.raw_items() if key.lower() == wanted]


def _header(message: Message, name: str, fallback_charset: str | None = None) -> str:
    values = _raw_headers(message, name)
    return decode_header_value(values[0], fallback_charset) if values else ""


def _ids(value: str) -> list[str]:
    found = re.findall(r"<[^<>\s]+>", value)
    if not found:
        found = [f"<{token.strip('<>')}>" for token in value.split() if token.strip("<>")]
    return [message_id[:998] for message_id in found]


def _addresses(message: Message, name: str, charset: str | None) -> list[tuple[str, str]]:
    result = []
    for raw in _raw_headers(message, name):
        unfolded = _FOLD.sub("", raw).replace("\r", "").replace("\n", " ")
        if not unfolded.isascii():
            unfolded = decode_bytes(unfolded.encode("utf-8", "surrogateescape"), hint=charset)
        try:
            pairs = getaddresses([unfolded])
        except Exception:  # the stdlib address parser has had many bugs
            pairs = []
        for display, address in pairs:
            address = _clean(address.strip())
            if "@" in address or address:
                result.append((decode_header_value(display, charset), address))
    return [(display, address) for display, address in result if address]


# --- HTML to text ---------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "svg", "math", "iframe"}
_SKIP_TAGS |= {"object", "embed", "applet", "select", "textarea"}
_BLOCK_TAGS = {"p", "div", "table", "tr", "ul", "ol", "dl", "blockquote", "pre", "section"}
_BLOCK_TAGS |= {"article", "header", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "form"}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "wbr", "source"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.links: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth += 1
            return
        if self.skip_depth:
            return
        attributes = {name: value or "" for name, value in attrs}
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in {"td", "th"}:
            self.parts.append("\t")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "img":
            # The image itself is never fetched or shown: only what it stands for.
            alt = attributes.get("alt", "").strip()
            if alt:
                self.parts.append(f"[{alt}]")
        elif tag == "a":
            self.links.append((attributes.get("href", "").strip(), len(self.parts)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if self.skip_depth:
            return
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts[start:]).strip()
            scheme = urlsplit(href).scheme.lower() if href else ""
            target = href.removeprefix("mailto:") if scheme == "mailto" else href
            if scheme in {"http", "https", "mailto"} and target and target not in label:
                self.parts.append(f" ({target})")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable plain text from HTML: no script, style or images; links kept as text."""
    extractor = _TextExtractor()
    try:
        extractor.feed(html)
        extractor.close()
        text = "".join(extractor.parts)
    except Exception:  # HTMLParser is lenient, but a fallback costs nothing
        text = unescape(re.sub(r"<[^>]*>", " ", html))
    lines = [re.sub(r"[ \t\f\v\xa0]+", " ", line).strip() for line in text.splitlines()]
    return _clean(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


# --- Structure ------------------------------------------------------------------------


def _leaves(part: Message, depth: int = 0) -> Iterator[Message]:
    """Every non-multipart part, in order; an attached message counts as one leaf."""
    if part.get_content_maintype() == "multipart" and depth < 50:
        payload = part.get_payload()
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    yield from _leaves(sub, depth + 1)
            return
    yield part


def _payload_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    if isinstance(payload, list):  # an attached message, a delivery status, a broken multipart
        chunks = []
        for sub in payload:
            if not isinstance(sub, Message):
                continue
            try:
                chunks.append(sub.as_bytes(policy=policy.compat32))
            except Exception:  # serialising a broken sub-message can fail: skip that piece
                logger.debug("Cannot serialise a sub-message", exc_info=True)
        return b"".join(chunks)
    try:
        data = part.get_payload(decode=True)
    except Exception:  # broken transfer encodings
        data = None
    if isinstance(data, bytes):
        return data
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""


def _charset(part: Message) -> str | None:
    try:
        charset = part.get_param("charset")
    except Exception:
        return None
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    return charset if isinstance(charset, str) else None


def _disposition(part: Message) -> str:
    value = _raw_headers(part, "content-disposition")
    return value[0].split(";", 1)[0].strip().lower() if value else ""


def _safe_filename(name: str, content_type: str, number: int) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if not name:
        extension = mimetypes.guess_extension(content_type) or ".bin"
        name = f"attachment-{number}{extension}"
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:190]}.{extension[:9]}" if dot and len(extension) < 10 else name[:200]
    return name


def _filename(part: Message, charset: str | None) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # RFC 2231 parameter parsing can fail
        name = ""
    return decode_header_value(str(name), charset) if name else ""


def _is_automatic(message: Message, from_address: str) -> str:
    """Why this mail was sent by a machine (a reason), or "" when a person seems to have."""
    auto_submitted = _header(message, "auto-submitted").split(";", 1)[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(message, "precedence").strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond", "x-autogenerated", "list-id", "x-loop"):
        if _raw_headers(message, name):
            return f"{name} header"
    if _raw_headers(message, "list-unsubscribe"):
        return "list-unsubscribe header"
    suppress = _header(message, "x-auto-response-suppress").lower()
    if any(word in suppress for word in ("all", "oof", "autoreply")):
        return f"X-Auto-Response-Suppress: {suppress}"
    return_path = _raw_headers(message, "return-path")
    if return_path and return_path[0].strip() in {"<>", ""}:
        return "empty Return-Path"
    local_part = from_address.rsplit("@", 1)[0].lower()
    if local_part in {"mailer-daemon", "postmaster"}:
        return f"sender {local_part}"
    own_address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    if own_address and from_address.lower() == own_address:
        # Our own mail coming back (a forward, a misconfigured alias): answering it loops.
        return "sent from our own address"
    if message.get_content_type() == "multipart/report":
        return "multipart/report"
    return ""


def _message_id(values: list[str], raw: bytes) -> tuple[str, bool]:
    found = _ids(decode_header_value(values[0])) if values else []
    if found:
        return found[0], True
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@message-id.invalid>", False


def raw_message_key(raw: bytes) -> str:
    """The Message-ID of raw mail (or the made-up one ``parse_message`` gives), read from
    the header section only, so it works for mail too large or too broken to parse."""
    header_end = min(
        (position for position in (raw.find(b"\r\n\r\n"), raw.find(b"\n\n")) if position >= 0),
        default=len(raw),
    )
    try:
        headers = BytesParser(policy=policy.compat32).parsebytes(
            raw[: header_end + 4], headersonly=True
        )
        values = _raw_headers(headers, "message-id")
    except Exception:  # a header section the parser cannot read has no usable id
        values = []
    return _message_id(values, raw)[0]


def parse_message(raw: bytes, *, max_bytes: int | None = None) -> ParsedMessage:
    """Reads one raw message. Raises only ``ParseError`` (``MessageTooLarge`` above the limit).

    ``max_bytes`` defaults to settings.MAIL_MAX_MESSAGE_BYTES.
    """
    if not isinstance(raw, bytes | bytearray | memoryview):
        raise ParseError("A message must be bytes.")
    raw = bytes(raw)
    limit = settings.MAIL_MAX_MESSAGE_BYTES if max_bytes is None else max_bytes
    if len(raw) > limit:
        raise MessageTooLarge(f"The message has {len(raw)} bytes; the limit is {limit}.")
    if not raw.strip():
        raise ParseError("The message is empty.")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:  # the parser is meant never to raise
        raise ParseError(f"The MIME structure cannot be read: {error}") from error
    if not message.keys():
        raise ParseError("The message has no header fields: it is not mail.")

    body_charset = _charset(message)
    for leaf in _leaves(message):
        body_charset = body_charset or _charset(leaf)
    defects = [type(defect).__name__ for defect in getattr(message, "defects", [])]

    senders = _addresses(message, "from", body_charset) or _addresses(
        message, "sender", body_charset
    )
    from_name, from_address = senders[0] if senders else ("", "")

    message_id, has_message_id = _message_id(_raw_headers(message, "message-id"), raw)
    in_reply_to = _ids(_header(message, "in-reply-to"))

    date = None
    date_value = _header(message, "date")
    if date_value:
        try:
            date = parsedate_to_datetime(date_value)
        except Exception:  # any malformed date is simply unknown
            date = None
        if date is not None and date.tzinfo is None:
            date = date.replace(tzinfo=UTC)

    text, html_present, attachments = _body(message, defects)
    reason = _is_automatic(message, from_address)
    return ParsedMessage(
        message_id=message_id,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=_ids(_header(message, "references")),
        from_address=from_address,
        from_name=from_name,
        to=[address for _name, address in _addresses(message, "to", body_charset)],
        subject=_header(message, "subject", body_charset),
        date=date,
        text=text,
        html_present=html_present,
        attachments=attachments,
        is_automatic=bool(reason),
        automatic_reason=reason,
        raw_size=len(raw),
        cc=[address for _name, address in _addresses(message, "cc", body_charset)],
        reply_to=[address for _name, address in _addresses(message, "reply-to", body_charset)],
        has_message_id=has_message_id,
        defects=defects,
    )


def _body(message: Message, defects: list[str]) -> tuple[str, bool, list[ParsedAttachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[ParsedAttachment] = []
    for number, part in enumerate(_leaves(message), start=1):
        defects.extend(type(defect).__name__ for defect in getattr(part, "defects", []))
        content_type = part.get_content_type()
        charset = _charset(part)
        disposition = _disposition(part)
        filename = _filename(part, charset)
        content_id = _header(part, "content-id").strip().strip("<>")
        is_body = disposition != "attachment" and not filename
        # A multipart whose boundary is missing arrives as one unparsed text.
        if is_body and (content_type == "text/plain" or content_type.startswith("multipart/")):
            plain.append(decode_bytes(_payload_bytes(part), charset))
            continue
        if is_body and content_type == "text/html":
            html.append(decode_bytes(_payload_bytes(part), charset))
            continue
        inline = disposition == "inline" or (not disposition and bool(content_id))
        attachments.append(
            ParsedAttachment(
                filename=_safe_filename(filename, content_type, number),
                content_type=content_type,
                data=_payload_bytes(part),
                inline=inline,
                content_id=content_id,
            )
        )
    if plain:
        text = "\n\n".join(part.strip("\r\n") for part in plain)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = "\n\n".join(html_to_text(part) for part in html)
    return _clean(text), bool(html), attachments
