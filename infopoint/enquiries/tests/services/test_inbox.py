from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from infopoint.accounts.services import duty_shift_create
from infopoint.directory.models import Institution
from infopoint.directory.tests.factories import InstitutionFactory, InstitutionTranslationFactory
from infopoint.enquiries.inbox import (
    enquiry_assign,
    enquiry_merge,
    enquiry_refer,
    enquiry_suggest_assignee,
    referral_text,
    reply_template_render,
    reply_templates_for,
)
from infopoint.enquiries.models import InternalNote, Message, Referral, SafeContact, Status
from infopoint.enquiries.selectors import enquiry_for_tracking
from infopoint.enquiries.services import enquiry_receive_mail, enquiry_set_status
from infopoint.enquiries.tests.factories import (
    ReplyTemplateFactory,
    UserFactory,
    desk_user,
    enquiry_make,
    parsed_message,
    pdf_file,
)
from infopoint.hours.models import Schedule, WeeklyHours
from infopoint.topics.tests.factories import TopicFactory, TopicTranslationFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(MONDAY_10, tick=False), translation.override("en"):
        yield


# --- assignment and routing --------------------------------------------------------------------


def test_assign_records_a_note_and_opens_a_new_enquiry() -> None:
    olena, ivan = desk_user(first_name="Olena"), desk_user(first_name="Ivan")
    enquiry = enquiry_make()
    enquiry_assign(enquiry=enquiry, assignee=ivan, author=olena)
    enquiry.refresh_from_db()
    assert enquiry.assignee == ivan
    assert enquiry.status == Status.OPEN
    note = enquiry.notes.get()
    assert note.text == f"Assigned to {ivan} by {olena}."
    assert note.author == olena
    # The same person again changes nothing; nobody is a choice too.
    enquiry_assign(enquiry=enquiry, assignee=ivan, author=olena)
    assert enquiry.notes.count() == 1
    enquiry_assign(enquiry=enquiry, assignee=None, author=olena)
    enquiry.refresh_from_db()
    assert enquiry.assignee is None
    assert enquiry.notes.last().text == f"Unassigned by {olena}."


def test_only_desk_staff_can_be_assigned() -> None:
    enquiry = enquiry_make()
    with pytest.raises(ValidationError):
        enquiry_assign(enquiry=enquiry, assignee=UserFactory(), author=desk_user())
    with pytest.raises(ValidationError):
        enquiry_assign(enquiry=enquiry, assignee=desk_user("adviser"), author=desk_user())
    enquiry.refresh_from_db()
    assert enquiry.assignee is None
    assert not enquiry.notes.exists()


def test_suggestion_is_on_duty_speaks_the_language_and_has_least_work() -> None:
    busy = desk_user(first_name="Busy", languages=["uk", "pl"])
    free = desk_user(first_name="Free", languages=["uk"])
    english = desk_user(first_name="English", languages=["en"])
    off_duty = desk_user(first_name="Off", languages=["uk"])
    for user in (busy, free, english):
        duty_shift_create(user=user, date=MONDAY_10.date(), starts_at=time(9), ends_at=time(19))
    duty_shift_create(user=off_duty, date=date(2026, 11, 24), starts_at=time(9), ends_at=time(19))
    for _ in range(2):
        enquiry_assign(enquiry=enquiry_make(), assignee=busy, author=busy)
    closed = enquiry_make()
    enquiry_assign(enquiry=closed, assignee=free, author=free)
    enquiry_set_status(enquiry=closed, status=Status.CLOSED, author=free)

    enquiry = enquiry_make(language="uk")
    assert enquiry_suggest_assignee(enquiry=enquiry) == free
    assert enquiry_suggest_assignee(enquiry=enquiry_make(language="en")) == english
    assert enquiry_suggest_assignee(enquiry=enquiry_make(language="ru")) is None
    # Evening: nobody on duty.
    assert enquiry_suggest_assignee(enquiry=enquiry, at=MONDAY_10 + timedelta(hours=10)) is None
    # An answer wanted in Ukrainian to a question written in Polish: Busy reads both.
    mixed = enquiry_make(language="pl", preferred_language="uk")
    assert enquiry_suggest_assignee(enquiry=mixed) == busy


# --- templates -----------------------------------------------------------------------------------


def test_templates_fit_the_topic_and_the_answer_language_first() -> None:
    topic = TopicFactory()
    TopicTranslationFactory(topic=topic, language="uk", name="Житло")
    other_topic = TopicFactory()
    general_en = ReplyTemplateFactory(language="en", title="General")
    general_uk = ReplyTemplateFactory(language="uk", title="Загальний")
    own = ReplyTemplateFactory(language="uk", title="Житло", topic=topic, text="{topic}: {x}")
    ReplyTemplateFactory(language="uk", topic=other_topic)
    enquiry = enquiry_make(topic=topic, language="uk")
    assert reply_templates_for(enquiry=enquiry) == [own, general_uk, general_en]
    author = desk_user(first_name="Olena", last_name="Shevchenko")
    assert reply_template_render(template=own, enquiry=enquiry, author=author) == "Житло: {x}"
    assert reply_template_render(template=general_uk, enquiry=enquiry) == (
        f"Добрий день, Olena Kowalenko! Ваш номер: {enquiry.reference}."
    )


def test_template_titles_are_unique_per_topic_and_language() -> None:
    topic = TopicFactory()
    ReplyTemplateFactory(language="uk", title="Same", topic=topic)
    ReplyTemplateFactory(language="en", title="Same", topic=topic)
    ReplyTemplateFactory(language="uk", title="Same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyTemplateFactory(language="uk", title="Same", topic=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReplyTemplateFactory(language="uk", title="Same")


# --- referrals ---------------------------------------------------------------------------------


def _voivodeship_office() -> Institution:
    schedule = Schedule.objects.create(slug="office-hours-test", name="Office")
    for weekday in range(4):
        WeeklyHours.objects.create(
            schedule=schedule, weekday=weekday, opens=time(8), closes=time(16)
        )
    WeeklyHours.objects.create(schedule=schedule, weekday=4, opens=time(8), closes=time(15))
    institution = InstitutionFactory(
        slug="voivodeship-office",
        street_address="ul. Przy Rondzie 6",
        postal_code="31-547",
        phones=["12 39 21 100"],
        fax="12 39 21 354",
        schedule=schedule,
    )
    InstitutionTranslationFactory(
        institution=institution,
        language="uk",
        name="Відділ у справах іноземців",
        rooms="партер, кімнати 1 і 2",
        hours_note="Запис онлайн.",
    )
    InstitutionTranslationFactory(
        institution=institution, language="en", name="Department of Foreigners' Affairs"
    )
    return institution


def test_referral_text_is_in_the_language_of_the_answer() -> None:
    institution = _voivodeship_office()
    text = referral_text(institution=institution, language="uk")
    assert text.splitlines()[0] == "Відділ у справах іноземців"
    assert "ul. Przy Rondzie 6, 31-547 Kraków" in text
    assert "партер, кімнати 1 і 2" in text
    assert "12 39 21 100" in text
    assert "12 39 21 354" in text
    assert "Запис онлайн." in text
    english = referral_text(institution=institution, language="en")
    assert english.splitlines()[0] == "Department of Foreigners' Affairs"
    assert "Address: ul. Przy Rondzie 6" in english
    assert "Monday – Thursday: 08:00–16:00" in english
    assert "Friday: 08:00–15:00" in english


def test_refer_answers_with_the_details_and_records_the_referral(mailoutbox) -> None:
    institution = _voivodeship_office()
    author = desk_user()
    enquiry = enquiry_make(language="uk")
    referral = enquiry_refer(
        enquiry=enquiry, institution=institution, author=author, text="Зверніться сюди:"
    )
    enquiry.refresh_from_db()
    assert enquiry.status == Status.REFERRED
    assert referral.institution == institution
    assert referral.author == author
    assert referral.message.text.startswith("Зверніться сюди:\n\nВідділ у справах іноземців")
    assert Referral.objects.filter(enquiry=enquiry).count() == 1
    # Text that already holds the details gets them once.
    details = referral_text(institution=institution, language="uk")
    again = enquiry_refer(enquiry=enquiry, institution=institution, author=author, text=details)
    assert again.message.text == details


def test_refer_keeps_to_safe_contact(mailoutbox) -> None:
    enquiry = enquiry_make(safe_contact=SafeContact.LINK_ONLY)
    enquiry_refer(enquiry=enquiry, institution=_voivodeship_office(), author=desk_user())
    assert not mail.outbox
    assert Message.objects.filter(enquiry=enquiry, email_message_id="").count() == 2


# --- merging -----------------------------------------------------------------------------------


def test_merge_moves_the_thread_and_closes_the_duplicate() -> None:
    author = desk_user(first_name="Olena")
    target = enquiry_make(text="First question")
    enquiry_set_status(enquiry=target, status=Status.ANSWERED, author=author)
    source = enquiry_make(text="Same question again", attachments=[pdf_file()])
    InternalNote.objects.create(enquiry=source, text="A note")
    earlier = enquiry_make(text="An even older duplicate")
    enquiry_merge(source=earlier, target=source, author=author)

    enquiry_merge(source=source, target=target, author=author)
    source.refresh_from_db()
    target.refresh_from_db()
    assert source.merged_into == target
    assert source.status == Status.CLOSED
    assert not source.messages.exists()
    texts = list(target.messages.values_list("text", flat=True))
    assert texts == ["First question", "Same question again", "An even older duplicate"]
    assert target.messages.get(text="Same question again").attachments.count() == 1
    assert "A note" in target.notes.values_list("text", flat=True)
    assert f"merged {source.reference} into this enquiry" in target.notes.last().text
    assert source.notes.get().text == f"{author} merged this enquiry into {target.reference}."
    # An earlier merge now points to the enquiry kept.
    earlier.refresh_from_db()
    assert earlier.merged_into == target
    # The duplicate still needed an answer: the enquiry kept is open again.
    assert target.status == Status.OPEN


def test_merge_refuses_itself_twice_and_merged_targets() -> None:
    author = desk_user()
    first, second, third = enquiry_make(), enquiry_make(), enquiry_make()
    with pytest.raises(ValidationError):
        enquiry_merge(source=first, target=first, author=author)
    enquiry_merge(source=first, target=second, author=author)
    with pytest.raises(ValidationError):
        enquiry_merge(source=first, target=third, author=author)
    with pytest.raises(ValidationError, match="merge into that one instead"):
        enquiry_merge(source=third, target=first, author=author)


def test_mail_and_link_of_a_merged_enquiry_lead_to_the_one_kept() -> None:
    from infopoint.enquiries.services import enquiry_create

    author = desk_user()
    target = enquiry_make()
    source, token = enquiry_create(
        channel="email",
        text="Duplicate",
        language="uk",
        email="olena@example.net",
        email_message_id="dup@mail.example.net",
    )
    enquiry_merge(source=source, target=target, author=author)
    assert enquiry_for_tracking(token=token) == target
    answer = enquiry_receive_mail(
        parsed_message(message_id="<next@mail.example.net>", in_reply_to="<dup@mail.example.net>")
    )
    assert answer == target
