import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.formats import date_format

from infopoint.enquiries.consent import CONSENT_VERSION, CONSENT_VERSION_ORAL
from infopoint.enquiries.models import (
    Attachment,
    Channel,
    Direction,
    Enquiry,
    Message,
    SafeContact,
    Status,
)
from infopoint.enquiries.selectors import enquiry_for_tracking, enquiry_thread
from infopoint.enquiries.services import (
    enquiry_create,
    enquiry_due_at,
    enquiry_log_contact,
    enquiry_tracking_token_renew,
    reference_next,
    tracking_token_hash,
)
from infopoint.enquiries.tests.factories import (
    EXE_BYTES,
    HEIC_BYTES,
    JPEG_BYTES,
    PNG_BYTES,
    UserFactory,
    pdf_file,
)
from infopoint.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


def _create(**overrides: object) -> tuple[Enquiry, str]:
    values: dict[str, object] = {
        "channel": Channel.WEB,
        "text": "Як отримати PESEL?",
        "language": "uk",
        "name": "Olena",
        "email": "olena@example.net",
        "consent_version": CONSENT_VERSION,
    }
    values.update(overrides)
    return enquiry_create(**values)  # type: ignore[arg-type]


# --- reference numbers -----------------------------------------------------------------------


def test_reference_numbers_count_up_within_a_year() -> None:
    first, _token = _create(received_at=MONDAY_10)
    second, _token = _create(received_at=MONDAY_10)
    assert first.reference == "IP-2026-000001"
    assert second.reference == "IP-2026-000002"


def test_reference_numbers_start_again_each_year_in_office_time() -> None:
    last_of_year = datetime(2026, 12, 31, 23, 30, tzinfo=WARSAW)
    # 23:30 UTC on 31 December is already 1 January in Warsaw.
    first_of_next = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert reference_next(at=last_of_year) == "IP-2026-000001"
    assert reference_next(at=first_of_next) == "IP-2027-000001"
    assert reference_next(at=last_of_year) == "IP-2026-000002"


def test_reference_prefix_comes_from_settings(settings: object) -> None:
    settings.ENQUIRY_REFERENCE_PREFIX = "KR"  # type: ignore[attr-defined]
    enquiry, _token = _create(received_at=MONDAY_10)
    assert re.fullmatch(r"KR-2026-\d{6}", enquiry.reference)


# --- tracking token --------------------------------------------------------------------------


def test_tracking_token_is_returned_once_and_stored_only_as_hash() -> None:
    enquiry, token = _create()
    assert len(token) >= 40
    assert enquiry.tracking_token_hash == tracking_token_hash(token)
    assert token not in enquiry.tracking_token_hash
    assert enquiry_for_tracking(token=token) == enquiry


def test_tracking_token_does_not_open_with_a_wrong_token() -> None:
    enquiry, token = _create()
    with pytest.raises(Enquiry.DoesNotExist):
        enquiry_for_tracking(token=token[:-1])
    with pytest.raises(Enquiry.DoesNotExist):
        enquiry_for_tracking(token=enquiry.tracking_token_hash)


def test_renewed_token_replaces_the_old_one() -> None:
    enquiry, old = _create()
    new = enquiry_tracking_token_renew(enquiry=enquiry)
    assert enquiry_for_tracking(token=new) == enquiry
    with pytest.raises(Enquiry.DoesNotExist):
        enquiry_for_tracking(token=old)


# --- due time --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Monday 10:00 + 20 working hours: Mon 9 h, Tue 10 h, Wed 1 h.
        (MONDAY_10, datetime(2026, 11, 25, 10, 0, tzinfo=WARSAW)),
        # Friday 17:00: Fri 2 h, Sat 5 h, Mon 10 h, Tue 3 h.
        (datetime(2026, 11, 27, 17, 0, tzinfo=WARSAW), datetime(2026, 12, 1, 12, 0, tzinfo=WARSAW)),
        # Tuesday 10 November: Wednesday 11 November is a public holiday.
        (
            datetime(2026, 11, 10, 10, 0, tzinfo=WARSAW),
            datetime(2026, 11, 13, 10, 0, tzinfo=WARSAW),
        ),
        # Sunday night: the clock starts at Monday's opening.
        (
            datetime(2026, 11, 22, 22, 0, tzinfo=WARSAW),
            datetime(2026, 11, 24, 19, 0, tzinfo=WARSAW),
        ),
    ],
)
def test_due_time_is_two_working_days_on_the_office_calendar(
    received: datetime, due: datetime
) -> None:
    enquiry, _token = _create(received_at=received)
    assert enquiry.due_at == due
    assert enquiry_due_at(received_at=received, topic=None) == due


def test_topic_can_set_its_own_answer_time() -> None:
    topic = TopicFactory(answer_within_days=1)
    enquiry, _token = _create(received_at=MONDAY_10, topic=topic)
    assert enquiry.due_at == datetime(2026, 11, 24, 10, 0, tzinfo=WARSAW)


def test_default_answer_time_and_working_day_come_from_settings(settings: object) -> None:
    settings.ENQUIRY_ANSWER_WITHIN_DAYS = 1  # type: ignore[attr-defined]
    settings.ENQUIRY_WORKING_DAY_HOURS = 5  # type: ignore[attr-defined]
    assert enquiry_due_at(received_at=MONDAY_10, topic=None) == datetime(
        2026, 11, 23, 15, 0, tzinfo=WARSAW
    )


def test_without_any_opening_hours_due_time_counts_calendar_days(office_hours: object) -> None:
    office_hours.weekly_hours.all().delete()  # type: ignore[attr-defined]
    assert enquiry_due_at(received_at=MONDAY_10, topic=None) == datetime(
        2026, 11, 25, 10, 0, tzinfo=WARSAW
    )


# --- what is stored --------------------------------------------------------------------------


def test_web_enquiry_records_consent_contact_and_first_message() -> None:
    topic = TopicFactory()
    with time_machine.travel(MONDAY_10, tick=False):
        enquiry, _token = _create(
            topic=topic,
            phone="+48 600 000 000",
            preferred_language="en",
            safe_contact=SafeContact.EMAIL_ONLY,
        )
    assert enquiry.status == Status.NEW
    assert enquiry.channel == Channel.WEB
    assert enquiry.language == "uk"
    assert enquiry.preferred_language == "en"
    assert enquiry.safe_contact == SafeContact.EMAIL_ONLY
    assert enquiry.consent_version == CONSENT_VERSION
    assert enquiry.consent_given_at == MONDAY_10
    assert enquiry.subject == "Як отримати PESEL?"
    [message] = enquiry_thread(enquiry=enquiry)
    assert message.direction == Direction.IN
    assert message.author is None
    assert message.text == "Як отримати PESEL?"


def test_unknown_language_falls_back_to_the_site_default() -> None:
    enquiry, _token = _create(language="xx", preferred_language="zz")
    assert enquiry.language == "pl"
    assert enquiry.preferred_language == "pl"


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("scan.pdf", b"%PDF-1.4 rest", "application/pdf"),
        ("photo.jpg", JPEG_BYTES, "image/jpeg"),
        ("photo.png", PNG_BYTES, "image/png"),
        ("IMG_0001.HEIC", HEIC_BYTES, "image/heic"),
        ("wrongly-named.txt", b"%PDF-1.4 rest", "application/pdf"),
    ],
)
def test_attachments_are_stored_under_a_random_name_with_the_detected_type(
    name: str, data: bytes, content_type: str
) -> None:
    enquiry, _token = _create(attachments=[ContentFile(data, name=name)])
    attachment = Attachment.objects.get(message__enquiry=enquiry)
    assert attachment.original_filename == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    assert attachment.file.name.startswith("enquiries/")
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    assert attachment.file.read() == data


@pytest.mark.parametrize(
    "files",
    [
        [ContentFile(EXE_BYTES, name="passport.pdf")],
        [ContentFile(b"plain text", name="note.txt")],
        [ContentFile(b"", name="empty.pdf")],
        [pdf_file(f"scan{n}.pdf") for n in range(6)],
    ],
    ids=["exe-named-pdf", "text", "empty", "too-many"],
)
def test_refused_attachments_save_nothing(files: list[ContentFile]) -> None:
    with pytest.raises(ValidationError):
        _create(attachments=files)
    assert not Enquiry.objects.exists()
    assert not Message.objects.exists()
    assert not mail.outbox


def test_oversized_attachment_is_refused(settings: object) -> None:
    settings.ENQUIRY_MAX_ATTACHMENT_BYTES = 10  # type: ignore[attr-defined]
    # The message is in the active language, which earlier tests may have left set: fix it.
    with translation.override("en"), pytest.raises(ValidationError, match="bigger than"):
        _create(attachments=[pdf_file()])
    assert not Enquiry.objects.exists()


def test_empty_question_is_refused() -> None:
    with pytest.raises(ValidationError):
        _create(text="   ")
    assert not Enquiry.objects.exists()


def test_invalid_email_is_refused_and_nothing_is_saved(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):  # type: ignore[operator]
        _create(email="not-an-address")
    assert not Enquiry.objects.exists()
    assert not mail.outbox


# --- acknowledgement -------------------------------------------------------------------------


def test_acknowledgement_is_sent_in_the_enquirers_language_with_due_time_and_link(
    django_capture_on_commit_callbacks: object,
) -> None:
    with (
        time_machine.travel(MONDAY_10, tick=False),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        enquiry, token = _create(preferred_language="uk")
    [email] = mail.outbox
    assert email.to == ["olena@example.net"]
    assert f"[{enquiry.reference}]" in email.subject
    assert f"https://infopoint.example.org/uk/enquiries/t/{token}/" in email.body
    # Ukrainian date format: 25 листопада 2026 р. 10:00 (month in the genitive case).
    assert "листопада 2026" in email.body
    assert "10:00" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert f"/uk/enquiries/t/{token}/" in html
    assert email.extra_headers["Auto-Submitted"] == "auto-replied"
    ack = Message.objects.get(enquiry=enquiry, direction=Direction.OUT)
    assert ack.automatic
    assert email.extra_headers["Message-ID"] == f"<{ack.email_message_id}>"
    assert token not in ack.text


def test_acknowledgement_dates_are_in_the_office_time_zone(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _create(received_at=MONDAY_10, preferred_language="en")
    due = datetime(2026, 11, 25, 10, 0, tzinfo=WARSAW)  # two working days later, 10:00 in Warsaw
    with translation.override("en"):
        assert date_format(due, "DATETIME_FORMAT") in mail.outbox[0].body


@pytest.mark.parametrize("safe_contact", [SafeContact.PHONE_ONLY, SafeContact.LINK_ONLY])
def test_no_acknowledgement_when_safe_contact_forbids_email(
    safe_contact: str, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _create(safe_contact=safe_contact, phone="+48 600 000 000")
    assert not mail.outbox
    assert not Message.objects.filter(direction=Direction.OUT).exists()


def test_no_acknowledgement_without_an_email_address(
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        _create(email="", phone="+48 600 000 000")
    assert not mail.outbox


# --- phone, letter, visit --------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.LETTER, Channel.VISIT])
def test_staff_log_a_contact_with_consent_noted_and_no_acknowledgement(
    channel: str, django_capture_on_commit_callbacks: object
) -> None:
    consultant = UserFactory()
    topic = TopicFactory()
    with (
        time_machine.travel(MONDAY_10, tick=False),
        django_capture_on_commit_callbacks(execute=True),  # type: ignore[operator]
    ):
        enquiry, _token = enquiry_log_contact(
            channel=channel,
            author=consultant,
            text="Asks where to register a child's birth.",
            language="ru",
            topic=topic,
            phone="+48 600 000 000",
            email="caller@example.net",
            consent_given=True,
        )
    assert enquiry.channel == channel
    assert enquiry.consent_version == CONSENT_VERSION_ORAL
    assert enquiry.consent_given_at == MONDAY_10
    assert enquiry.topic == topic
    message = enquiry.messages.get()
    assert message.author == consultant
    assert message.channel == channel
    assert not mail.outbox


def test_logged_contact_without_consent_records_none() -> None:
    enquiry, _token = enquiry_log_contact(
        channel=Channel.PHONE,
        author=UserFactory(),
        text="Question about a school place.",
        language="pl",
        consent_given=False,
    )
    assert enquiry.consent_version == ""
    assert enquiry.consent_given_at is None


def test_only_phone_letter_and_visit_can_be_logged() -> None:
    with pytest.raises(ValidationError):
        enquiry_log_contact(
            channel=Channel.WEB,
            author=UserFactory(),
            text="Question",
            language="pl",
            consent_given=True,
        )
