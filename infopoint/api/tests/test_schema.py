"""The OpenAPI schema and the docs page made from it."""

import json
from typing import Any

import pytest
import yaml
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
    enum = schema["components"]["schemas"]["PreferredLanguageEnum"]["enum"]
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
