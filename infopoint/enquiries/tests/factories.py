import factory
from django.core.files.base import ContentFile

from infopoint.accounts.models import User
from infopoint.enquiries.models import Channel, Enquiry, ReplyTemplate
from infopoint.mail.parsing import ParsedAttachment, ParsedMessage

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 32


def pdf_file(name: str = "scan.pdf") -> ContentFile:
    return ContentFile(PDF_BYTES, name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"consultant{n}")
    first_name = "Olena"
    last_name = factory.Sequence(lambda n: f"Consultant{n}")
    languages = ["pl", "uk"]


def parsed_message(**overrides: object) -> ParsedMessage:
    """A ParsedMessage as the mail app hands it over; any field can be overridden."""
    values: dict[str, object] = {
        "message_id": "<first@mail.example.net>",
        "in_reply_to": None,
        "references": [],
        "from_address": "olena@example.net",
        "from_name": "Olena",
        "to": ["info-point@example.invalid"],
        "subject": "Питання про PESEL",
        "date": None,
        "text": "Добрий день, я хочу дізнатися, як отримати номер PESEL для дитини.",
        "html_present": False,
        "attachments": [],
        "is_automatic": False,
        "raw_size": 1000,
    }
    values.update(overrides)
    return ParsedMessage(**values)  # type: ignore[arg-type]


def parsed_attachment(filename: str, data: bytes, content_type: str = "") -> ParsedAttachment:
    return ParsedAttachment(
        filename=filename,
        content_type=content_type or "application/octet-stream",
        data=data,
        inline=False,
    )


# --- staff screens ---------------------------------------------------------------------------


def desk_user(role: str = "consultant", **overrides: object) -> User:
    """A member of staff in ``role``'s group (consultant by default), able to sign in."""
    from infopoint.accounts.services import role_groups_ensure

    user = UserFactory(is_staff=True, **overrides)
    user.groups.add(role_groups_ensure()[role])
    return user


def enquiry_make(**overrides: object) -> Enquiry:
    """An enquiry received by the web form (no acknowledgement queued) via enquiry_create."""
    from infopoint.enquiries.consent import CONSENT_VERSION
    from infopoint.enquiries.services import enquiry_create

    values: dict[str, object] = {
        "channel": Channel.WEB,
        "text": "Як отримати PESEL для дитини?",
        "language": "uk",
        "name": "Olena Kowalenko",
        "email": "olena@example.net",
        "consent_version": CONSENT_VERSION,
        "acknowledge": False,
    }
    values.update(overrides)
    enquiry, _token = enquiry_create(**values)  # type: ignore[arg-type]
    return enquiry


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    topic = None
    language = "uk"
    title = factory.Sequence(lambda n: f"Template {n}")
    text = "Добрий день, {name}! Ваш номер: {reference}."
