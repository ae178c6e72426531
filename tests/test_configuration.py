"""Every environment variable is documented, and the production profile passes Django's checks."""

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import documented_variables

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "SECRET_KEY": "production-check-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "ALLOWED_HOSTS": "infopoint.example.org",
}


def _declared_names() -> set[str]:
    # Importing each profile declares the variables it reads.
    saved = dict(os.environ)
    os.environ.update(PRODUCTION_ENV)
    try:
        for module in ("config.settings.base", "config.settings.production"):
            importlib.reload(importlib.import_module(module))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {variable.name for variable in documented_variables()}


def _documented_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    return re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, flags=re.MULTILINE)


def _documented_names() -> set[str]:
    return set(_documented_rows())


def test_every_variable_read_is_documented_in_the_readme() -> None:
    missing = _declared_names() - _documented_names()
    assert not missing, f"add these to the configuration table in README.md: {sorted(missing)}"


def test_the_readme_documents_no_variable_that_is_not_read() -> None:
    stale = _documented_names() - _declared_names()
    assert not stale, f"README.md documents variables nothing reads: {sorted(stale)}"


def test_the_readme_documents_each_variable_once() -> None:
    rows = _documented_rows()
    repeated = sorted({name for name in rows if rows.count(name) > 1})
    assert not repeated, f"README.md has more than one row for: {repeated}"


@pytest.mark.slow
def test_production_profile_passes_the_deployment_checks() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **os.environ,
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_profile_refuses_to_start_without_a_secret_key() -> None:
    env = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


_LOCAL_PROFILE_PAGES = """
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/en/no-such-page/")
css = client.get("/static/pages/site.css")
print(missing.status_code, "Go to the home page" in missing.text, "Django" in missing.text)
print(css.status_code)
"""


@pytest.mark.slow
def test_local_profile_shows_the_sites_own_404_and_serves_static_files(tmp_path: Path) -> None:
    # `make run` uses the local profile: without DEBUG in the environment it must not
    # show Django's developer pages, and it serves static files without collectstatic.
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": "sqlite://:memory:",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + _LOCAL_PROFILE_PAGES],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "True", "False", "200"], result.stdout


@pytest.mark.parametrize(
    ("site_url", "expected"),
    [(None, "http://127.0.0.1:8123"), ("https://infopoint.example.org", None)],
)
def test_make_run_gives_the_site_url_of_the_port_it_serves_on(
    tmp_path: Path, site_url: str | None, expected: str | None
) -> None:
    # A stand-in for the venv's python records what `make run` starts (setup is skipped).
    log = tmp_path / "log"
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n')
    python.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        ["make", "-s", "-o", "setup", "run", f"BIN={tmp_path}", "PORT=8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    serve = log.read_text().splitlines()[-1]
    assert serve == f"{expected or site_url} manage.py serve 127.0.0.1:8123"
