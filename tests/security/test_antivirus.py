"""The ClamAV scan of attachments, against a loopback server that speaks clamd's protocol.

No virus database can be downloaded on this machine, so no real clamd runs here: the server
below implements clamd's INSTREAM command as documented (``zINSTREAM\\0``, chunks with 4-byte
big-endian lengths, a zero length, one NUL-terminated answer) and reports the EICAR test
string as ``Eicar-Signature FOUND``, as clamd does. It also checks that the chunks add up to
the exact bytes sent, so the client's framing is tested, not only its reading of answers.
"""

from __future__ import annotations

import logging
import os
import socket
import socketserver
import struct
import tempfile
import threading
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.core.antivirus import ScannerUnavailable, virus_scan
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Attachment, Enquiry, InternalNote
from infopoint.enquiries.tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
# A PDF that carries the EICAR string: accepted by type, refused by the scanner.
INFECTED_PDF = PDF_BYTES + EICAR


class _Clamd(socketserver.BaseRequestHandler):
    answer: bytes | None = None  # a fixed answer instead of a scan (to test errors)
    received: list[bytes] = []

    def _exact(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.request.recv(count - len(data))
            if not chunk:
                raise ConnectionError("closed early")
            data += chunk
        return data

    def handle(self) -> None:
        command = self._exact(len(b"zINSTREAM\0"))
        assert command == b"zINSTREAM\0", command
        body = b""
        while True:
            (length,) = struct.unpack("!L", self._exact(4))
            if length == 0:
                break
            body += self._exact(length)
        type(self).received.append(body)
        if self.answer is not None:
            reply = self.answer
        elif EICAR in body:
            reply = b"stream: Eicar-Signature FOUND"
        else:
            reply = b"stream: OK"
        self.request.sendall(reply + b"\0")


class _TCP(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Unix(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def _serve(server: socketserver.BaseServer) -> Iterator[None]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def clamd(settings: object) -> Iterator[type[_Clamd]]:
    handler = type("Clamd", (_Clamd,), {"received": [], "answer": None})
    server = _TCP(("127.0.0.1", 0), handler)
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{server.server_address[1]}"
    yield from (handler for _ in _serve(server))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(**files: object) -> object:
    data = {
        "question": "Proszę o sprawdzenie dokumentu.",
        "name": "Olena",
        "email": "olena@example.net",
        "preferred_language": "pl",
        "safe_contact": "any",
        "consent": "on",
        "started": form_started_token(),
        **files,
    }
    with translation.override("uk"):
        return Client().post(reverse("enquiries:new"), data)


def test_a_clean_file_is_sent_to_clamd_whole_and_kept(clamd: type[_Clamd]) -> None:
    big = PDF_BYTES + os.urandom(200_000)  # several chunks
    response = _post(attachments=SimpleUploadedFile("scan.pdf", big))
    assert response.status_code == 302
    assert big in clamd.received
    assert Attachment.objects.get().size == len(big)
    assert not InternalNote.objects.exists()


def test_an_infected_file_is_refused_translated_logged_and_nothing_is_saved(
    clamd: type[_Clamd], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = _post(attachments=SimpleUploadedFile("scan.pdf", INFECTED_PDF))
    assert response.status_code == 400
    with translation.override("uk"):
        message = gettext("The file %(name)s contains a virus. It was not accepted.") % {
            "name": "scan.pdf"
        }
    assert message in response.content.decode()
    assert "Eicar-Signature" in caplog.text
    assert not Enquiry.objects.exists() and not Attachment.objects.exists()


def test_with_the_daemon_down_the_enquiry_and_file_are_kept_and_held_for_staff(
    settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{_free_port()}"
    with caplog.at_level(logging.ERROR):
        response = _post(attachments=SimpleUploadedFile("scan.pdf", PDF_BYTES))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.read() == PDF_BYTES
    note = InternalNote.objects.get(enquiry=attachment.message.enquiry)
    assert "scan.pdf" in note.text
    assert "cannot be reached" in caplog.text


def test_an_error_answer_counts_as_unavailable(clamd: type[_Clamd]) -> None:
    clamd.answer = b"INSTREAM size limit exceeded. ERROR"
    with pytest.raises(ScannerUnavailable, match="size limit"):
        virus_scan(ContentFile(PDF_BYTES))


def test_a_unix_socket_address_works(settings: object) -> None:
    handler = type("Clamd", (_Clamd,), {"received": [], "answer": None})
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "clamd.sock")
        for _ in _serve(_Unix(path, handler)):
            assert virus_scan(ContentFile(PDF_BYTES), address=path) is None
            assert virus_scan(ContentFile(INFECTED_PDF), address=path) == "Eicar-Signature"


def test_a_malformed_address_is_unavailable_not_a_crash() -> None:
    with pytest.raises(ScannerUnavailable):
        virus_scan(ContentFile(PDF_BYTES), address="no-port-here")


def _download(enquiry: Enquiry, attachment: Attachment, consultant: object) -> object:
    client = Client()
    client.force_login(consultant)
    with translation.override("en"):
        url = reverse(
            "enquiries:staff:attachment",
            kwargs={"pk": enquiry.pk, "attachment_pk": attachment.pk},
        )
    return client.get(url)


@pytest.fixture
def stored(settings: object) -> tuple[Enquiry, Attachment]:
    """An enquiry with a file that carries EICAR, kept while no scanner was configured."""
    settings.CLAMAV_ADDRESS = ""
    assert _post(attachments=SimpleUploadedFile("scan.pdf", INFECTED_PDF)).status_code == 302
    attachment = Attachment.objects.get()
    return attachment.message.enquiry, attachment


def test_a_file_is_scanned_again_when_staff_open_it(
    stored: tuple[Enquiry, Attachment], consultant: object, clamd: type[_Clamd]
) -> None:
    enquiry, attachment = stored
    response = _download(enquiry, attachment, consultant)
    assert response.status_code == 410
    with translation.override("en"):
        assert gettext("This file contains a virus") in response.content.decode()
    assert INFECTED_PDF in clamd.received
    assert Attachment.objects.filter(pk=attachment.pk).exists()  # kept for the administrator


def test_a_file_is_held_back_while_the_scanner_is_down_and_given_once_it_is_back(
    stored: tuple[Enquiry, Attachment], consultant: object, settings: object
) -> None:
    enquiry, attachment = stored
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{_free_port()}"
    response = _download(enquiry, attachment, consultant)
    assert response.status_code == 503
    assert response["Retry-After"]
    with translation.override("en"):
        assert (
            gettext("This file has not been checked for viruses yet") in response.content.decode()
        )
    handler = type("Clamd", (_Clamd,), {"received": [], "answer": b"stream: OK"})
    server = _TCP(("127.0.0.1", 0), handler)
    settings.CLAMAV_ADDRESS = f"127.0.0.1:{server.server_address[1]}"
    for _ in _serve(server):
        response = _download(enquiry, attachment, consultant)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == INFECTED_PDF
        assert response["Content-Disposition"].startswith("attachment")
