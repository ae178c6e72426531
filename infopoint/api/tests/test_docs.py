"""The curl examples of docs/api.md work: each runs with the real curl against a live server."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from datetime import time
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from rest_framework.authtoken.models import Token

from infopoint.appointments.models import Adviser, Booking, BookingStatus
from infopoint.appointments.services import appointment_book
from infopoint.appointments.tests.helpers import NOW, at, person
from infopoint.enquiries.models import Channel, Direction, Enquiry, Status
from infopoint.enquiries.tests.factories import desk_user, enquiry_make

pytestmark = pytest.mark.slow

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
EXAMPLE = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)
# Examples that show an error on purpose: a piece of the command, and its status.
SHOWS_AN_ERROR = {"topics?sort=name": 400}


def test_the_page_has_curl_examples_for_public_and_staff_endpoints() -> None:
    examples = EXAMPLE.findall(DOC.read_text())
    assert len(examples) >= 10
    assert all(example.lstrip().startswith("curl ") for example in examples)
    assert any("$TOKEN" in example for example in examples)


@pytest.fixture
def curl_env(tmp_path: Path) -> dict[str, str]:
    """curl as the reader runs it, failing on HTTP errors (so that a broken example shows)."""
    (tmp_path / ".curlrc").write_text("fail-with-body\nmax-time = 30\n")
    env = {
        name: value
        for name, value in os.environ.items()
        if "proxy" not in name.lower() and not name.startswith("CURL")
    }
    env.update({"HOME": str(tmp_path), "CURL_HOME": str(tmp_path)})
    return env


def test_every_curl_example_works(
    live_server: Any,
    articles: Any,
    make_adviser: Callable[..., Adviser],
    curl_env: dict[str, str],
) -> None:
    with time_machine.travel(NOW, tick=False):
        adviser = make_adviser("adam", rules=((1, time(15), time(19)),))
        held = appointment_book(adviser=adviser, starts_at=at(2026, 12, 1, 15), **person())
        later = appointment_book(adviser=adviser, starts_at=at(2026, 12, 8, 15), **person())
        enquiry = enquiry_make()
    coordinator = desk_user("coordinator", username="kasia")
    curl_env.update(
        {
            "BASE": live_server.url,
            "TOKEN": Token.objects.create(user=coordinator).key,
            "REFERENCE": enquiry.reference,
            "APPOINTMENT": str(held.pk),
            "NEXT_APPOINTMENT": str(later.pk),
        }
    )
    # An hour into the first appointment: it has started, the second is still to come.
    with time_machine.travel(at(2026, 12, 1, 16), tick=True):
        for example in EXAMPLE.findall(DOC.read_text()):
            done = subprocess.run(  # noqa: S603 - our own documentation, run as a reader would
                ["/bin/bash", "-c", "set -euo pipefail\n" + example],
                env=curl_env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            body = json.loads(done.stdout)
            expected_error = next(
                (code for piece, code in SHOWS_AN_ERROR.items() if piece in example), None
            )
            if expected_error:
                assert done.returncode == 22, (example, done.stdout, done.stderr)
                assert "errors" in body
            else:
                assert done.returncode == 0, (example, done.stdout, done.stderr)
                assert "errors" not in body
    enquiry.refresh_from_db()
    assert enquiry.status == Status.CLOSED
    assert enquiry.messages.filter(direction=Direction.OUT, author=coordinator).exists()
    assert Enquiry.objects.filter(channel=Channel.API, name="Olena").exists()
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.HELD
    assert Booking.objects.get(pk=later.pk).status == BookingStatus.CANCELLED
