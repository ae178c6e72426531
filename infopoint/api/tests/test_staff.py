"""Staff endpoints with a token, per role: each role reaches its own data and nothing more."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.authtoken.models import Token

from infopoint.accounts.models import Role, User
from infopoint.accounts.selectors import user_has_role
from infopoint.appointments.models import Adviser, Booking, BookingStatus
from infopoint.appointments.services import appointment_book
from infopoint.appointments.tests.helpers import at, person
from infopoint.enquiries.models import Enquiry, InternalNote, Status
from infopoint.enquiries.tests.factories import UserFactory, desk_user, enquiry_make
from infopoint.privacy.models import AuditAction, AuditEvent
from infopoint.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _in(language: str, msgid: str, **params: Any) -> str:
    with translation.override(language):
        text = translation.gettext(msgid)
    return text % params if params else text


def _token(user: User) -> str:
    return Token.objects.get_or_create(user=user)[0].key


class Api:
    """A client that sends a token and a language."""

    def __init__(self, client: Client, token: str | None, language: str = "en") -> None:
        self.client = client
        self.headers: dict[str, str] = {"HTTP_ACCEPT_LANGUAGE": language}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Token {token}"

    def get(self, path: str) -> Any:
        return self.client.get(path, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        data = body if isinstance(body, str) else json.dumps(body or {})
        return self.client.post(path, data, content_type="application/json", **self.headers)


@pytest.fixture
def people(make_adviser: Callable[..., Adviser]) -> dict[str, Any]:
    """One member of staff per role, a second adviser, and someone with no role."""
    adam = make_adviser("adam")
    bea = make_adviser("bea", first_name="Bea", rules=((2, time(15), time(19)),))
    nobody = UserFactory(username="nobody")
    return {
        "consultant": desk_user("consultant", username="olena"),
        "coordinator": desk_user("coordinator", username="kasia"),
        "administrator": desk_user("administrator", username="admin"),
        "adviser": adam.user,
        "other_adviser": bea.user,
        "nobody": nobody,
        "adam": adam,
        "bea": bea,
    }


def _api(client: Client, people: dict[str, Any], role: str, language: str = "en") -> Api:
    return Api(client, _token(people[role]), language)


@pytest.fixture
def bookings(people: dict[str, Any], frozen: Any) -> dict[str, Booking]:
    """Adam's on Tuesday 1 December, Bea's on Wednesday 2 December."""
    return {
        "adam": appointment_book(adviser=people["adam"], starts_at=at(2026, 12, 1, 15), **person()),
        "bea": appointment_book(
            adviser=people["bea"], starts_at=at(2026, 12, 2, 15), **person(name="Ivan")
        ),
    }


STAFF_ENDPOINTS = [
    ("get", "/api/v1/staff/enquiries"),
    ("get", "/api/v1/staff/enquiries/IP-2026-000001"),
    ("post", "/api/v1/staff/enquiries/IP-2026-000001/reply"),
    ("post", "/api/v1/staff/enquiries/IP-2026-000001/assign"),
    ("post", "/api/v1/staff/enquiries/IP-2026-000001/status"),
    ("get", "/api/v1/staff/appointments"),
    ("get", "/api/v1/staff/appointments/1"),
    ("post", "/api/v1/staff/appointments/1/outcome"),
    ("post", "/api/v1/staff/appointments/1/cancel"),
]


@pytest.mark.parametrize(("method", "path"), STAFF_ENDPOINTS)
def test_without_a_token_every_staff_endpoint_is_a_401(
    client: Client, method: str, path: str
) -> None:
    response = getattr(Api(client, None, "uk"), method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "errors": {"non_field_errors": [_in("uk", "Authentication credentials were not provided.")]}
    }


def test_a_wrong_or_inactive_token_is_a_401(client: Client, people: dict[str, Any]) -> None:
    assert Api(client, "0" * 40).get("/api/v1/staff/enquiries").status_code == 401
    api = _api(client, people, "consultant")
    people["consultant"].is_active = False
    people["consultant"].save(update_fields=["is_active"])
    assert api.get("/api/v1/staff/enquiries").status_code == 401


# --- enquiries, per role ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("consultant", True),
        ("coordinator", True),
        ("administrator", True),
        ("adviser", False),
        ("nobody", False),
    ],
)
def test_only_desk_staff_reach_enquiries(
    client: Client, people: dict[str, Any], role: str, allowed: bool
) -> None:
    enquiry = enquiry_make()
    api = _api(client, people, role)
    base = f"/api/v1/staff/enquiries/{enquiry.reference}"
    answers = [
        api.get("/api/v1/staff/enquiries"),
        api.get(base),
        api.post(f"{base}/reply", {"text": "Добрий день!"}),
        api.post(f"{base}/assign", {"assignee": None}),
        api.post(f"{base}/status", {"status": "closed"}),
    ]
    if allowed:
        assert [answer.status_code for answer in answers] == [200, 200, 201, 200, 200]
    else:
        assert {answer.status_code for answer in answers} == {403}
        enquiry.refresh_from_db()
        assert enquiry.status == Status.NEW
        assert not enquiry.messages.filter(direction="out").exists()


def test_the_inbox_pages_and_filters_like_the_inbox_page(
    client: Client, people: dict[str, Any]
) -> None:
    health = TopicFactory(slug="health")
    mine = enquiry_make(text="Питання про страхування", topic=health)
    enquiry_make(text="Pytanie o meldunek", language="pl")
    enquiry_make(text="Вопрос о школе", language="ru", name="Irina Smirnova")
    api = _api(client, people, "consultant")
    consultant = people["consultant"]
    api.post(f"/api/v1/staff/enquiries/{mine.reference}/assign", {"assignee": consultant.pk})

    everything = api.get("/api/v1/staff/enquiries?page_size=2").json()
    assert (everything["count"], everything["pages"], len(everything["results"])) == (3, 2, 2)
    assert api.get("/api/v1/staff/enquiries?language=pl").json()["count"] == 1
    assert api.get("/api/v1/staff/enquiries?topic=health").json()["results"][0]["reference"] == (
        mine.reference
    )
    assigned = api.get("/api/v1/staff/enquiries?assignee=me").json()["results"]
    assert [row["reference"] for row in assigned] == [mine.reference]
    assert assigned[0]["assignee"] == {"id": consultant.pk, "name": str(consultant)}
    assert assigned[0]["status"] == "open"
    assert api.get("/api/v1/staff/enquiries?assignee=unassigned").json()["count"] == 2
    assert api.get("/api/v1/staff/enquiries?q=Smirnova").json()["count"] == 1
    assert api.get("/api/v1/staff/enquiries?status=open").json()["count"] == 1


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("status=lost", "status", None),
        ("topic=no-such-topic", "topic", "Choose a topic from the list."),
        ("assignee=999999", "assignee", "Choose who the enquiry is assigned to from the list."),
        ("due=tomorrow", "due", None),
        ("colour=red", "colour", None),
        ("page=x", "page", None),
    ],
)
def test_a_wrong_inbox_filter_is_a_translated_400(
    client: Client, people: dict[str, Any], query: str, field: str, message: str | None
) -> None:
    response = _api(client, people, "consultant", "uk").get(f"/api/v1/staff/enquiries?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        assert errors[field] == [_in("uk", message)]


def test_an_enquiry_reads_with_its_thread_and_notes(client: Client, people: dict[str, Any]) -> None:
    enquiry = enquiry_make()
    InternalNote.objects.create(enquiry=enquiry, author=people["coordinator"], text="Call back.")
    body = (
        _api(client, people, "coordinator")
        .get(f"/api/v1/staff/enquiries/{enquiry.reference.lower()}")
        .json()
    )
    assert body["reference"] == enquiry.reference
    assert body["messages"][0]["direction"] == "in"
    assert body["messages"][0]["text"] == "Як отримати PESEL для дитини?"
    assert body["messages"][0]["author"] is None
    assert body["notes"] == [
        {
            "author": {"id": people["coordinator"].pk, "name": str(people["coordinator"])},
            "text": "Call back.",
            "created_at": body["notes"][0]["created_at"],
        }
    ]
    assert body["url"].endswith(f"/api/v1/staff/enquiries/{enquiry.reference}")
    missing = _api(client, people, "coordinator").get("/api/v1/staff/enquiries/IP-1999-000001")
    assert missing.status_code == 404


def test_a_reply_is_saved_sent_and_answers_the_enquiry(
    client: Client, people: dict[str, Any]
) -> None:
    enquiry = enquiry_make()
    response = _api(client, people, "consultant").post(
        f"/api/v1/staff/enquiries/{enquiry.reference}/reply",
        {"text": "  Добрий день! Подайте заяву в управі гміни.  ", "status": "waiting"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "out"
    assert body["text"] == "Добрий день! Подайте заяву в управі гміни."
    assert body["author"]["id"] == people["consultant"].pk
    enquiry.refresh_from_db()
    assert enquiry.status == Status.WAITING
    assert enquiry.first_response_at is not None
    assert enquiry.messages.get(pk=body["id"]).email_message_id  # it goes out by e-mail


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"text": "   "}, "text", "Enter the answer."),
        ({}, "text", "Enter the answer."),
        ({"text": 5}, "text", None),
        ({"text": "Hello", "status": "closed"}, "status", "Choose the status after the answer."),
        ({"text": "Hello", "send_email": "yes"}, "send_email", None),
    ],
)
def test_a_wrong_reply_is_a_translated_400_and_saves_nothing(
    client: Client, people: dict[str, Any], body: dict[str, Any], field: str, message: str | None
) -> None:
    enquiry = enquiry_make()
    response = _api(client, people, "consultant", "ru").post(
        f"/api/v1/staff/enquiries/{enquiry.reference}/reply", body
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [_in("ru", message)]
    assert enquiry.messages.count() == 1
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.NEW


def test_a_body_that_is_not_an_object_is_refused(client: Client, people: dict[str, Any]) -> None:
    enquiry = enquiry_make()
    api = _api(client, people, "consultant")
    for body in ("[1, 2]", "not json", '"text"'):
        response = api.post(f"/api/v1/staff/enquiries/{enquiry.reference}/reply", body)
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["non_field_errors"]


def test_assigning_takes_desk_staff_only(client: Client, people: dict[str, Any]) -> None:
    enquiry = enquiry_make()
    api = _api(client, people, "coordinator", "pl")
    path = f"/api/v1/staff/enquiries/{enquiry.reference}/assign"
    taken = api.post(path, {"assignee": people["consultant"].pk})
    assert taken.status_code == 200
    assert taken.json()["assignee"]["id"] == people["consultant"].pk
    assert taken.json()["status"] == "open"
    adviser = api.post(path, {"assignee": people["adviser"].pk})
    assert adviser.status_code == 400
    assert adviser.json()["errors"]["assignee"] == [
        _in("pl", "Choose a member of staff from the list.")
    ]
    assert api.post(path, {"assignee": "olena"}).status_code == 400
    assert api.post(path, {"assignee": True}).status_code == 400
    assert api.post(path, {}).status_code == 400
    released = api.post(path, {"assignee": None})
    assert released.json()["assignee"] is None


def test_a_status_change_follows_the_allowed_moves(client: Client, people: dict[str, Any]) -> None:
    enquiry = enquiry_make()
    api = _api(client, people, "consultant", "uk")
    path = f"/api/v1/staff/enquiries/{enquiry.reference}/status"
    closed = api.post(path, {"status": "closed"})
    assert closed.status_code == 200
    assert closed.json()["closed_at"]
    refused = api.post(path, {"status": "answered"})
    assert refused.status_code == 400
    with translation.override("uk"):
        expected = translation.gettext("An enquiry cannot go from “%(old)s” to “%(new)s”.") % {
            "old": Status.CLOSED.label,
            "new": Status.ANSWERED.label,
        }
    assert refused.json()["errors"] == {"non_field_errors": [expected]}
    assert api.post(path, {"status": "lost"}).status_code == 400
    assert Enquiry.objects.get(pk=enquiry.pk).status == Status.CLOSED


# --- appointments, per role ------------------------------------------------------------------


def _listed(api: Api, query: str = "from=2026-11-30&to=2026-12-06") -> list[int]:
    response = api.get(f"/api/v1/staff/appointments?{query}")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_an_adviser_sees_only_their_own_appointments(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking]
) -> None:
    api = _api(client, people, "adviser")
    own, other = bookings["adam"], bookings["bea"]
    assert _listed(api) == [own.pk]
    assert _listed(api, f"from=2026-11-30&to=2026-12-06&adviser={people['bea'].pk}") == []
    assert api.get(f"/api/v1/staff/appointments/{own.pk}").json()["name"] == own.name
    assert api.get(f"/api/v1/staff/appointments/{other.pk}").status_code == 404
    assert (
        api.post(f"/api/v1/staff/appointments/{other.pk}/outcome", {"outcome": "held"}).status_code
        == 404
    )
    assert api.post(f"/api/v1/staff/appointments/{other.pk}/cancel").status_code == 404
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.BOOKED


@pytest.mark.parametrize("role", ["coordinator", "administrator"])
def test_coordinators_and_administrators_see_every_agenda(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking], role: str
) -> None:
    api = _api(client, people, role)
    assert _listed(api) == [bookings["adam"].pk, bookings["bea"].pk]
    assert _listed(api, f"from=2026-11-30&to=2026-12-06&adviser={people['bea'].pk}") == [
        bookings["bea"].pk
    ]


@pytest.mark.parametrize("role", ["consultant", "nobody"])
def test_others_reach_no_appointment(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking], role: str
) -> None:
    api = _api(client, people, role)
    booking = bookings["adam"]
    assert api.get("/api/v1/staff/appointments").status_code == 403
    assert api.get(f"/api/v1/staff/appointments/{booking.pk}").status_code == 403
    assert api.post(f"/api/v1/staff/appointments/{booking.pk}/cancel").status_code == 403


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-12-06&to=2026-11-30", "to", "The last date must not be before the first date."),
        ("from=2026-13-01", "from", None),
        ("from=2026-01-01&to=2027-06-01", "to", None),
        ("status=cancelled", "status", None),
        ("adviser=x", "adviser", None),
        ("sort=date", "sort", None),
    ],
)
def test_a_wrong_agenda_query_is_a_translated_400(
    client: Client, people: dict[str, Any], query: str, field: str, message: str | None
) -> None:
    response = _api(client, people, "coordinator", "ru").get(f"/api/v1/staff/appointments?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        assert errors[field] == [_in("ru", message)]


def test_an_outcome_is_recorded_once_the_appointment_has_started(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking]
) -> None:
    api = _api(client, people, "adviser", "uk")
    path = f"/api/v1/staff/appointments/{bookings['adam'].pk}/outcome"
    early = api.post(path, {"outcome": "held"})
    assert early.status_code == 400
    assert early.json()["errors"]["outcome"] == [_in("uk", "This appointment has not started yet.")]
    assert api.post(path, {"outcome": "lost"}).status_code == 400
    assert api.post(path, {"outcome": "held", "note": 7}).status_code == 400
    with time_machine.travel(at(2026, 12, 1, 16), tick=False):
        held = api.post(path, {"outcome": "held", "note": "Documents checked."})
    assert held.status_code == 200, held.content
    assert held.json()["status"] == "held"
    assert held.json()["outcome_note"] == "Documents checked."


def test_staff_cancel_a_booked_appointment_once(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking]
) -> None:
    api = _api(client, people, "coordinator", "pl")
    path = f"/api/v1/staff/appointments/{bookings['bea'].pk}/cancel"
    cancelled = api.post(path)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = api.post(path)
    assert again.status_code == 400
    assert again.json()["errors"] == {
        "non_field_errors": [_in("pl", "Only a booked appointment can be cancelled.")]
    }


def test_staff_answers_are_never_cached(client: Client, people: dict[str, Any]) -> None:
    response = _api(client, people, "consultant").get("/api/v1/staff/enquiries")
    assert "no-store" in response["Cache-Control"]


def test_each_token_of_the_fixture_is_of_its_role(people: dict[str, Any]) -> None:
    # Guards the tests above: a role test proves nothing if the user has every role.
    for role in (Role.CONSULTANT, Role.ADVISER, Role.COORDINATOR, Role.ADMINISTRATOR):
        others = [other for other in Role.values if other != role]
        assert user_has_role(people[role], [role])
        assert not user_has_role(people[role], others)
        assert not people[role].is_superuser
    assert not people["nobody"].groups.exists()


def test_reads_and_changes_of_personal_data_are_audited_as_on_the_site(
    client: Client, people: dict[str, Any], bookings: dict[str, Booking]
) -> None:
    enquiry = enquiry_make()
    api = _api(client, people, "coordinator")
    api.get(f"/api/v1/staff/enquiries/{enquiry.reference}")
    api.post(f"/api/v1/staff/enquiries/{enquiry.reference}/reply", {"text": "Добрий день!"})
    booking = bookings["adam"]
    api.get(f"/api/v1/staff/appointments/{booking.pk}")
    api.post(f"/api/v1/staff/appointments/{booking.pk}/cancel")
    events = list(
        AuditEvent.objects.filter(actor=people["coordinator"])
        .order_by("pk")
        .values_list("action", "target_type", "target_id")
    )
    assert events == [
        (AuditAction.VIEWED, "enquiries.enquiry", str(enquiry.pk)),
        (AuditAction.CHANGED, "enquiries.enquiry", str(enquiry.pk)),
        (AuditAction.VIEWED, "appointments.booking", str(booking.pk)),
        (AuditAction.CHANGED, "appointments.booking", str(booking.pk)),
    ]


def test_an_enquiry_on_a_restricted_topic_is_nothing_to_other_staff(
    client: Client, people: dict[str, Any]
) -> None:
    violence = TopicFactory(slug="discrimination-violence")
    violence.restricted_to.add(people["coordinator"])
    enquiry = enquiry_make(topic=violence)
    outsider = _api(client, people, "consultant")
    assert outsider.get("/api/v1/staff/enquiries").json()["count"] == 0
    assert outsider.get(f"/api/v1/staff/enquiries/{enquiry.reference}").status_code == 404
    reply = outsider.post(f"/api/v1/staff/enquiries/{enquiry.reference}/reply", {"text": "Hi"})
    assert reply.status_code == 404
    named = _api(client, people, "coordinator")
    assert named.get(f"/api/v1/staff/enquiries/{enquiry.reference}").status_code == 200


def test_a_page_of_the_inbox_costs_the_same_queries_whatever_its_length(
    client: Client, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    api = _api(client, people, "consultant")
    enquiry_make()
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/v1/staff/enquiries").json()["count"] == 1
    for _ in range(6):
        enquiry_make()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert api.get("/api/v1/staff/enquiries").json()["count"] == 7
