"""Public pages: choose a time, give details, confirmation, .ics, cancel and move by link."""

import re
from datetime import date

import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from infopoint.appointments.links import booking_token
from infopoint.appointments.models import Booking, BookingStatus, WaitingListEntry
from infopoint.appointments.selectors import slots_free
from infopoint.appointments.services import appointment_book
from infopoint.appointments.slots import slot_key

from .helpers import at, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TUESDAY_15 = at(2026, 12, 1, 15)


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"appointments:{name}", kwargs=kwargs or None)


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def _details_data(adviser, starts_at=TUESDAY_15, **overrides):
    data = {
        "slot": slot_key(adviser.pk, starts_at),
        "language": "ru",
        "topic": "",
        "form_token": "token-" + str(starts_at.timestamp()),
        "name": "Ирина Петренко",
        "email": "iryna@example.com",
        "phone": "",
        "description": "Продление карты побыту",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_start_page_explains_and_links_to_the_slots(client, adviser) -> None:
    response = client.get(url("start", "ru"))
    assert response.status_code == 200
    assert url("choose", "ru") in response.content.decode()


def test_choose_lists_free_times_as_radios_grouped_by_day(client, adviser) -> None:
    response = client.get(url("choose", "ru"), {"week": "2026-11-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('type="radio" name="slot"') == 4
    assert slot_key(adviser.pk, TUESDAY_15) in page
    assert page.count("<legend>") >= 1
    # The first week offers nothing before the notice: Tuesday 24th is too soon.
    first = client.get(url("choose", "ru")).content.decode()
    assert slot_key(adviser.pk, at(2026, 11, 24, 15)) not in first


def test_choose_in_a_language_no_adviser_speaks_offers_the_waiting_list(client, adviser) -> None:
    response = client.get(url("choose", "en"), {"language": "en", "week": "2026-11-30"})
    page = response.content.decode()
    assert 'name="slot"' not in page
    assert url("waiting_list", "en") in page


def test_a_bad_filter_falls_back_to_the_page_language(client, adviser) -> None:
    response = client.get(url("choose", "uk"), {"language": "xx", "week": "not-a-date"})
    assert response.status_code == 200


def test_details_then_booking_then_confirmation_page(client, adviser, mailoutbox) -> None:
    page = client.get(
        url("details", "ru"), {"slot": slot_key(adviser.pk, TUESDAY_15), "language": "ru"}
    )
    assert page.status_code == 200
    assert 'name="form_token"' in page.content.decode()
    response = client.post(url("details", "ru"), _details_data(adviser))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.language == "ru"
    assert response["Location"] == url("booking", "ru", token=booking_token(booking))
    confirmation = client.get(response["Location"])
    assert confirmation.status_code == 200
    assert confirmation["Referrer-Policy"] == "strict-origin"
    text = confirmation.content.decode()
    assert in_language("ru", "Your appointment is booked") in text
    assert "ul. Jana Dekerta 24, block B, room 12" in text
    assert url("calendar", "ru", token=booking_token(booking)) in text


def test_double_submitting_books_once(client, adviser) -> None:
    data = _details_data(adviser)
    first = client.post(url("details", "ru"), data)
    second = client.post(url("details", "ru"), data)
    assert Booking.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"].endswith("?again=1")
    page = client.get(second["Location"]).content.decode()
    assert in_language("ru", "You sent the form twice. We booked only one appointment.") in page


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (at(2026, 11, 17, 15), "This time has already passed. Choose another time."),
        (
            at(2026, 12, 1, 10),
            "There is no appointment with this adviser at this time. Choose a time from the list.",
        ),
    ],
)
def test_past_or_unavailable_times_say_why_and_book_nothing(
    client, adviser, starts_at, message
) -> None:
    response = client.post(url("details", "ru"), _details_data(adviser, starts_at))
    assert response.status_code == 409
    assert in_language("ru", message) in response.content.decode()
    assert not Booking.objects.exists()


def test_a_forged_slot_key_is_refused(client, adviser) -> None:
    response = client.get(url("details", "ru"), {"slot": "999-1", "language": "ru"})
    assert response.status_code == 409
    assert in_language("ru", "Choose a time from the list.") in response.content.decode()


def test_a_time_taken_meanwhile_offers_the_next_free_ones(client, adviser) -> None:
    appointment_book(adviser=adviser, starts_at=TUESDAY_15, **person(email="first@example.com"))
    response = client.post(url("details", "ru"), _details_data(adviser))
    assert response.status_code == 409
    page = response.content.decode()
    assert (
        in_language("ru", "This time has just been taken. Choose one of the next free times.")
        in page
    )
    assert slot_key(adviser.pk, at(2026, 12, 1, 16)) in page
    assert Booking.objects.count() == 1


def test_errors_in_the_form_keep_what_was_typed(client, adviser) -> None:
    response = client.post(
        url("details", "ru"), _details_data(adviser, consent="", email="", phone="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert "Ирина Петренко" in page
    assert not Booking.objects.exists()


def _booked(adviser) -> Booking:
    return appointment_book(adviser=adviser, starts_at=TUESDAY_15, **person())


def test_the_ics_download(client, adviser) -> None:
    booking = _booked(adviser)
    response = client.get(url("calendar", "ru", token=booking_token(booking)))
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=UTF-8"
    assert "invite.ics" in response["Content-Disposition"]
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == booking.uid


def test_tampered_links_are_refused_and_change_nothing(client, adviser) -> None:
    booking = _booked(adviser)
    token = booking_token(booking)
    forged = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    for name in ("booking", "cancel", "move", "calendar"):
        response = client.get(url(name, "ru", token=forged))
        assert response.status_code == 404
    response = client.post(url("cancel", "ru", token=forged))
    assert response.status_code == 404
    assert in_language("ru", "This link does not work") in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_cancel_asks_first_then_cancels_and_frees_the_time(client, adviser) -> None:
    booking = _booked(adviser)
    token = booking_token(booking)
    ask = client.get(url("cancel", "ru", token=token))
    assert ask.status_code == 200
    assert Booking.objects.get().status == BookingStatus.BOOKED
    done = client.post(url("cancel", "ru", token=token))
    assert done.status_code == 302
    assert done["Location"] == url("cancelled", "ru")
    page = client.get(done["Location"]).content.decode()
    assert in_language("ru", "Your appointment is cancelled") in page
    assert Booking.objects.get().status == BookingStatus.CANCELLED
    assert TUESDAY_15 in [
        s.starts_at for s in slots_free(start=date(2026, 12, 1), end=date(2026, 12, 1))
    ]
    # The old link now says the appointment is cancelled.
    again = client.get(url("booking", "ru", token=token))
    assert again.status_code == 410


def test_cancel_after_the_cut_off_is_refused(client, adviser) -> None:
    booking = _booked(adviser)
    token = booking_token(booking)
    with time_machine.travel(at(2026, 11, 30, 16), tick=False):
        response = client.post(url("cancel", "ru", token=token))
        assert response.status_code == 410
        page = client.get(url("booking", "ru", token=token)).content.decode()
        assert url("cancel", "ru", token=token) not in page
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_move_lists_times_confirms_then_moves(client, adviser) -> None:
    booking = _booked(adviser)
    token = booking_token(booking)
    listing = client.get(url("move", "ru", token=token))
    assert listing.status_code == 200
    page = listing.content.decode()
    # The current time is not offered as a new one.
    assert f'value="{slot_key(adviser.pk, TUESDAY_15)}"' not in page
    new_key = slot_key(adviser.pk, at(2026, 12, 1, 17))
    assert new_key in page
    confirm = client.get(url("move", "ru", token=token), {"slot": new_key})
    assert confirm.status_code == 200
    assert Booking.objects.get().starts_at == TUESDAY_15
    done = client.post(url("move", "ru", token=token), {"slot": new_key})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == at(2026, 12, 1, 17)
    assert booking.sequence == 1
    assert done["Location"] == url("booking", "ru", token=booking_token(booking)) + "?moved=1"
    page = client.get(done["Location"]).content.decode()
    assert in_language("ru", "Your appointment has been moved") in page


def test_move_to_a_taken_time_changes_nothing(client, adviser) -> None:
    booking = _booked(adviser)
    appointment_book(
        adviser=adviser, starts_at=at(2026, 12, 1, 16), **person(email="other@example.com")
    )
    response = client.post(
        url("move", "ru", token=booking_token(booking)),
        {"slot": slot_key(adviser.pk, at(2026, 12, 1, 16))},
    )
    assert response.status_code == 409
    booking.refresh_from_db()
    assert (booking.starts_at, booking.sequence) == (TUESDAY_15, 0)


def test_waiting_list(client, adviser) -> None:
    response = client.post(
        url("waiting_list", "en"),
        {"name": "Tom", "email": "tom@example.com", "language": "en", "week": "2026-12-02"},
    )
    assert response.status_code == 200
    entry = WaitingListEntry.objects.get()
    assert entry.week == date(2026, 11, 30)
    bad = client.post(url("waiting_list", "en"), {"name": "", "email": "nope"})
    assert bad.status_code == 400
    assert WaitingListEntry.objects.count() == 1


def test_the_confirmation_mail_link_opens_the_booking(
    client, adviser, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("details", "ru"), _details_data(adviser))
    (message,) = mailoutbox
    link = re.search(r"https://infopoint\.example\.org(/ru/appointments/b/[^\s]+/)", message.body)
    assert link
    assert client.get(link.group(1)).status_code == 200


def test_details_without_a_chosen_time_leads_to_choosing_one(client) -> None:
    response = client.get(url("details", "uk"), {"language": "ru"})
    assert response.status_code == 302
    assert response["Location"] == url("choose", "uk") + "?language=ru"


def test_the_waiting_list_address_opened_directly_leads_to_choosing_a_time(client) -> None:
    response = client.get(url("waiting_list", "pl"))
    assert response.status_code == 302
    assert response["Location"] == url("choose", "pl") + "?language=pl"


@pytest.mark.parametrize("language", ["uk", "en"])
def test_with_no_adviser_set_up_the_pages_say_booking_opens_later(client, language) -> None:
    not_open = in_language(
        language,
        "Online booking will open once the information point has set up its legal advisers.",
    )
    with translation.override(language):
        enquiry_url = reverse("enquiries:new")
    start = client.get(url("start", language)).content.decode()
    assert not_open in start
    assert in_language(language, "Book an appointment") not in start
    assert enquiry_url in start
    choose = client.get(url("choose", language), {"week": "2026-11-30"})
    assert choose.status_code == 200
    page = choose.content.decode()
    assert not_open in page
    assert url("waiting_list", language) not in page


def test_once_an_adviser_has_hours_the_pages_offer_booking(client, adviser) -> None:
    start = client.get(url("start", "uk")).content.decode()
    assert in_language("uk", "Book an appointment") in start
    not_open = in_language(
        "uk", "Online booking will open once the information point has set up its legal advisers."
    )
    assert not_open not in start
    # A week with no free times in this language still offers the waiting list.
    page = client.get(url("choose", "en"), {"language": "en"}).content.decode()
    assert url("waiting_list", "en") in page and not_open not in page
