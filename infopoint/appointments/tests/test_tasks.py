"""The reminder job: the Celery task the scheduler runs, and the management command."""

from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from config.celery import app
from infopoint.appointments.services import appointment_book
from infopoint.mail.models import OutgoingMessage

from .helpers import at, person

pytestmark = pytest.mark.django_db


def test_the_reminder_task_is_scheduled_and_registered() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["send-appointment-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_the_command_and_the_task_send_due_reminders(adviser) -> None:
    with time_machine.travel(at(2026, 11, 23, 10), tick=False):
        appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
    with time_machine.travel(at(2026, 11, 30, 9, 30), tick=False):
        out = StringIO()
        call_command("send_appointment_reminders", stdout=out)
        assert "reminders queued: 1" in out.getvalue()
        result = app.tasks["infopoint.appointments.tasks.send_reminders_task"].apply()
        assert result.get() == 0
    assert OutgoingMessage.objects.count() == 2
