"""Schemathesis over every operation of the schema, without a token and with a coordinator's.

Each operation gets generated requests, valid and invalid, sent to the real Django WSGI
application, in the test's database (SQLite or PostgreSQL). No answer may be a server error,
and every answer must be one the schema documents: its status code, its content type and its
body. Bounded and repeatable: a fixed number of examples per operation, derandomised.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import time
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infopoint.appointments.models import Adviser
from infopoint.appointments.services import appointment_book
from infopoint.appointments.tests.helpers import at, person
from infopoint.enquiries.tests.factories import desk_user, enquiry_make

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Per operation and mode (valid requests, then invalid ones).
EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> Any:
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The site's WSGI application, kept inside the test's transaction.

    Django closes the database connection around each request; here that would end the
    test's transaction, so the signals are held off as Django's own test client does.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def data(
    settings: Any,
    frozen: Any,
    articles: Any,
    make_adviser: Callable[..., Adviser],
) -> str:
    """Something for every endpoint to find; returns a coordinator's token."""
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.API_RATE_PER_ADDRESS = "off"
    settings.ENQUIRY_RATE_PER_EMAIL = "off"
    settings.APPOINTMENTS_RATE_PER_EMAIL = "off"
    adviser = make_adviser("adam", rules=((1, time(15), time(19)),))
    appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    enquiry_make()
    coordinator = desk_user("coordinator", username="kasia")
    return Token.objects.create(user=coordinator).key


def _run(
    operation: Any, mode: GenerationMode, app: WSGIHandler, headers: dict[str, str]
) -> list[int]:
    """Sends the operation's generated requests; returns their status codes. Raises on the
    first answer that fails a check (Hypothesis shrinks it to the simplest request first)."""
    sent: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(app=app, headers=headers)
        sent.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()
    return sent


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "token"])
def test_every_answer_is_documented_and_none_is_a_server_error(
    signed_in: bool, data: str, wsgi_app: WSGIHandler
) -> None:
    headers = {"Authorization": f"Token {data}"} if signed_in else {}
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    answered: dict[str, set[int]] = {}
    for operation in sorted(operations, key=lambda operation: operation.label):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Every operation is tried and every failure reported, not only the first.
            try:
                codes = _run(operation, mode, wsgi_app, headers)
            except Exception as error:
                failures.append(f"{operation.label} ({mode.value}):\n{error}")
            else:
                answered.setdefault(operation.label, set()).update(codes)
    assert not failures, "\n\n".join(failures)
    # The requests reached the views, not only the error paths: every list answered 200.
    lists = [label for label in answered if label.startswith("GET") and "{" not in label]
    for label in lists:
        if signed_in or "/staff/" not in label:
            assert 200 in answered[label], (label, answered[label])
