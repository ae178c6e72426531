from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.translation import override


@pytest.mark.django_db
def test_demo_coordinator_prints_the_staff_sign_in_page(tmp_path: Path, client: Client) -> None:
    out = StringIO()
    with override_settings(DATA_DIR=tmp_path, SITE_URL="http://127.0.0.1:8123"):
        call_command("demo_coordinator", stdout=out)
        call_command("demo_coordinator", stdout=out)  # the second run shows the same

    with override(settings.LANGUAGE_CODE):
        sign_in = reverse("accounts:sign_in")
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == lines[1]
    assert lines[0].endswith(f"(sign in at http://127.0.0.1:8123{sign_in})")
    assert "/admin/" not in lines[0]
    assert client.get(sign_in).status_code == 200
