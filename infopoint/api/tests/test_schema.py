"""The OpenAPI schema and the docs page made from it."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3_with_the_enquiry_endpoint(client: Client) -> None:
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # against the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/v1/enquiries"]["post"]
    assert set(operation["responses"]) == {"201", "400", "413", "429"}
    request = schema["components"]["schemas"]["EnquiryCreateRequest"]
    assert set(request["required"]) == {
        "question",
        "name",
        "preferred_language",
        "consent",
        "consent_version",
    }
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_schema_is_also_served_as_yaml(client: Client) -> None:
    response = client.get("/api/v1/schema?format=yaml")
    assert response.status_code == 200
    assert "/api/v1/enquiries" in yaml.safe_load(response.content)["paths"]


def test_schema_lists_the_languages_of_the_site(client: Client, settings: Any) -> None:
    schema = json.loads(client.get("/api/v1/schema").content)
    enum = schema["components"]["schemas"]["LanguageEnum"]["enum"]
    assert enum == [code for code, _name in settings.LANGUAGES]


def test_docs_page_lists_the_endpoints_without_loading_anything_from_elsewhere(
    client: Client,
) -> None:
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "POST /api/v1/enquiries" in body
    assert "consent_version" in body
    assert 'href="/api/v1/schema"' in body
    assert "<script" not in body
    assert "cdn" not in body.lower()


def test_schema_has_the_appointment_endpoints_with_examples(client: Client) -> None:
    schema = json.loads(client.get("/api/v1/schema").content)
    slots = schema["paths"]["/api/v1/slots"]["get"]
    assert set(slots["responses"]) == {"200", "400", "429"}
    assert {parameter["name"] for parameter in slots["parameters"]} == {
        "from",
        "to",
        "language",
        "topic",
    }
    assert "examples" in slots["responses"]["200"]["content"]["application/json"]
    booking = schema["paths"]["/api/v1/bookings"]["post"]
    assert set(booking["responses"]) == {"201", "400", "409", "413", "429"}
    assert "Idempotency-Key" in {parameter["name"] for parameter in booking["parameters"]}
    assert "examples" in booking["requestBody"]["content"]["application/json"]
    assert "next_slots" in json.dumps(booking["responses"]["409"])
    request = schema["components"]["schemas"]["BookingCreateRequest"]
    assert set(request["required"]) == {"slot", "name", "language", "consent", "consent_version"}


def test_the_spectacular_command_validates_the_schema_without_warnings(tmp_path: Path) -> None:
    target = tmp_path / "schema.yaml"
    # Exits (SystemExit / SchemaGenerationError) on a warning or an invalid schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert {"/api/v1/enquiries", "/api/v1/slots", "/api/v1/bookings"} <= set(paths)


def test_docs_page_lists_the_appointment_endpoints(client: Client) -> None:
    body = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GET /api/v1/slots" in body
    assert "POST /api/v1/bookings" in body
    assert "Idempotency-Key" in body
    assert "next_slots" in body


def test_schema_and_docs_page_have_the_public_and_staff_endpoints(client: Client) -> None:
    schema = json.loads(client.get("/api/v1/schema").content)
    assert {
        "/api/v1/status",
        "/api/v1/topics",
        "/api/v1/topics/{slug}",
        "/api/v1/institutions",
        "/api/v1/institutions/{slug}",
        "/api/v1/articles",
        "/api/v1/articles/{slug}",
        "/api/v1/search",
        "/api/v1/staff/enquiries",
        "/api/v1/staff/enquiries/{reference}",
        "/api/v1/staff/enquiries/{reference}/reply",
        "/api/v1/staff/enquiries/{reference}/assign",
        "/api/v1/staff/enquiries/{reference}/status",
        "/api/v1/staff/appointments",
        "/api/v1/staff/appointments/{id}",
        "/api/v1/staff/appointments/{id}/outcome",
        "/api/v1/staff/appointments/{id}/cancel",
    } <= set(schema["paths"])
    inbox = schema["paths"]["/api/v1/staff/enquiries"]["get"]
    assert inbox["security"] == [{"tokenAuth": []}]
    assert {"401", "403", "400", "200"} <= set(inbox["responses"])
    assert {parameter["name"] for parameter in inbox["parameters"]} >= {"status", "q", "page"}
    body = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "GET /api/v1/staff/enquiries/{reference}" in body
    assert "POST /api/v1/staff/appointments/{id}/outcome" in body
    assert "Path parameters" in body
    assert "Authorization: Token" in body
