"""GET /api/v1/staff/reports: coordinators' tokens only, bad periods refused, same figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from infopoint.accounts.models import Role
from infopoint.enquiries.models import Channel, Enquiry, Status
from infopoint.hours.calendar import office_zone
from infopoint.knowledge.services import search_miss_record

from .factories import BookingFactory, EnquiryFactory, ReferralFactory, staff_user, topic_named

pytestmark = pytest.mark.django_db
URL = "/api/v1/staff/reports"
WARSAW = office_zone()
QUERY = {"start": "2026-10-01", "end": "2026-10-31"}


def _token(role: str) -> str:
    return Token.objects.create(user=staff_user(role)).key


def _get(client: Client, query: dict[str, str], token: str | None, language: str = "en") -> object:
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client.get(URL, query, **headers)


def test_without_a_token_the_answer_is_401(client: Client) -> None:
    response = _get(client, QUERY, None)
    assert response.status_code == 401
    assert "non_field_errors" in response.json()["errors"]
    assert _get(client, QUERY, "not-a-token").status_code == 401


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.ADVISER])
def test_other_roles_tokens_get_403(client: Client, role: str) -> None:
    response = _get(client, QUERY, _token(role))
    assert response.status_code == 403
    assert response.json() == {
        "errors": {"non_field_errors": ["Reports are for coordinators and administrators."]}
    }


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMINISTRATOR])
def test_the_report_matches_the_data(client: Client, role: str) -> None:
    topic = topic_named("Work")
    for day in (1, 2):
        enquiry = EnquiryFactory(
            created_at=datetime(2026, 10, day, 10, tzinfo=WARSAW),
            topic=topic,
            channel=Channel.PHONE,
            status=Status.ANSWERED,
            first_response_at=datetime(2026, 10, day, 11, tzinfo=WARSAW),
            first_response_working_seconds=3600 * day,
        )
        ReferralFactory(enquiry=enquiry, created_at=enquiry.created_at)
    EnquiryFactory(created_at=datetime(2026, 9, 30, 23, 59, tzinfo=WARSAW))
    BookingFactory(starts_at=datetime(2026, 10, 6, 15, tzinfo=WARSAW), status="held")
    search_miss_record(query="Meldunek  Kraków", language="uk", day=date(2026, 10, 9))
    search_miss_record(query="meldunek kraków", language="en", day=date(2026, 10, 31))
    search_miss_record(query="meldunek kraków", language="en", day=date(2026, 11, 1))

    response = _get(client, QUERY, _token(role))
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-10-01", "2026-10-31")
    october = Enquiry.objects.filter(
        created_at__gte=datetime(2026, 10, 1, tzinfo=WARSAW),
        created_at__lt=datetime(2026, 11, 1, tzinfo=WARSAW),
    )
    assert body["enquiries"]["by_topic"] == [
        {"key": str(topic.pk), "label": "Work", "count": october.filter(topic=topic).count()}
    ]
    channels = {row["key"]: row["count"] for row in body["enquiries"]["by_channel"]}
    assert channels["phone"] == october.filter(channel=Channel.PHONE).count() == 2
    assert body["enquiries"]["by_month"] == [{"key": "2026-10", "label": "2026-10", "count": 2}]
    times = body["response_times"]
    assert times["received"] == 2
    assert times["median_seconds"] == pytest.approx(5400)
    assert times["p90_seconds"] == pytest.approx(6840)
    assert times["share_on_time"] == 1.0
    assert sum(row["count"] for row in body["referrals_by_institution"]) == 2
    (adviser,) = body["appointments_by_adviser"]
    assert (adviser["booked"], adviser["held"], adviser["no_show"]) == (1, 1, 0)
    (miss,) = body["search_misses"]
    assert (miss["query"], miss["count"]) == ("meldunek kraków", 2)
    expected = {"uk": 1, "en": 1}
    assert miss["by_language"] == {code: expected.get(code, 0) for code in miss["by_language"]}
    assert set(miss["by_language"]) == {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-10-31", "end": "2026-10-01"}, "end"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start"),
        ({"start": "2026-10-01"}, "end"),
        ({}, "start"),
        ({"start": "2026-10-01", "end": "2026-10-31", "topic": "work"}, "topic"),
        ({"start": "1999-01-01", "end": "2026-10-31"}, "start"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "end"),
        ({"start": "2026-10-01", "end": "2026-10-31x"}, "end"),
    ],
)
def test_bad_periods_are_400_with_a_message(
    client: Client, query: dict[str, str], field: str
) -> None:
    response = _get(client, query, _token(Role.COORDINATOR))
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_parameter_given_twice_is_refused(client: Client) -> None:
    token = _token(Role.COORDINATOR)
    response = client.get(
        f"{URL}?start=2026-10-01&start=2026-10-02&end=2026-10-31",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 400
    assert "start" in response.json()["errors"]


def test_messages_follow_accept_language(client: Client) -> None:
    with translation.override("pl"):
        expected = gettext("The last day must be the same as or after the first day.")
    response = _get(
        client, {"start": "2026-10-31", "end": "2026-10-01"}, _token(Role.COORDINATOR), "pl"
    )
    assert response.json()["errors"]["end"] == [expected]


def test_the_schema_documents_the_endpoint(client: Client) -> None:
    schema = client.get("/api/v1/schema").json()
    operation = schema["paths"][URL]["get"]
    assert set(operation["responses"]) == {"200", "400", "401", "403", "429"}
    assert {parameter["name"] for parameter in operation["parameters"]} == {"start", "end"}
