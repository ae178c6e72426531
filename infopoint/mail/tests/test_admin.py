import pytest
from django.core import mail
from django.urls import reverse

from infopoint.mail.models import IncomingMessage, OutgoingMessage
from infopoint.mail.services import mail_queue

pytestmark = pytest.mark.django_db

RAW = b"From: a@example.org\r\nSubject: <script>alert(1)</script>\r\n\r\n<b>hi</b>"


def stored(**fields):
    return IncomingMessage.objects.create(
        **{"message_id": "<in@example.org>", "raw": RAW, "raw_size": len(RAW), **fields}
    )


def handled(parsed):
    handled.calls.append(parsed)


handled.calls = []


def test_outbox_list_and_detail(admin_client):
    message = mail_queue(to=["a@example.org"], subject="Hello there", text="Hi")
    OutgoingMessage.objects.filter(pk=message.pk).update(last_error="ConnectionRefusedError")
    changelist = admin_client.get(reverse("admin:mail_outgoingmessage_changelist"))
    assert changelist.status_code == 200
    assert b"Hello there" in changelist.content
    assert b"ConnectionRefusedError" in changelist.content
    filtered = admin_client.get(
        reverse("admin:mail_outgoingmessage_changelist"), {"status__exact": "sent"}
    )
    assert b"Hello there" not in filtered.content
    detail = admin_client.get(reverse("admin:mail_outgoingmessage_change", args=[message.pk]))
    assert detail.status_code == 200


def test_retry_now_action(admin_client):
    message = mail_queue(to=["a@example.org"], subject="Retry me", text="Hi")
    OutgoingMessage.objects.filter(pk=message.pk).update(status="failed", attempts=8)
    response = admin_client.post(
        reverse("admin:mail_outgoingmessage_changelist"),
        {"action": "retry_now", "_selected_action": [message.pk]},
        follow=True,
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_incoming_list_escapes_and_raw_is_only_downloaded(admin_client):
    message = stored(subject="<script>alert(1)</script>", status="failed", parse_error="bad")
    changelist = admin_client.get(reverse("admin:mail_incomingmessage_changelist"))
    assert changelist.status_code == 200
    assert b"<script>alert(1)</script>" not in changelist.content
    assert b"&lt;script&gt;" in changelist.content
    detail = admin_client.get(reverse("admin:mail_incomingmessage_change", args=[message.pk]))
    assert detail.status_code == 200
    assert b"<b>hi</b>" not in detail.content
    raw = admin_client.get(reverse("admin:mail_incomingmessage_raw", args=[message.pk]))
    assert raw.status_code == 200
    assert raw.content == RAW
    assert raw["Content-Type"] == "application/octet-stream"
    assert raw["Content-Disposition"] == f'attachment; filename="message-{message.pk}.eml"'


def test_raw_download_needs_staff(client, admin_client):
    message = stored()
    url = reverse("admin:mail_incomingmessage_raw", args=[message.pk])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert admin_client.get(url.replace(str(message.pk), "999")).status_code == 404


def test_process_again_action(admin_client, settings):
    settings.MAIL_INCOMING_HANDLER = "infopoint.mail.tests.test_admin.handled"
    message = stored(status="failed", handle_error="RuntimeError: down")
    admin_client.post(
        reverse("admin:mail_incomingmessage_changelist"),
        {"action": "process_again", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert (message.status, message.handle_error) == ("processed", "")
    assert handled.calls[-1].subject == "<script>alert(1)</script>"
