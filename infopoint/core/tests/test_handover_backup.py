"""Backup and restore round trips on the database the suite runs on (SQLite or PostgreSQL)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from infopoint.accounts.models import Role, User
from infopoint.core.handover.backup import DATABASE_FILES, backup_create, backup_restore
from infopoint.core.handover.common import HandoverError, sha256_file
from infopoint.enquiries.models import Enquiry
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.reports.tests.factories import staff_user


@pytest.fixture(autouse=True)
def _in_english():  # type: ignore[no-untyped-def]
    """Services answer in the active language; earlier tests may leave another one active."""
    with translation.override("en"):
        yield


def _said(message: str, **values: object) -> str:
    """``message`` as the command says it in the active language, as a pattern."""
    return re.escape(gettext(message) % values if values else gettext(message))


# pg_dump reads what is committed, and SQLite's backup needs no open transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "media"
    (root / "enquiries" / "2026").mkdir(parents=True)
    (root / "enquiries" / "2026" / "passport.pdf").write_bytes(b"%PDF-1.7 first")
    with override_settings(MEDIA_ROOT=root):
        yield root


def _state() -> tuple[list[str], list[str]]:
    users = sorted(User.objects.values_list("username", flat=True))
    enquiries = sorted(Enquiry.objects.values_list("reference", flat=True))
    return users, enquiries


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _change_everything(media: Path) -> None:
    staff_user(Role.COORDINATOR, username="after-backup")
    Enquiry.objects.update(subject="changed after the backup")
    enquiry_make(text="A question asked after the backup.")
    (media / "enquiries" / "2026" / "passport.pdf").unlink()
    (media / "later.pdf").write_bytes(b"%PDF-1.7 later")


def test_backup_then_restore_puts_database_and_files_back(tmp_path: Path, media: Path) -> None:
    staff_user(Role.CONSULTANT, username="olena")
    enquiry_make()
    state, files = _state(), _files(media)
    subjects = list(Enquiry.objects.values_list("subject", flat=True))

    summary = backup_create(into=tmp_path / "backups")
    _change_everything(media)
    assert _state() != state

    manifest = backup_restore(path=summary.path)

    assert _state() == state
    assert list(Enquiry.objects.values_list("subject", flat=True)) == subjects
    assert _files(media) == files
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1
    assert summary.path.name.startswith("infopoint-backup-")
    assert sorted(p.name for p in summary.path.iterdir()) == sorted(
        ["manifest.json", "media.tar", DATABASE_FILES[connection.vendor]]
    )
    # The restored database takes new records where the old one left off.
    assert enquiry_make(text="A new question after the restore.").pk


def _rewrite_manifest(path: Path, **changes: object) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    manifest.update(changes)
    (path / "manifest.json").write_text(json.dumps(manifest))


def _damage_database(path: Path) -> None:
    database = path / DATABASE_FILES[connection.vendor]
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))


def _garbage_database_with_matching_checksum(path: Path) -> None:
    database = path / DATABASE_FILES[connection.vendor]
    database.write_bytes(b"this is not a database dump at all" * 100)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"][database.name]["sha256"] = sha256_file(database)
    (path / "manifest.json").write_text(json.dumps(manifest))


def _garbage_media_with_matching_checksum(path: Path) -> None:
    (path / "media.tar").write_bytes(b"not a tar archive" * 100)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["files"]["media.tar"]["sha256"] = sha256_file(path / "media.tar")
    (path / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_damage_database, "checksum does not match"),
        (lambda path: (path / "manifest.json").unlink(), r"no manifest\.json"),
        (lambda path: (path / "manifest.json").write_text("{not json"), "manifest .* damaged"),
        (lambda path: (path / "media.tar").unlink(), "lacks media.tar"),
        (lambda path: _rewrite_manifest(path, format="other"), "not an Infopoint backup"),
        (lambda path: _rewrite_manifest(path, version=7), "format version 7"),
        (lambda path: _rewrite_manifest(path, engine="mysql"), "mysql database"),
        (
            lambda path: _rewrite_manifest(path, migrations=["enquiries.9999_future"]),
            "newer version",
        ),
        (_garbage_database_with_matching_checksum, "database file is damaged|pg_restore failed"),
        (_garbage_media_with_matching_checksum, "cannot be unpacked"),
    ],
)
def test_restore_refuses_a_damaged_or_mismatching_backup_and_changes_nothing(
    tmp_path: Path, media: Path, damage, message: str
) -> None:
    staff_user(Role.CONSULTANT, username="olena")
    summary = backup_create(into=tmp_path / "backups")
    _change_everything(media)
    state, files = _state(), _files(media)
    damage(summary.path)

    with pytest.raises(HandoverError, match=message):
        backup_restore(path=summary.path)

    assert _state() == state
    assert _files(media) == files
    assert [p.name for p in media.parent.iterdir() if p.name.startswith(".")] == []


def test_backup_and_restore_commands(
    tmp_path: Path, media: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    staff_user(Role.CONSULTANT, username="olena")
    call_command("backup", "--into", str(tmp_path))
    path = capsys.readouterr().out.strip().splitlines()[-1]
    staff_user(Role.CONSULTANT, username="after-backup")

    call_command("restore", path, "--check")
    created = json.loads((Path(path) / "manifest.json").read_text())["created_at"]
    message = _said("The backup of %(created)s is whole and fits this instance.", created=created)
    assert re.search(message, capsys.readouterr().out)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match=_said("Nothing was changed.")):
        call_command("restore", path)
    assert User.objects.filter(username="after-backup").exists()

    call_command("restore", path, "--yes")
    assert not User.objects.filter(username="after-backup").exists()
    no_manifest = "%(path)s is not a backup: it has no manifest.json."
    with pytest.raises(CommandError, match=_said(no_manifest, path=tmp_path)):
        call_command("restore", str(tmp_path))
