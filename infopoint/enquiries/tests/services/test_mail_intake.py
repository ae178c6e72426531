from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.models import Attachment, Channel, Direction, Enquiry, Message, Status
from infopoint.enquiries.services import (
    enquiry_create,
    enquiry_receive_mail,
    enquiry_reply,
    enquiry_set_status,
)
from infopoint.enquiries.tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    UserFactory,
    parsed_attachment,
    parsed_message,
)

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def _receive(capture: object, **overrides: object) -> Enquiry:
    with capture(execute=True):  # type: ignore[operator]
        return enquiry_receive_mail(parsed_message(**overrides))


def test_new_mail_becomes_an_enquiry_in_the_detected_language(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(
        django_capture_on_commit_callbacks,
        date=datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW),
    )
    assert enquiry.channel == Channel.EMAIL
    assert enquiry.language == "uk"
    assert enquiry.preferred_language == "uk"
    assert enquiry.email == "olena@example.net"
    assert enquiry.name == "Olena"
    assert enquiry.subject == "Питання про PESEL"
    assert enquiry.created_at == datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)
    assert enquiry.consent_version == ""
    message = enquiry.messages.get(direction=Direction.IN)
    assert message.email_message_id == "first@mail.example.net"
    # Acknowledged once, threaded to the enquirer's mail, in their language.
    [ack] = mail.outbox
    assert ack.to == ["olena@example.net"]
    assert ack.subject == f"Re: [{enquiry.reference}] Питання про PESEL"
    assert ack.extra_headers["In-Reply-To"] == "<first@mail.example.net>"
    assert ack.extra_headers["References"] == "<first@mail.example.net>"
    assert "/uk/enquiries/t/" in ack.body


def test_language_falls_back_to_the_site_default_for_short_text(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks, subject="?", text="ok")
    assert enquiry.language == "pl"


def test_a_transliterated_russian_mail_is_recorded_as_russian(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(
        django_capture_on_commit_callbacks,
        subject="karta pobytu",
        text="karta pobytu skolko zhdat? podala dokumenty v marte",
    )
    assert (enquiry.language, enquiry.preferred_language) == ("ru", "ru")


def test_the_same_mail_twice_changes_nothing(django_capture_on_commit_callbacks: object) -> None:
    first = _receive(django_capture_on_commit_callbacks)
    again = _receive(django_capture_on_commit_callbacks)
    assert again == first
    assert Enquiry.objects.count() == 1
    assert Message.objects.filter(direction=Direction.IN).count() == 1
    assert len(mail.outbox) == 1


def test_reply_to_our_acknowledgement_threads_by_in_reply_to(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks)
    ack = enquiry.messages.get(direction=Direction.OUT)
    enquiry_set_status(enquiry=enquiry, status=Status.CLOSED, author=None)
    again = _receive(
        django_capture_on_commit_callbacks,
        message_id="<second@mail.example.net>",
        in_reply_to=f"<{ack.email_message_id}>",
        subject="Re: something else entirely",
        from_address="other-address@example.net",
        text="Дякую, ще одне питання.",
    )
    assert again == enquiry
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    assert enquiry.messages.filter(direction=Direction.IN).count() == 2
    assert len(mail.outbox) == 1  # no second acknowledgement


def test_reply_to_a_consultants_answer_threads_by_references(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = enquiry_reply(enquiry=enquiry, author=UserFactory(), text="Відповідь")
    again = _receive(
        django_capture_on_commit_callbacks,
        message_id="<third@mail.example.net>",
        in_reply_to="<unknown@elsewhere.example>",
        references=["<first@mail.example.net>", f"<{answer.email_message_id}>"],
        subject="Re: Питання",
        text="Дякую!",
    )
    assert again == enquiry
    assert enquiry.messages.filter(direction=Direction.IN).count() == 2


def test_reference_in_subject_from_the_enquirers_address_threads(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry, _token = enquiry_create(
        channel=Channel.WEB,
        text="Question on the web",
        language="en",
        email="Olena@Example.net",
        consent_version=CONSENT_VERSION,
    )
    again = _receive(
        django_capture_on_commit_callbacks,
        subject=f"About my enquiry {enquiry.reference.lower()}",
        text="Here is the scan you asked for.",
    )
    assert again == enquiry
    assert Enquiry.objects.count() == 1


def test_reference_in_subject_from_another_sender_makes_a_new_linked_enquiry(
    django_capture_on_commit_callbacks: object,
) -> None:
    victim, _token = enquiry_create(
        channel=Channel.WEB,
        text="My private question",
        language="en",
        email="victim@example.net",
        consent_version=CONSENT_VERSION,
    )
    mail.outbox.clear()
    intruder = _receive(
        django_capture_on_commit_callbacks,
        subject=f"Re: [{victim.reference}]",
        from_address="intruder@example.org",
        text="Injected text that must not reach the victim's thread.",
    )
    assert intruder != victim
    assert intruder.related_enquiry == victim
    assert intruder.email == "intruder@example.org"
    assert victim.messages.filter(direction=Direction.IN).count() == 1
    assert victim.reference in intruder.notes.get().text
    # The acknowledgement goes to the sender only and names the new reference.
    [ack] = mail.outbox
    assert ack.to == ["intruder@example.org"]
    assert intruder.reference in ack.subject


def test_automatic_mail_gets_no_acknowledgement(django_capture_on_commit_callbacks: object) -> None:
    enquiry = _receive(
        django_capture_on_commit_callbacks, is_automatic=True, from_address="mailer-daemon@x.org"
    )
    assert enquiry.status == Status.NEW
    assert not mail.outbox
    assert not enquiry.messages.filter(direction=Direction.OUT).exists()


def test_mail_from_our_own_address_gets_no_acknowledgement(
    django_capture_on_commit_callbacks: object,
) -> None:
    _receive(django_capture_on_commit_callbacks, from_address="info-point@example.invalid")
    assert not mail.outbox


def test_mail_from_the_sender_address_with_a_display_name_gets_no_acknowledgement(
    django_capture_on_commit_callbacks: object, settings: object
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Punkt Informacyjny <punkt@city.example>"  # type: ignore[attr-defined]
    settings.CONTACT_EMAIL = "contact@city.example"  # type: ignore[attr-defined]
    _receive(django_capture_on_commit_callbacks, from_address="Punkt@City.example")
    assert not mail.outbox


def test_auto_reply_to_an_answer_is_kept_but_does_not_reopen(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = enquiry_reply(enquiry=enquiry, author=UserFactory(), text="Відповідь")
    sent = len(mail.outbox)
    again = _receive(
        django_capture_on_commit_callbacks,
        message_id="<ooo@mail.example.net>",
        in_reply_to=f"<{answer.email_message_id}>",
        subject="Out of office",
        text="I am on holiday until Monday.",
        is_automatic=True,
    )
    assert again == enquiry
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    assert enquiry.messages.get(email_message_id="ooo@mail.example.net").automatic
    assert len(mail.outbox) == sent


def test_refused_attachments_are_dropped_with_a_note(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(
        django_capture_on_commit_callbacks,
        attachments=[
            parsed_attachment("passport.pdf", PDF_BYTES, "application/pdf"),
            parsed_attachment("invoice.pdf", EXE_BYTES, "application/pdf"),
        ],
    )
    [kept] = Attachment.objects.filter(message__enquiry=enquiry)
    assert kept.original_filename == "passport.pdf"
    assert "invoice.pdf" in enquiry.notes.get().text


def test_mail_with_an_unusable_sender_address_is_kept_without_acknowledgement(
    django_capture_on_commit_callbacks: object,
) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks, from_address="not an address")
    assert enquiry.email == ""
    assert not mail.outbox


def test_mail_without_text_uses_its_subject(django_capture_on_commit_callbacks: object) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks, text="")
    assert enquiry.messages.get(direction=Direction.IN).text == "Питання про PESEL"


def test_mail_into_a_merged_enquiry_goes_to_the_one_it_was_merged_into(
    django_capture_on_commit_callbacks: object,
) -> None:
    first = _receive(django_capture_on_commit_callbacks)
    target, _token = enquiry_create(
        channel=Channel.WEB, text="Target", language="en", consent_version=CONSENT_VERSION
    )
    first.merged_into = target
    first.save(update_fields=["merged_into"])
    again = _receive(
        django_capture_on_commit_callbacks,
        message_id="<fourth@mail.example.net>",
        in_reply_to="<first@mail.example.net>",
    )
    assert again == target


def test_empty_mail_is_still_kept(django_capture_on_commit_callbacks: object) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks, subject="", text="")
    assert enquiry.messages.get(direction=Direction.IN).text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith(f"Re: [{enquiry.reference}]")


def test_subject_on_several_lines_becomes_one(django_capture_on_commit_callbacks: object) -> None:
    enquiry = _receive(django_capture_on_commit_callbacks, subject="Line one\r\n Line two")
    assert enquiry.subject == "Line one Line two"
    assert "\n" not in mail.outbox[0].subject
