"""Which files the desk accepts, decided by their content (magic bytes), never by their name.

Accepted: PDF, JPEG, PNG and HEIC/HEIF — scans and phone photos of documents, which is what
enquirers send. Everything else is refused, on purpose also Office documents, archives and plain
text: Office files and archives can carry macros or hide other files, and a question is typed
in the form itself. A file named ``.pdf`` that is really a program is refused; a real PDF with
a wrong name is accepted and stored under a random name with the right extension.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from infopoint.core.antivirus import ScannerUnavailable, virus_scan, virus_scan_configured

from . import conf

logger = logging.getLogger(__name__)

# The ISO base-media "brands" of HEIC/HEIF images (bytes 8–12, after "ftyp").
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"heif"}

ACCEPTED_TYPES_TEXT = _("PDF, JPG, PNG or HEIC")


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # True when a virus scanner is configured but could not scan the file: it is kept and
    # held back for staff (services._save_attachments notes it), never lost.
    unscanned: bool = False


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")
HEIC = FileType("image/heic", ".heic")
HEIF = FileType("image/heif", ".heif")


def detect_type(head: bytes) -> FileType | None:
    """The accepted type the first bytes of a file show, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIC if head[8:12] in {b"heic", b"heix", b"heim", b"heis"} else HEIF
    return None


def file_head(file: File, length: int = 16) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def check_attachment(file: File) -> FileType:
    """The file's type; ValidationError (translated) when it is too big or not accepted."""
    name = file.name or ""
    limit = conf.max_attachment_bytes()
    if file.size is not None and file.size > limit:
        raise ValidationError(
            gettext("The file %(name)s is bigger than %(limit)s. Send a smaller file.")
            % {"name": name, "limit": filesizeformat(limit)},
            code="too_big",
        )
    if not file.size:
        raise ValidationError(gettext("The file %(name)s is empty.") % {"name": name}, code="empty")
    file_type = detect_type(file_head(file))
    if file_type is None:
        raise ValidationError(
            gettext("The file %(name)s must be a %(types)s.")
            % {"name": name, "types": ACCEPTED_TYPES_TEXT},
            code="type",
        )
    return _virus_check(file, name=name, file_type=file_type)


def _virus_check(file: File, *, name: str, file_type: FileType) -> FileType:
    """Refuses an infected file (logged); marks one the scanner could not read as unscanned."""
    if not virus_scan_configured():
        return file_type
    try:
        virus = virus_scan(file)
    except ScannerUnavailable as error:
        logger.error("Attachment kept unscanned: %s", error)
        return replace(file_type, unscanned=True)
    if virus is not None:
        logger.warning("Attachment refused: the virus scanner found %s.", virus)
        raise ValidationError(
            gettext("The file %(name)s contains a virus. It was not accepted.") % {"name": name},
            code="infected",
        )
    return file_type


def check_attachments(files: Sequence[File]) -> list[FileType]:
    """Checks every file and their number; all errors at once, as one ValidationError."""
    errors: list[ValidationError] = []
    limit = conf.max_attachments()
    if len(files) > limit:
        errors.append(
            ValidationError(
                ngettext(
                    "Select %(limit)s file or fewer.", "Select %(limit)s files or fewer.", limit
                )
                % {"limit": limit},
                code="too_many",
            )
        )
    types = []
    for file in files:
        try:
            types.append(check_attachment(file))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return types
