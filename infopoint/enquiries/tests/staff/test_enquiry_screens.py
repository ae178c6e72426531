import pytest
from django.test import Client

from infopoint.accounts.models import User
from infopoint.directory.tests.factories import InstitutionFactory, InstitutionTranslationFactory
from infopoint.enquiries.consent import CONSENT_VERSION_ORAL
from infopoint.enquiries.models import (
    Channel,
    Direction,
    Enquiry,
    Message,
    Referral,
    SafeContact,
    Status,
)
from infopoint.enquiries.services import TRANSITIONS, enquiry_add_note, enquiry_create
from infopoint.enquiries.tests.factories import (
    PDF_BYTES,
    ReplyTemplateFactory,
    desk_user,
    enquiry_make,
    pdf_file,
)
from infopoint.topics.tests.factories import TopicFactory, TopicTranslationFactory

from .conftest import staff_url

pytestmark = pytest.mark.django_db


def _body(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_the_enquiry_page_shows_everything_staff_need(
    enquiry: Enquiry, consultant: User, consultant_client: Client
) -> None:
    enquiry.safe_contact = SafeContact.EMAIL_ONLY
    enquiry.save()
    enquiry_add_note(enquiry=enquiry, author=consultant, text="Her son is 3 years old.")
    body = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert enquiry.reference in body
    assert "Як отримати PESEL для дитини?" in body
    assert "Her son is 3 years old." in body
    assert 'class="safe-contact safe-contact--email_only"' in body
    assert "By e-mail only: never call me" in body
    # Only the statuses allowed from "new" are offered.
    for status in Status:
        offered = f'name="status" value="{status.value}"' in body
        assert offered == (status.value in TRANSITIONS[Status.NEW]), status


def test_internal_notes_never_reach_the_public_tracking_page(consultant: User, now: object):
    enquiry, token = enquiry_create(channel=Channel.WEB, text="Питання", language="uk")
    enquiry_add_note(enquiry=enquiry, author=consultant, text="Secret staff remark")
    client = Client()
    client.force_login(consultant)
    client.post(
        staff_url("note", pk=enquiry.pk), {"note-text": "Another staff-only remark"}, follow=True
    )
    assert enquiry.notes.count() == 2
    public = _body(Client().get(f"/uk/enquiries/t/{token}/"))
    assert "Питання" in public
    assert "Secret staff remark" not in public
    assert "Another staff-only remark" not in public


def test_status_buttons_move_the_enquiry(enquiry: Enquiry, consultant_client: Client) -> None:
    response = consultant_client.post(staff_url("status", pk=enquiry.pk), {"status": "waiting"})
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.WAITING
    assert enquiry.waiting_since is not None
    page = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert "The status is now" in page
    assert "Clock paused since" in page
    consultant_client.post(staff_url("status", pk=enquiry.pk), {"status": "closed"})
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CLOSED
    # From closed only reopening is allowed: anything else is refused with a message.
    refused = consultant_client.post(staff_url("status", pk=enquiry.pk), {"status": "answered"})
    assert refused.status_code == 400
    assert "This enquiry cannot move to that status now." in _body(refused)
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CLOSED
    consultant_client.post(staff_url("status", pk=enquiry.pk), {"status": "open"})
    enquiry.refresh_from_db()
    assert enquiry.status == Status.OPEN


def test_assign_to_me_to_a_colleague_and_the_suggestion(
    enquiry: Enquiry, consultant: User, consultant_client: Client
) -> None:
    from datetime import time

    from infopoint.accounts.services import duty_shift_create

    colleague = desk_user(first_name="Ivan", last_name="Franko", languages=["uk"])
    duty_shift_create(
        user=colleague, date=enquiry.created_at.date(), starts_at=time(9), ends_at=time(19)
    )
    page = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert "Assign to me" in page
    assert "Assign to Ivan Franko (on duty, speaks" in page
    assert f'name="assign-assignee" value="{colleague.pk}"' in page

    consultant_client.post(staff_url("assign", pk=enquiry.pk), {"assign-assignee": consultant.pk})
    enquiry.refresh_from_db()
    assert enquiry.assignee == consultant
    assert enquiry.status == Status.OPEN
    consultant_client.post(staff_url("assign", pk=enquiry.pk), {"assign-assignee": colleague.pk})
    enquiry.refresh_from_db()
    assert enquiry.assignee == colleague
    notes = list(enquiry.notes.values_list("text", flat=True))
    assert notes == [
        f"Assigned to {consultant} by {consultant}.",
        f"Assigned to Ivan Franko by {consultant}.",
    ]
    adviser = desk_user("adviser")
    refused = consultant_client.post(
        staff_url("assign", pk=enquiry.pk), {"assign-assignee": adviser.pk}
    )
    assert refused.status_code == 400
    assert "Choose a member of staff from the list." in _body(refused)


def test_a_template_prefills_the_answer_without_javascript(
    enquiry: Enquiry, consultant_client: Client
) -> None:
    template = ReplyTemplateFactory(language="uk", title="PESEL", text="Вітаю, {name}! {reference}")
    page = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert f'<option value="{template.pk}">PESEL (' in page
    prefilled = consultant_client.get(staff_url("detail", pk=enquiry.pk), {"template": template.pk})
    assert prefilled.context["reply_form"].initial["text"] == (
        f"Вітаю, Olena Kowalenko! {enquiry.reference}"
    )
    assert f"Вітаю, Olena Kowalenko! {enquiry.reference}</textarea>" in _body(prefilled)
    wrong = consultant_client.get(staff_url("detail", pk=enquiry.pk), {"template": "999"})
    assert wrong.status_code == 200
    assert "Choose a template from the list." in _body(wrong)


def test_an_answer_is_sent_by_email_and_shown_in_the_thread(
    enquiry: Enquiry, consultant_client: Client, mailoutbox: list
) -> None:
    response = consultant_client.post(
        staff_url("reply", pk=enquiry.pk),
        {
            "reply-text": "Потрібно звернутися до ЦНАП.",
            "reply-status": "answered",
            "reply-send_email": "on",
        },
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    assert enquiry.messages.filter(direction=Direction.OUT).get().text == (
        "Потрібно звернутися до ЦНАП."
    )
    empty = consultant_client.post(
        staff_url("reply", pk=enquiry.pk), {"reply-text": "  ", "reply-status": "answered"}
    )
    assert empty.status_code == 400
    assert "Enter the answer." in _body(empty)


def test_no_email_is_offered_when_safe_contact_forbids_it(now: object, consultant_client: Client):
    enquiry = enquiry_make(safe_contact=SafeContact.PHONE_ONLY, phone="+48 600 000 000")
    page = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert "reply-send_email" not in page
    assert "No e-mail will be sent" in page


def test_a_referral_inserts_the_institution_in_the_enquirers_language(
    enquiry: Enquiry, consultant: User, consultant_client: Client, mailoutbox: list
) -> None:
    institution = InstitutionFactory(street_address="ul. Basztowa 22", phones=["12 426 90 01"])
    InstitutionTranslationFactory(institution=institution, language="en", name="Advice point")
    InstitutionTranslationFactory(
        institution=institution,
        language="uk",
        name="Інформаційно-консультаційний пункт",
        rooms="1 поверх",
        hours_note="Гаряча лінія українською щодня.",
    )
    response = consultant_client.post(
        staff_url("refer", pk=enquiry.pk),
        {"referral-institution": institution.pk, "referral-text": "Зверніться, будь ласка:"},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.REFERRED
    referral = Referral.objects.get(enquiry=enquiry)
    assert referral.institution == institution
    assert referral.author == consultant
    text = referral.message.text
    assert text.startswith("Зверніться, будь ласка:")
    for detail in ("Інформаційно-консультаційний пункт", "ul. Basztowa 22", "1 поверх"):
        assert detail in text
    assert "12 426 90 01" in text
    assert "Гаряча лінія українською щодня." in text
    assert "Advice point" not in text
    assert referral.message.email_message_id  # queued as e-mail, threaded
    page = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert "The enquirer was referred to" in page
    missing = consultant_client.post(staff_url("refer", pk=enquiry.pk), {"referral-text": "x"})
    assert missing.status_code == 400
    assert "Choose the institution." in _body(missing)


def test_merge_moves_the_thread_from_the_screen(
    enquiry: Enquiry, consultant_client: Client
) -> None:
    duplicate = enquiry_make(text="Я вже питала про PESEL", attachments=[pdf_file()])
    response = consultant_client.post(
        staff_url("merge", pk=duplicate.pk), {"merge-reference": enquiry.reference.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == staff_url("detail", pk=enquiry.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == enquiry
    assert duplicate.status == Status.CLOSED
    assert enquiry.messages.filter(text="Я вже питала про PESEL").exists()
    kept = _body(consultant_client.get(staff_url("detail", pk=enquiry.pk)))
    assert "Я вже питала про PESEL" in kept
    assert "scan.pdf" in kept
    merged = _body(consultant_client.get(staff_url("detail", pk=duplicate.pk)))
    assert "This enquiry was merged into" in merged
    unknown = consultant_client.post(
        staff_url("merge", pk=enquiry.pk), {"merge-reference": "IP-1999-000001"}
    )
    assert unknown.status_code == 400
    assert "No enquiry has this reference number." in _body(unknown)
    itself = consultant_client.post(
        staff_url("merge", pk=enquiry.pk), {"merge-reference": enquiry.reference}
    )
    assert itself.status_code == 400
    assert "cannot be merged into itself" in _body(itself)


def test_logging_a_phone_call_in_a_few_fields(
    now: object, consultant: User, consultant_client: Client, mailoutbox: list
) -> None:
    topic = TopicTranslationFactory(topic=TopicFactory(slug="work"), language="en").topic
    response = consultant_client.post(
        staff_url("log_contact"),
        {
            "channel": "phone",
            "topic": "work",
            "language": "ru",
            "summary": "Спрашивает о разрешении на работу.",
            "name": "Ivan",
            "phone": "+48 600 100 200",
            "safe_contact": "phone_only",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert response["Location"] == staff_url("detail", pk=enquiry.pk)
    assert enquiry.channel == Channel.PHONE
    assert enquiry.topic == topic
    assert enquiry.language == "ru"
    assert enquiry.safe_contact == SafeContact.PHONE_ONLY
    assert enquiry.consent_version == CONSENT_VERSION_ORAL
    message = enquiry.messages.get()
    assert message.author == consultant
    assert message.direction == Direction.IN
    assert not mailoutbox
    page = _body(consultant_client.get(response["Location"]))
    assert f"Logged as {enquiry.reference}" in page
    assert "/ru/enquiries/t/" in page  # the private link, shown once
    assert "/ru/enquiries/t/" not in _body(consultant_client.get(response["Location"]))


def test_logging_without_consent_and_with_errors(now: object, consultant_client: Client) -> None:
    response = consultant_client.post(
        staff_url("log_contact"),
        {
            "channel": "letter",
            "language": "pl",
            "summary": "List o meldunek",
            "safe_contact": "any",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.channel == Channel.LETTER
    assert enquiry.consent_version == ""
    wrong = consultant_client.post(
        staff_url("log_contact"),
        {"channel": "web", "language": "pl", "summary": "", "safe_contact": "email_only"},
    )
    assert wrong.status_code == 400
    body = _body(wrong)
    for message in (
        "Choose phone, letter or visit.",
        "Enter a summary of the question.",
        "E-mail only was chosen: give an e-mail address.",
    ):
        assert message in body


def test_an_answer_given_on_the_phone_is_recorded_not_sent(
    now: object, consultant: User, consultant_client: Client, mailoutbox: list
) -> None:
    enquiry = enquiry_make(phone="+48 600 100 200")
    response = consultant_client.post(
        staff_url("phone_answer", pk=enquiry.pk),
        {"phone-text": "Explained where to apply.", "phone-status": "answered"},
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == Status.ANSWERED
    answer = enquiry.messages.get(direction=Direction.OUT)
    assert answer.channel == Channel.PHONE
    assert answer.author == consultant
    assert answer.email_message_id == ""
    assert not mailoutbox
    assert enquiry.first_response_at is not None


def test_a_file_downloads_only_as_an_attachment(now: object, consultant_client: Client) -> None:
    enquiry = enquiry_make(attachments=[pdf_file("паспорт scan.pdf")])
    other = enquiry_make(attachments=[pdf_file("other.pdf")])
    attachment = Message.objects.get(enquiry=enquiry).attachments.get()
    others = Message.objects.get(enquiry=other).attachments.get()
    response = consultant_client.get(
        staff_url("attachment", pk=enquiry.pk, attachment_pk=attachment.pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "scan.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # Another enquiry's file through this enquiry's address: not found.
    wrong = consultant_client.get(staff_url("attachment", pk=enquiry.pk, attachment_pk=others.pk))
    assert wrong.status_code == 404
    assert (
        Client()
        .get(staff_url("attachment", pk=enquiry.pk, attachment_pk=attachment.pk))
        .status_code
        == 302
    )


def test_a_new_private_link_is_shown_once(enquiry: Enquiry, consultant_client: Client) -> None:
    old_hash = enquiry.tracking_token_hash
    response = consultant_client.post(staff_url("link", pk=enquiry.pk), follow=True)
    enquiry.refresh_from_db()
    assert enquiry.tracking_token_hash != old_hash
    assert "https://infopoint.example.org/uk/enquiries/t/" in _body(response)
    assert "/uk/enquiries/t/" not in _body(
        consultant_client.get(staff_url("detail", pk=enquiry.pk))
    )


def test_staff_pages_use_the_staff_stylesheet(enquiry: Enquiry, consultant_client: Client):
    body = _body(consultant_client.get(staff_url("inbox")))
    assert "enquiries/staff.css" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert '<th scope="col">' in body


def test_admin_lists_enquiries_read_only(enquiry: Enquiry, admin_client: Client) -> None:
    listing = admin_client.get("/en/admin/enquiries/enquiry/", {"q": enquiry.reference})
    assert listing.status_code == 200
    assert enquiry.reference in _body(listing)
    assert admin_client.get("/en/admin/enquiries/enquiry/add/").status_code == 403
    assert admin_client.get("/en/admin/enquiries/replytemplate/add/").status_code == 200
    assert admin_client.get("/en/admin/enquiries/referral/").status_code == 200
