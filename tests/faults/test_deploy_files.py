"""The deployment files are valid: the systemd units (systemd-analyze verify where there
is systemd, and our own reading everywhere), the nginx example (nginx -t where nginx is
installed), and the production profile passes Django's deployment checks."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
UNITS = ROOT / "deploy" / "systemd"
INSTALL_ROOT = "/srv/infopoint"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "deploy-check-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "ALLOWED_HOSTS": "infopoint.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://infopoint.example.org",
    "SITE_URL": "https://infopoint.example.org",
    "DATABASE_URL": "postgres://infopoint:password@db.internal:5432/infopoint",
    "REDIS_URL": "redis://redis.internal:6379/0",
    "EMAIL_URL": "smtp+tls://infopoint:password@smtp.example.org:587",
    "IMAP_URL": "imaps://infopoint:password@imap.example.org:993/INBOX",
    "DEFAULT_FROM_EMAIL": "Information Point <info-point@example.org>",
    "TRUSTED_PROXY_COUNT": "1",
}

KEYS = {
    "Unit": {"Description", "Documentation", "After", "Before", "Wants", "Requires", "PartOf"},
    "Service": {
        "Type", "NotifyAccess", "User", "Group", "WorkingDirectory", "EnvironmentFile",
        "Environment", "ExecStart", "ExecReload", "KillMode", "TimeoutStopSec", "Restart",
        "RestartSec", "StateDirectory", "CacheDirectory", "NoNewPrivileges", "PrivateTmp",
        "ProtectSystem", "ProtectHome", "ProtectKernelTunables", "ProtectControlGroups",
    },
    "Install": {"WantedBy"},
}  # fmt: skip


def unit_problems(path: Path) -> list[str]:
    """What is wrong in a unit file: unknown sections or keys, a program that is missing."""
    problems, section, seen = [], None, set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if match := re.fullmatch(r"\[(\w+)\]", line):
            section = match[1]
            seen.add(section)
            if section not in KEYS:
                problems.append(f"{path.name}:{number}: unknown section [{section}]")
            continue
        key, equals, value = line.partition("=")
        if not equals or section is None:
            problems.append(f"{path.name}:{number}: not a key=value line in a section")
        elif key not in KEYS.get(section, set()):
            problems.append(f"{path.name}:{number}: unknown key {key} in [{section}]")
        elif key in {"ExecStart", "ExecReload"}:
            program = Path(value.split()[0].replace(INSTALL_ROOT, str(ROOT)))
            if not (program.is_absolute() and program.exists()):
                problems.append(f"{path.name}:{number}: {value.split()[0]} does not exist")
    required = {"Unit", "Service", "Install"} if path.suffix == ".service" else {"Unit"}
    problems += [f"{path.name}: no [{name}] section" for name in sorted(required - seen)]
    return problems


def local_copy(tmp_path: Path) -> list[Path]:
    """The units with paths pointing into this checkout, so the programs they name exist."""
    env_file = tmp_path / "infopoint.env"
    shutil.copy(UNITS / "infopoint.env.example", env_file)
    copies = []
    for unit in sorted(UNITS.glob("infopoint*.*")):
        if unit.suffix not in {".service", ".target"}:
            continue
        text = unit.read_text().replace("/etc/infopoint/infopoint.env", str(env_file))
        copy = tmp_path / unit.name
        copy.write_text(text.replace(INSTALL_ROOT, str(ROOT)))
        copies.append(copy)
    return copies


def systemd_verify(units: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *map(str, units)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_unit_set_is_web_worker_beat_and_a_target() -> None:
    names = sorted(path.name for path in UNITS.glob("infopoint*") if path.suffix != ".example")
    assert names == [
        "infopoint-beat.service",
        "infopoint-web.service",
        "infopoint-worker.service",
        "infopoint.target",
    ]
    target = (UNITS / "infopoint.target").read_text()
    assert "Wants=infopoint-web.service infopoint-worker.service infopoint-beat.service" in target
    for service in names[:3]:
        text = (UNITS / service).read_text()
        assert "PartOf=infopoint.target" in text
        assert "WantedBy=infopoint.target" in text
    # Warm shutdown of the worker: TERM reaches its main process only.
    assert "KillMode=mixed" in (UNITS / "infopoint-worker.service").read_text()


def test_the_units_are_valid(tmp_path: Path) -> None:
    for unit in UNITS.glob("infopoint*.*"):
        if unit.suffix in {".service", ".target"}:
            assert unit_problems(unit) == []
    if shutil.which("systemd-analyze"):
        result = systemd_verify(local_copy(tmp_path))
        assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_a_broken_unit_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "infopoint-broken.service"
    text = (UNITS / "infopoint-worker.service").read_text()
    broken.write_text(
        text.replace("KillMode=", "Kilmode=").replace(".venv/bin/celery", ".venv/bin/celeri")
    )
    problems = unit_problems(broken)
    assert any("unknown key Kilmode" in problem for problem in problems)
    assert any("celeri does not exist" in problem for problem in problems)
    if shutil.which("systemd-analyze"):
        copy = tmp_path / "copy" / broken.name
        copy.parent.mkdir()
        copy.write_text(broken.read_text().replace(INSTALL_ROOT, str(ROOT)))
        result = systemd_verify([copy])
        assert "Kilmode" in result.stdout + result.stderr


def test_the_nginx_example(tmp_path: Path) -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass http://infopoint;" in text
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    assert "alias /srv/infopoint/staticfiles/;" in text
    code = re.sub(r"#.*", "", text)
    assert code.count("{") == code.count("}")
    for statement in filter(None, (line.strip() for line in code.splitlines())):
        assert statement.endswith((";", "{", "}")), statement
    if not shutil.which("nginx"):
        return
    # nginx -t needs the certificate files: a throw-away pair stands in for them.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=infopoint.example.org", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = re.sub(r"ssl_certificate (\S+);", f"ssl_certificate {cert};", text)
    site = re.sub(r"ssl_certificate_key (\S+);", f"ssl_certificate_key {key};", site)
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _production(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION_ENV}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_production_values_pass_the_deployment_checks() -> None:
    result = _production(
        "import django; django.setup(); from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_logs_are_json_lines() -> None:
    result = _production(
        "import django, logging; django.setup();"
        "logging.getLogger('infopoint.test').warning('Outbox: %s waiting', 3)"
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "infopoint.test"
    assert entry["message"] == "Outbox: 3 waiting"
    assert entry["time"].endswith("+00:00")


def test_celery_acknowledges_late_and_takes_one_task_at_a_time() -> None:
    from config.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_hijack_root_logger is False  # JSON logs through Django's LOGGING
