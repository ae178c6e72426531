import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from infopoint.hours.services import schedule_set_weekly_hours

from .conftest import POINT_WEEKLY

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def point():
    schedule_set_weekly_hours(
        slug="information-point", name="Information point", weekly=POINT_WEEKLY
    )


def office_hours(*args: str) -> str:
    out = StringIO()
    call_command("office_hours", *args, stdout=out)
    return out.getvalue()


def test_the_example_of_the_issue():
    payload = json.loads(office_hours("--at", "2026-11-11T10:00", "--json"))
    assert payload == {
        "open": False,
        "next_opening": "2026-11-12T09:00:00+01:00",
        "reason": "National Independence Day",
    }


def test_reason_in_another_language_and_null_on_an_ordinary_evening():
    payload = json.loads(office_hours("--at", "2026-11-30T20:00+01:00", "--json"))
    assert payload == {"open": False, "next_opening": "2026-12-01T09:00:00+01:00", "reason": None}


def test_an_offset_in_at_is_respected():
    # 08:30 UTC is 09:30 in Kraków.
    payload = json.loads(office_hours("--at", "2026-11-30T08:30:00+00:00", "--json"))
    assert payload["open"] is True


def test_default_is_now():
    with time_machine.travel(datetime(2026, 11, 28, 13, tzinfo=WARSAW), tick=False):
        payload = json.loads(office_hours("--json"))
    assert payload == {"open": True, "next_opening": "2026-11-30T09:00:00+01:00", "reason": None}


def test_readable_line():
    assert office_hours("--at", "2026-11-11T10:00").strip() == (
        "Closed: National Independence Day. Opens next 2026-11-12 09:00 CET."
    )
    assert office_hours("--at", "2026-11-28T10:00").strip() == (
        "Open until 2026-11-28 14:00 CET. Opens next 2026-11-30 09:00 CET."
    )


def test_another_schedule():
    schedule_set_weekly_hours(slug="weekend", name="Weekend", weekly={6: POINT_WEEKLY[5]})
    payload = json.loads(
        office_hours("--at", "2026-11-29T10:00", "--schedule", "weekend", "--json")
    )
    assert payload["open"] is True


def test_unknown_schedule_is_an_error():
    with pytest.raises(CommandError) as error:
        office_hours("--schedule", "nowhere")
    assert error.value.returncode == 2


def test_malformed_at_is_one_line_on_stderr_and_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "office_hours", "--at", "11/11/2026", "--json"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert "11/11/2026" in captured.err
