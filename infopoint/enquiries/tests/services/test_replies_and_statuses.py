from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from infopoint.enquiries.consent import CONSENT_VERSION
from infopoint.enquiries.models import Channel, Direction, Enquiry, SafeContact, Status
from infopoint.enquiries.selectors import enquiry_thread
from infopoint.enquiries.services import (
    TRANSITIONS,
    enquiry_add_enquirer_message,
    enquiry_add_note,
    enquiry_create,
    enquiry_reply,
    enquiry_set_status,
)
from infopoint.enquiries.tests.factories import UserFactory, pdf_file

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


def _enquiry(**overrides: object) -> Enquiry:
    values: dict[str, object] = {
        "channel": Channel.WEB,
        "text": "Як отримати PESEL?",
        "language": "uk",
        "name": "Olena",
        "email": "olena@example.net",
        "consent_version": CONSENT_VERSION,
        "received_at": MONDAY_10,
    }
    values.update(overrides)
    enquiry, _token = enquiry_create(**values)  # type: ignore[arg-type]
    return enquiry


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=WARSAW)


# --- statuses --------------------------------------------------------------------------------


def test_every_status_has_its_transitions() -> None:
    assert set(TRANSITIONS) == set(Status.values)
    assert TRANSITIONS[Status.CLOSED] == {Status.OPEN}


def test_forbidden_transition_is_refused() -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=Status.CLOSED, author=None)
    with pytest.raises(ValidationError):
        enquiry_set_status(enquiry=enquiry, status=Status.ANSWERED, author=None)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CLOSED


def test_waiting_pauses_the_clock_and_resuming_keeps_the_time_left() -> None:
    enquiry = _enquiry()
    assert enquiry.due_at == _at(25, 10)
    enquiry_set_status(enquiry=enquiry, status=Status.WAITING, author=None, at=_at(23, 15))
    enquiry.refresh_from_db()
    assert enquiry.waiting_since == _at(23, 15)
    assert enquiry.is_paused
    # 15 working hours were left (Mon 4 h, Tue 10 h, Wed 1 h); counted again from Tue 12:00.
    enquiry_set_status(enquiry=enquiry, status=Status.OPEN, author=None, at=_at(24, 12))
    enquiry.refresh_from_db()
    assert enquiry.waiting_since is None
    assert enquiry.due_at == _at(25, 17)


def test_an_enquiry_late_when_paused_stays_late() -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=Status.WAITING, author=None, at=_at(26, 10))
    enquiry_set_status(enquiry=enquiry, status=Status.OPEN, author=None, at=_at(27, 10))
    enquiry.refresh_from_db()
    assert enquiry.due_at == _at(25, 10)


def test_closing_and_reopening() -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=Status.CLOSED, author=None, at=_at(24, 10))
    enquiry.refresh_from_db()
    assert enquiry.closed_at == _at(24, 10)
    enquiry_set_status(enquiry=enquiry, status=Status.OPEN, author=None, at=_at(30, 10))
    enquiry.refresh_from_db()
    assert enquiry.closed_at is None
    assert enquiry.due_at == datetime(2026, 12, 2, 10, 0, tzinfo=WARSAW)


# --- the enquirer writes again ---------------------------------------------------------------


def test_enquirer_message_resumes_a_waiting_enquiry() -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=Status.WAITING, author=None, at=_at(23, 15))
    enquiry_add_enquirer_message(
        enquiry=enquiry, text="Ось мій номер паспорта.", received_at=_at(24, 12)
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    assert enquiry.due_at == _at(25, 17)


@pytest.mark.parametrize("status", [Status.ANSWERED, Status.REFERRED, Status.CLOSED])
def test_enquirer_message_reopens_with_a_fresh_due_time(status: str) -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=status, author=None, at=_at(24, 10))
    message = enquiry_add_enquirer_message(
        enquiry=enquiry, text="Ще одне питання.", attachments=[pdf_file()], received_at=_at(30, 10)
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN
    assert enquiry.closed_at is None
    assert enquiry.due_at == datetime(2026, 12, 2, 10, 0, tzinfo=WARSAW)
    assert message.attachments.count() == 1


def test_empty_enquirer_message_is_refused() -> None:
    enquiry = _enquiry()
    with pytest.raises(ValidationError):
        enquiry_add_enquirer_message(enquiry=enquiry, text="  ")
    assert enquiry.messages.filter(automatic=False).count() == 1


# --- replies ---------------------------------------------------------------------------------


def test_reply_is_emailed_threaded_in_the_enquirers_language(
    django_capture_on_commit_callbacks: object,
) -> None:
    consultant = UserFactory(first_name="Olena", last_name="Kowalska")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        enquiry = _enquiry(preferred_language="uk")
        enquiry_add_enquirer_message(
            enquiry=enquiry,
            text="Ще питання",
            via=Channel.EMAIL,
            email_message_id="incoming-1@mail.example.net",
            received_at=_at(23, 11),
        )
        with time_machine.travel(_at(23, 12), tick=False):
            reply = enquiry_reply(enquiry=enquiry, author=consultant, text="PESEL видає ґміна.")
    _ack_email, reply_email = mail.outbox
    ack = enquiry.messages.get(automatic=True)
    assert reply_email.to == ["olena@example.net"]
    assert reply_email.subject == f"Re: [{enquiry.reference}] Як отримати PESEL?"
    assert reply_email.extra_headers["Message-ID"] == f"<{reply.email_message_id}>"
    assert reply_email.extra_headers["In-Reply-To"] == "<incoming-1@mail.example.net>"
    assert reply_email.extra_headers["References"] == (
        f"<{ack.email_message_id}> <incoming-1@mail.example.net>"
    )
    assert "PESEL видає ґміна." in reply_email.body
    assert "Olena Kowalska" in reply_email.body
    [(html, _mimetype)] = reply_email.alternatives
    assert "<p>PESEL видає ґміна.</p>" in html
    assert 'lang="uk"' in html
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    assert enquiry.first_response_at == _at(23, 12)


def test_reply_text_is_escaped_in_html(django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        enquiry = _enquiry()
        enquiry_reply(enquiry=enquiry, author=UserFactory(), text="<script>x</script>")
    [(html, _mimetype)] = mail.outbox[-1].alternatives
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("safe_contact", [SafeContact.PHONE_ONLY, SafeContact.LINK_ONLY])
def test_reply_is_not_emailed_when_safe_contact_forbids_it(
    safe_contact: str, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        enquiry = _enquiry(safe_contact=safe_contact, phone="+48 600 000 000")
        reply = enquiry_reply(enquiry=enquiry, author=UserFactory(), text="Answer")
    assert not mail.outbox
    assert reply.email_message_id == ""
    assert reply in enquiry_thread(enquiry=enquiry)


def test_phone_answer_is_recorded_without_email(django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        enquiry = _enquiry(email="", phone="+48 600 000 000")
        reply = enquiry_reply(
            enquiry=enquiry,
            author=UserFactory(),
            text="Told her to go to the office.",
            channel=Channel.PHONE,
        )
    assert reply.channel == Channel.PHONE
    assert reply.direction == Direction.OUT
    assert not mail.outbox


def test_reply_can_wait_for_the_enquirer() -> None:
    enquiry = _enquiry()
    enquiry_reply(
        enquiry=enquiry,
        author=UserFactory(),
        text="Which city?",
        status=Status.WAITING,
        at=_at(23, 15),
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Status.WAITING
    assert enquiry.waiting_since == _at(23, 15)


def test_reply_to_a_closed_enquiry_reopens_it_first() -> None:
    enquiry = _enquiry()
    enquiry_set_status(enquiry=enquiry, status=Status.CLOSED, author=None)
    enquiry_reply(enquiry=enquiry, author=UserFactory(), text="One more thing.", send_email=False)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    assert enquiry.closed_at is None


def test_empty_reply_is_refused() -> None:
    enquiry = _enquiry()
    with pytest.raises(ValidationError):
        enquiry_reply(enquiry=enquiry, author=UserFactory(), text=" ")


# --- notes -----------------------------------------------------------------------------------


def test_notes_never_appear_in_the_thread() -> None:
    enquiry = _enquiry()
    note = enquiry_add_note(enquiry=enquiry, author=UserFactory(), text="Called back, no answer.")
    assert note.enquiry == enquiry
    assert all("Called back" not in message.text for message in enquiry_thread(enquiry=enquiry))


def test_thread_leaves_out_automatic_messages_unless_asked() -> None:
    enquiry = _enquiry()
    assert [m.direction for m in enquiry_thread(enquiry=enquiry)] == [Direction.IN]
    everything = enquiry_thread(enquiry=enquiry, include_automatic=True)
    assert [m.direction for m in everything] == [Direction.IN, Direction.OUT]


def test_thread_is_read_in_three_queries(django_assert_num_queries: object) -> None:
    enquiry = _enquiry()
    for n in range(3):
        enquiry_add_enquirer_message(enquiry=enquiry, text=f"m{n}", attachments=[pdf_file()])
    with django_assert_num_queries(2):  # type: ignore[operator]
        for message in enquiry_thread(enquiry=enquiry):
            list(message.attachments.all())
