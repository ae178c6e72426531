"""GET /api/v1/slots and POST /api/v1/bookings: legal advice booked on the site's own rules."""

import json
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from infopoint.appointments.consent import CONSENT_VERSION
from infopoint.appointments.models import Adviser, Booking
from infopoint.appointments.services import appointment_book
from infopoint.appointments.slots import slot_key
from infopoint.appointments.tests.helpers import at, person
from infopoint.mail.models import OutgoingMessage
from infopoint.topics.tests.factories import TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

SLOTS = "/api/v1/slots"
BOOKINGS = "/api/v1/bookings"
# Monday 23 November 2026, 10:00: the first Tuesday after the 24 working hours' notice.
TUESDAY_15 = at(2026, 12, 1, 15)


@pytest.fixture(autouse=True)
def _appointment_settings(settings: Any) -> None:
    settings.APPOINTMENTS_MIN_NOTICE_HOURS = 24
    settings.APPOINTMENTS_HORIZON_DAYS = 42
    settings.APPOINTMENTS_CHANGE_CUTOFF_HOURS = 24
    settings.APPOINTMENTS_RATE_PER_EMAIL = "off"


def _in(language: str, msgid: str, **params: Any) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


def _plural(language: str, singular: str, plural: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext(singular, plural, count)


def _slots(client: Client, accept: str = "en", **query: str) -> Any:
    return client.get(SLOTS, query, HTTP_ACCEPT_LANGUAGE=accept)


def _valid(who: Adviser, starts_at: datetime = TUESDAY_15, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "slot": slot_key(who.pk, starts_at),
        "name": "Ірина Петренко",
        "email": "iryna@example.com",
        "phone": "",
        "language": "uk",
        "topic": None,
        "description": "Продовження карти побиту",
        "consent": True,
        "consent_version": CONSENT_VERSION,
    }
    body.update(overrides)
    return body


def _book(client: Client, body: Any, language: str = "uk", **extra: Any) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        BOOKINGS, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language, **extra
    )


def test_the_endpoints_are_reached_without_a_language_prefix() -> None:
    assert reverse("api:slot-list") == SLOTS
    assert reverse("api:booking-create") == BOOKINGS


# --- GET /slots --------------------------------------------------------------------------------


def test_slots_of_a_week_with_keys_and_times_in_the_office_zone(
    client: Client, adviser: Adviser, settings: Any
) -> None:
    response = _slots(client, **{"from": "2026-11-30", "to": "2026-12-06", "language": "uk"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["start"] == "2026-11-30"
    assert body["end"] == "2026-12-06"
    assert body["count"] == 4
    first = body["slots"][0]
    assert first == {
        "key": slot_key(adviser.pk, TUESDAY_15),
        "starts_at": "2026-12-01T15:00:00+01:00",
        "ends_at": "2026-12-01T15:45:00+01:00",
        "languages": [code for code, _name in settings.LANGUAGES if code in ("pl", "ru", "uk")],
    }
    assert [slot["starts_at"][11:16] for slot in body["slots"]] == [
        "15:00",
        "16:00",
        "17:00",
        "18:00",
    ]


def test_slots_leave_out_booked_times_and_respect_the_notice(
    client: Client, adviser: Adviser
) -> None:
    appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 16), **person())
    response = _slots(client, **{"from": "2026-11-23", "to": "2026-12-01", "language": "ru"})
    times = [slot["starts_at"] for slot in response.json()["slots"]]
    # Tuesday the 24th is within the 24 working hours' notice; 16:00 on the 1st is taken.
    assert times == [
        "2026-12-01T15:00:00+01:00",
        "2026-12-01T17:00:00+01:00",
        "2026-12-01T18:00:00+01:00",
    ]


def test_without_dates_the_whole_horizon_is_listed(client: Client, adviser: Adviser) -> None:
    body = _slots(client, language="pl").json()
    assert body["start"] == "2026-11-23"
    assert body["end"] == "2027-01-04"
    assert body["count"] > 0
    assert all("2026-12-01" <= slot["starts_at"][:10] <= "2027-01-04" for slot in body["slots"])


def test_slots_in_a_language_no_adviser_speaks_are_none(client: Client, adviser: Adviser) -> None:
    body = _slots(client, **{"from": "2026-11-30", "to": "2026-12-06", "language": "en"}).json()
    assert body["count"] == 0
    assert body["slots"] == []


def test_slots_by_topic_keep_the_advisers_who_take_it(
    client: Client, make_adviser: Callable[..., Adviser]
) -> None:
    family, work = TopicFactory(slug="family"), TopicFactory(slug="work")
    specialist = make_adviser("bea", rules=((2, time(15), time(17)),))
    specialist.topics.add(work)
    query = {"from": "2026-11-30", "to": "2026-12-06", "language": "uk"}
    for_work = _slots(client, **query, topic="work").json()["slots"]
    for_family = _slots(client, **query, topic="family").json()["slots"]
    assert {slot["key"].split("-")[0] for slot in for_work} == {str(specialist.pk)}
    assert for_family == []
    assert family.slug != work.slug


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            {"from": "1 December"},
            "from",
            lambda lang: _in(
                lang, "Date has wrong format. Use one of these formats instead: {format}."
            ).format(format="YYYY-MM-DD"),
        ),
        (
            {"to": "2026-02-30"},
            "to",
            lambda lang: _in(
                lang, "Date has wrong format. Use one of these formats instead: {format}."
            ).format(format="YYYY-MM-DD"),
        ),
        (
            {"from": "2026-12-10", "to": "2026-12-01"},
            "to",
            lambda lang: _in(lang, "The last date must not be before the first date."),
        ),
        (
            {"from": "2026-12-01", "to": "2027-02-01"},
            "to",
            lambda lang: (
                _plural(
                    lang,
                    "Ask for at most %(days)s day after the first date.",
                    "Ask for at most %(days)s days after the first date.",
                    42,
                )
                % {"days": 42}
            ),
        ),
        (
            {"language": "xx"},
            "language",
            lambda lang: _in(lang, "Choose a language from the list."),
        ),
        ({"language": ""}, "language", lambda lang: _in(lang, "This field is required.")),
        (
            {"topic": "no-such-topic"},
            "topic",
            lambda lang: _in(lang, "Choose a topic from the list."),
        ),
    ],
    ids=[
        "from-words",
        "to-impossible-day",
        "reversed",
        "longer-than-horizon",
        "language",
        "no-language",
        "topic",
    ],
)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_bad_slot_queries_get_400_with_one_translated_message(
    client: Client, adviser: Adviser, query: dict[str, str], field: str, message: Any, language: str
) -> None:
    response = _slots(client, language, **({"language": "uk"} | query))
    assert response.status_code == 400, response.content
    assert response.json() == {"errors": {field: [message(language)]}}


def test_slots_are_read_only(client: Client) -> None:
    response = client.post(SLOTS, "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405


# --- POST /bookings ----------------------------------------------------------------------------


def test_booking_is_made_confirmed_and_answered_with_its_private_links(
    client: Client, adviser: Adviser, django_capture_on_commit_callbacks: Any
) -> None:
    topic = TopicFactory(slug="legal-stay")
    with django_capture_on_commit_callbacks(execute=True):
        response = _book(client, _valid(adviser, topic="legal-stay"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"uid", "starts_at", "ends_at", "url", "cancel_url", "move_url"}
    booking = Booking.objects.get()
    assert body["uid"] == booking.uid
    assert body["starts_at"] == "2026-12-01T15:00:00+01:00"
    assert body["ends_at"] == "2026-12-01T15:45:00+01:00"
    assert booking.adviser == adviser
    assert booking.language == "uk"
    assert booking.topic == topic
    assert booking.booked_by is None
    assert booking.consent_version == CONSENT_VERSION
    assert "Idempotent-Replayed" not in response
    # The confirmation, with the invitation, went to the person.
    assert OutgoingMessage.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["iryna@example.com"]]
    site = "https://infopoint.example.org"
    assert body["cancel_url"].startswith(f"{site}/uk/appointments/b/")
    assert body["cancel_url"].endswith("/cancel/")
    assert body["move_url"].endswith("/move/")
    for name in ("url", "cancel_url", "move_url"):
        assert client.get(body[name].removeprefix(site)).status_code == 200


def test_a_phone_is_enough(client: Client, adviser: Adviser) -> None:
    response = _book(client, _valid(adviser, email="", phone="+48 600 000 000"), language="en")
    assert response.status_code == 201, response.content
    assert Booking.objects.get().phone == "+48 600 000 000"


def test_the_same_idempotency_key_books_once(client: Client, adviser: Adviser) -> None:
    first = _book(client, _valid(adviser), HTTP_IDEMPOTENCY_KEY="c3a1f0e2-retry")
    again = _book(client, _valid(adviser), HTTP_IDEMPOTENCY_KEY="c3a1f0e2-retry")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1
    assert OutgoingMessage.objects.count() == 1
    # Another key books another time (this one is taken now).
    other = _book(client, _valid(adviser), HTTP_IDEMPOTENCY_KEY="another-key")
    assert other.status_code == 409


def test_someone_elses_idempotency_key_does_not_reveal_their_booking(
    client: Client, adviser: Adviser
) -> None:
    assert _book(client, _valid(adviser), HTTP_IDEMPOTENCY_KEY="guessable").status_code == 201
    stranger = _book(
        client, _valid(adviser, email="stranger@example.com"), HTTP_IDEMPOTENCY_KEY="guessable"
    )
    assert stranger.status_code == 409
    assert "cancel_url" not in stranger.json()


def test_an_unusable_idempotency_key_is_refused(client: Client, adviser: Adviser) -> None:
    response = _book(client, _valid(adviser), language="en", HTTP_IDEMPOTENCY_KEY="x" * 256)
    assert response.status_code == 400
    assert response.json() == {
        "errors": {
            "non_field_errors": [
                "The Idempotency-Key header must be 1 to 255 printable characters."
            ]
        }
    }
    assert not Booking.objects.exists()


@pytest.mark.parametrize("language", ["uk", "en"])
def test_a_taken_time_gets_409_with_the_next_free_ones(
    client: Client, adviser: Adviser, language: str
) -> None:
    appointment_book(adviser=adviser, starts_at=TUESDAY_15, **person())
    response = _book(client, _valid(adviser), language=language)
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["errors"] == {
        "slot": [_in(language, "This time has just been taken. Choose one of the next free times.")]
    }
    assert [slot["starts_at"] for slot in body["next_slots"]][:2] == [
        "2026-12-01T16:00:00+01:00",
        "2026-12-01T17:00:00+01:00",
    ]
    assert set(body["next_slots"][0]) == {"key", "starts_at", "ends_at", "languages"}
    assert Booking.objects.count() == 1


def _slot_message(msgid: str) -> Callable[[str], str]:
    return lambda lang: _in(lang, msgid)


def _too_soon(language: str) -> str:
    with translation.override(language):
        return translation.ngettext(
            "Appointments must be booked at least %(hours)s working hour ahead. "
            "Choose a later time.",
            "Appointments must be booked at least %(hours)s working hours ahead. "
            "Choose a later time.",
            24,
        ) % {"hours": 24}


def _body(who: Adviser, **changes: Any) -> dict[str, Any]:
    body = _valid(who)
    for name, value in changes.items():
        if value is ...:
            del body[name]
        else:
            body[name] = value
    return body


# (changes to a valid body, or a raw body; the field; its message)
BAD_BOOKINGS: dict[str, tuple[Any, str, Callable[[str], str]]] = {
    "past-slot": (
        {"slot": lambda a: slot_key(a.pk, at(2026, 11, 17, 15))},
        "slot",
        _slot_message("This time has already passed. Choose another time."),
    ),
    "within-notice": (
        {"slot": lambda a: slot_key(a.pk, at(2026, 11, 24, 15))},
        "slot",
        _too_soon,
    ),
    "beyond-horizon": (
        {"slot": lambda a: slot_key(a.pk, at(2027, 1, 12, 15))},
        "slot",
        _slot_message("This time is too far ahead to book yet. Choose an earlier time."),
    ),
    "outside-availability": (
        {"slot": lambda a: slot_key(a.pk, at(2026, 12, 2, 15))},
        "slot",
        _slot_message(
            "There is no appointment with this adviser at this time. Choose a time from the list."
        ),
    ),
    "between-slots": (
        {"slot": lambda a: slot_key(a.pk, at(2026, 12, 1, 15, 30))},
        "slot",
        _slot_message(
            "There is no appointment with this adviser at this time. Choose a time from the list."
        ),
    ),
    "forged-key": (
        {"slot": lambda a: "7-tuesday"},
        "slot",
        _slot_message("Choose a time from the list."),
    ),
    "unknown-adviser": (
        {"slot": lambda a: slot_key(a.pk + 1000, TUESDAY_15)},
        "slot",
        _slot_message("Choose a time from the list."),
    ),
    "adviser-does-not-speak-it": (
        {"language": "en"},
        "slot",
        _slot_message(
            "There is no appointment with this adviser at this time. Choose a time from the list."
        ),
    ),
    "consent-missing": (
        {"consent": ...},
        "consent",
        _slot_message("To book, agree to the processing of your data."),
    ),
    "consent-false": (
        {"consent": False},
        "consent",
        _slot_message("To book, agree to the processing of your data."),
    ),
    "consent-version-old": (
        {"consent_version": "2020-01-01"},
        "consent_version",
        lambda lang: _in(
            lang,
            "Show the person the current consent text and send its version, %(version)s.",
            version=CONSENT_VERSION,
        ),
    ),
    "no-contact": (
        {"email": "", "phone": ""},
        "email",
        _slot_message("Give an e-mail address, a phone number or both."),
    ),
    "bad-email": (
        {"email": "iryna@"},
        "email",
        _slot_message("Enter an e-mail address in the right format, like name@example.com."),
    ),
    "bad-phone": (
        {"phone": "call me"},
        "phone",
        _slot_message("Enter a phone number with digits only, like +48 12 345 67 89."),
    ),
    "name-missing": ({"name": ...}, "name", _slot_message("Enter your name.")),
    "slot-missing": ({"slot": ...}, "slot", _slot_message("This field is required.")),
    "unknown-language": (
        {"language": "xx"},
        "language",
        _slot_message("Choose a language from the list."),
    ),
    "unknown-topic": (
        {"topic": "no-such-topic"},
        "topic",
        _slot_message("Choose a topic from the list."),
    ),
    "description-too-long": (
        {"description": "x" * 2001},
        "description",
        lambda lang: (
            _plural(
                lang,
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                2000,
            )
            % {"limit_value": 2000, "show_value": 2001}
        ),
    ),
    "consent-string": ({"consent": "yes"}, "consent", _slot_message("Must be a valid boolean.")),
    "consent-number": ({"consent": 1}, "consent", _slot_message("Must be a valid boolean.")),
    "slot-number": ({"slot": lambda a: 1764597600}, "slot", _slot_message("Not a valid string.")),
    "name-null": ({"name": None}, "name", _slot_message("This field may not be null.")),
    "email-list": ({"email": ["a@b.c"]}, "email", _slot_message("Not a valid string.")),
    "not-json": (
        "book me",
        "non_field_errors",
        _slot_message("The body of the request must be JSON."),
    ),
    "json-list": (
        "[]",
        "non_field_errors",
        lambda lang: _in(lang, "Invalid data. Expected a dictionary, but got {datatype}.").format(
            datatype="list"
        ),
    ),
}


@pytest.mark.parametrize("case", list(BAD_BOOKINGS))
@pytest.mark.parametrize("language", ["uk", "en"])
def test_bad_bookings_get_400_with_one_translated_message_and_nothing_is_booked(
    client: Client, adviser: Adviser, case: str, language: str
) -> None:
    changes, field, message = BAD_BOOKINGS[case]
    if isinstance(changes, str):
        body: Any = changes
    else:
        resolved = {
            name: value(adviser) if callable(value) else value for name, value in changes.items()
        }
        body = _body(adviser, **resolved)
    response = _book(client, body, language=language)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {field: [message(language)]}}
    assert not Booking.objects.exists()
    assert not OutgoingMessage.objects.exists()


def test_every_problem_is_reported_at_once(client: Client, adviser: Adviser) -> None:
    response = _book(client, {"consent": True, "name": 5}, language="en")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "slot",
        "name",
        "email",
        "language",
        "consent_version",
    }


# --- rate limits -----------------------------------------------------------------------------


def test_too_many_bookings_from_one_address_get_429(
    client: Client, adviser: Adviser, settings: Any
) -> None:
    settings.API_RATE_PER_ADDRESS = "2/hour"
    assert _book(client, _valid(adviser, email="a@example.net")).status_code == 201
    second = _valid(adviser, at(2026, 12, 1, 16), email="b@example.net")
    assert _book(client, second).status_code == 201
    third = _valid(adviser, at(2026, 12, 1, 17), email="c@example.net")
    response = _book(client, third)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert list(response.json()["errors"]) == ["non_field_errors"]
    assert Booking.objects.count() == 2
    assert _book(client, third, REMOTE_ADDR="192.0.2.10").status_code == 201


def test_too_many_bookings_for_one_email_get_429_and_only_valid_ones_count(
    client: Client, adviser: Adviser, settings: Any
) -> None:
    settings.APPOINTMENTS_RATE_PER_EMAIL = "2/hour"
    assert _book(client, _valid(adviser, consent=False)).status_code == 400  # not counted
    assert _book(client, _valid(adviser)).status_code == 201
    at_16 = _valid(adviser, at(2026, 12, 1, 16), email="Iryna@Example.COM")
    assert _book(client, at_16).status_code == 201
    at_17 = _valid(adviser, at(2026, 12, 1, 17))
    response = _book(client, at_17, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert Booking.objects.count() == 2
    assert _book(client, at_17 | {"email": "someone@example.net"}).status_code == 201


def test_a_retry_with_the_same_key_is_not_counted_again(
    client: Client, adviser: Adviser, settings: Any
) -> None:
    settings.APPOINTMENTS_RATE_PER_EMAIL = "1/hour"
    for _attempt in range(3):
        response = _book(client, _valid(adviser), HTTP_IDEMPOTENCY_KEY="k-1")
        assert response.status_code == 201
    assert Booking.objects.count() == 1
