"""A small client of the ClamAV daemon (clamd), used when settings.CLAMAV_ADDRESS is set.

It speaks clamd's INSTREAM command: ``zINSTREAM\\0``, then the file in chunks, each preceded
by its length as a 4-byte big-endian number, then a zero length; clamd answers one line ending
in NUL: ``stream: OK``, ``stream: <signature> FOUND``, or ``... ERROR``. CLAMAV_ADDRESS is
``host:port`` (TCP, e.g. ``127.0.0.1:3310``) or the path of clamd's unix socket.

A scanner that cannot be reached, times out or answers with an error raises
ScannerUnavailable: callers keep the file and hold it back for staff rather than lose it.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

from django.conf import settings
from django.core.files.base import File

CHUNK_BYTES = 64 * 1024
TIMEOUT_SECONDS = 30


class ScannerUnavailable(Exception):
    """clamd could not be reached or could not scan the file."""


def virus_scan_configured() -> bool:
    return bool(settings.CLAMAV_ADDRESS)


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = address
    else:
        host, _sep, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ScannerUnavailable(
                f"CLAMAV_ADDRESS must be host:port or a socket path: {address!r}"
            )
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        target = (host.strip("[]"), int(port))
    sock.settimeout(timeout)
    try:
        sock.connect(target)
    except OSError as error:
        sock.close()
        raise ScannerUnavailable(f"clamd at {address} cannot be reached: {error}") from error
    return sock


def _chunks(stream: File) -> Iterator[bytes]:
    stream.seek(0)
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk
    stream.seek(0)


def virus_scan(
    stream: File, *, address: str | None = None, timeout: float = TIMEOUT_SECONDS
) -> str | None:
    """The name of the virus clamd finds in ``stream``, or None when it finds none.

    Raises ScannerUnavailable when clamd cannot be reached or answers anything else.
    """
    address = address or settings.CLAMAV_ADDRESS
    with _connect(address, timeout) as sock:
        try:
            sock.sendall(b"zINSTREAM\0")
            for chunk in _chunks(stream):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {address} failed: {error}") from error
    reply = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if reply.endswith(" OK"):
        return None
    if reply.endswith(" FOUND"):
        return reply.removeprefix("stream:").removesuffix("FOUND").strip()
    raise ScannerUnavailable(f"clamd at {address} answered: {reply or 'nothing'}")
