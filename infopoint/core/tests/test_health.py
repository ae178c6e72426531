"""/healthz answers for the database, the broker and the mail outbox, without personal data."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from infopoint.core import health
from infopoint.mail.services import mail_queue
from tests.mailservers import free_port

pytestmark = pytest.mark.django_db


def test_healthy_without_a_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "broker", "outbox"}
    assert body["checks"]["broker"] == {
        "ok": True,
        "ms": body["checks"]["broker"]["ms"],
        "broker": "none",
    }
    assert body["checks"]["outbox"]["oldest_unsent_seconds"] == 0


def test_outside_the_language_prefix_and_read_only(client):
    assert client.get("/en/healthz").status_code == 404
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_mail_waiting_too_long_is_unhealthy_and_no_address_is_shown(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=20), tick=False):
        mail_queue(to=["olena.k@example.org"], subject="Your enquiry IP-2026-000123", text="Hi")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["outbox"]["ok"] is False
    assert body["checks"]["outbox"]["oldest_unsent_seconds"] >= 20 * 60
    assert body["checks"]["database"]["ok"] is True
    assert b"olena" not in response.content
    assert b"IP-2026" not in response.content


def test_mail_waiting_briefly_is_fine(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False):
        mail_queue(to=["olena.k@example.org"], subject="Hello", text="Hi")
    assert client.get("/healthz").status_code == 200


@pytest.mark.slow
def test_a_live_redis_is_healthy(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    if response.json()["checks"]["broker"].get("error") == "ConnectionError":
        pytest.skip("no Redis on 127.0.0.1:6379")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["broker"] == "redis"


def test_a_broker_that_does_not_answer_is_unhealthy(client, settings):
    settings.REDIS_URL = f"redis://:secret-password@127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {
        "ok": False,
        "ms": response.json()["checks"]["broker"]["ms"],
        "error": "ConnectionError",
    }
    assert b"secret-password" not in response.content
    assert b"127.0.0.1" not in response.content


@pytest.fixture
def failing_check():
    def broken() -> health.HealthCheck:
        raise RuntimeError("connection to db.internal as admin:hunter2 failed")

    health.health_check_register(name="failing", check=broken)
    yield
    health._checks.pop("failing")


def test_a_check_that_raises_is_named_by_its_class_only(client, failing_check):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["failing"]["error"] == "RuntimeError"
    assert b"hunter2" not in response.content
    assert b"db.internal" not in response.content


def test_a_load_balancer_can_ask_only_about_the_database(client):
    with time_machine.travel(timezone.now() - timedelta(minutes=20), tick=False):
        mail_queue(to=["olena.k@example.org"], subject="Hello", text="Hi")
    assert client.get("/healthz").status_code == 503
    response = client.get("/healthz?check=database")
    assert response.status_code == 200
    assert list(response.json()["checks"]) == ["database"]
    both = client.get("/healthz?check=database&check=outbox")
    assert both.status_code == 503
    assert sorted(both.json()["checks"]) == ["database", "outbox"]


def test_an_unknown_check_is_refused(client):
    response = client.get("/healthz?check=database&check=<script>")
    assert response.status_code == 400
    assert response.json()["unknown_checks"] == ["<script>"]
    assert "database" in response.json()["checks"]
