"""Every page carries the headers that keep injected content and framing harmless."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["pages:home", "enquiries:new", "appointments:start", "knowledge:search"]
)
def test_public_pages_send_a_strict_policy(name: str) -> None:
    response = Client().get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in policy.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin"}


def test_forms_refuse_a_post_without_the_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("enquiries:new"), {"question": "x", "name": "y"})
    assert response.status_code == 403


def test_the_session_cookie_is_not_readable_by_scripts(settings: object) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
