"""Backup and restore: the database in its engine's own format, uploaded files as a tar.

A backup is one folder ``infopoint-backup-<UTC time>`` holding ``database.pgdump``
(PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online backup
API), ``media.tar`` (``MEDIA_ROOT``) and ``manifest.json`` (versions, applied migrations,
sizes and SHA-256 of both files). Restore checks all of that before it changes anything.
"""

import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404  # pg_dump and psql, fixed argument lists, no shell
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection
from django.utils.translation import gettext

from .common import HandoverError, migrations_applied, migrations_unknown, sha256_file

FORMAT = "infopoint-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    database_bytes: int
    media_files: int


def _engine() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise HandoverError(
            gettext("Backups support PostgreSQL and SQLite, not %(engine)s.")
            % {"engine": connection.vendor}
        )
    return connection.vendor


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes by environment."""
    params = connection.settings_dict
    arguments = ["--dbname", params["NAME"]]
    if params.get("HOST"):
        arguments += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", str(params["USER"])]
    environment = dict(os.environ)
    if params.get("PASSWORD"):
        environment["PGPASSWORD"] = str(params["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> str:
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603  # no shell, fixed program
            command, env=environment, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise HandoverError(
            gettext("%(program)s is not installed (it comes with the PostgreSQL client).")
            % {"program": command[0]}
        ) from None
    if result.returncode != 0:
        raise HandoverError(
            gettext("%(program)s failed: %(error)s")
            % {"program": command[0], "error": result.stderr.strip()[-2000:]}
        )
    return result.stdout


def _server_version(engine: str) -> str:
    if engine == "sqlite":
        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


def _database_dump(engine: str, target: Path) -> None:
    if engine == "postgresql":
        arguments, environment = _pg_environment()
        dump = ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target}"]
        _run([*dump, *arguments], environment)
        return
    connection.ensure_connection()
    with sqlite3.connect(target) as destination:
        connection.connection.backup(destination)
    destination.close()


def _media_archive(target: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w") as archive:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
                    count += 1
    return count


def _file_entry(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": sha256_file(path)}


def backup_create(*, into: Path, now: datetime | None = None) -> BackupSummary:
    """Writes a new backup folder under ``into``; a failed backup leaves no folder behind."""
    engine = _engine()
    moment = now or datetime.now(tz=UTC)
    into.mkdir(parents=True, exist_ok=True)
    final = into / f"infopoint-backup-{moment:%Y%m%dT%H%M%SZ}"
    if final.exists():
        raise HandoverError(gettext("%(path)s exists already.") % {"path": final})
    working = Path(tempfile.mkdtemp(prefix=".backup-", dir=into))
    try:
        database = working / DATABASE_FILES[engine]
        _database_dump(engine, database)
        media_files = _media_archive(working / MEDIA)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": moment.isoformat(),
            "engine": engine,
            "server_version": _server_version(engine),
            "django_version": django.get_version(),
            "migrations": migrations_applied(),
            "media_files": media_files,
            "files": {name: _file_entry(working / name) for name in (database.name, MEDIA)},
        }
        (working / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        working.rename(final)
    except BaseException:
        shutil.rmtree(working, ignore_errors=True)
        raise
    return BackupSummary(
        path=final,
        engine=engine,
        database_bytes=manifest["files"][database.name]["bytes"],  # type: ignore[index]
        media_files=media_files,
    )


def backup_verify(*, path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` once every check passed; else HandoverError."""
    manifest_path = path / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HandoverError(
            gettext("%(path)s is not a backup: it has no manifest.json.") % {"path": path}
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise HandoverError(
            gettext("The manifest of %(path)s is damaged.") % {"path": path}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise HandoverError(gettext("%(path)s is not an Infopoint backup.") % {"path": path})
    if manifest.get("version") != VERSION:
        raise HandoverError(
            gettext("The backup has format version %(found)s; this version reads %(known)s.")
            % {"found": manifest.get("version"), "known": VERSION}
        )
    engine = _engine()
    if manifest.get("engine") != engine:
        raise HandoverError(
            gettext(
                "The backup is of a %(backup)s database but this instance uses %(engine)s. "
                "Use export_service and import_service to move between engines."
            )
            % {"backup": manifest.get("engine"), "engine": engine}
        )
    files = manifest.get("files") or {}
    for name in (DATABASE_FILES[engine], MEDIA):
        expected = files.get(name) or {}
        if not (path / name).is_file():
            raise HandoverError(gettext("The backup lacks %(name)s.") % {"name": name})
        if sha256_file(path / name) != expected.get("sha256"):
            raise HandoverError(
                gettext("%(name)s is damaged: its checksum does not match the manifest.")
                % {"name": name}
            )
    unknown = migrations_unknown(list(manifest.get("migrations") or []))
    if unknown:
        raise HandoverError(
            gettext(
                "The backup comes from a newer version of Infopoint (migrations %(names)s); "
                "upgrade this one first."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    return manifest


def _media_unpack(archive_path: Path) -> Path:
    """The archive unpacked beside MEDIA_ROOT, ready to be swapped in."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{media_root.name}-restoring-"
    unpacked = Path(tempfile.mkdtemp(prefix=prefix, dir=media_root.parent))
    try:
        with tarfile.open(archive_path) as archive:
            # The "data" filter refuses absolute paths, ".." and links leaving the folder.
            archive.extractall(unpacked, filter="data")
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(unpacked, ignore_errors=True)
        raise HandoverError(
            gettext("The uploaded files cannot be unpacked: %(error)s") % {"error": error}
        ) from None
    return unpacked


def _media_swap(unpacked: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    previous = media_root.parent / f".{media_root.name}-previous"
    shutil.rmtree(previous, ignore_errors=True)
    if media_root.exists():
        media_root.rename(previous)
    unpacked.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)


def _database_check(engine: str, path: Path) -> None:
    if engine == "postgresql":
        _arguments, environment = _pg_environment()
        _run(["pg_restore", "--list", str(path)], environment)
        return
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            result = source.execute("PRAGMA integrity_check").fetchone()
        source.close()
    except sqlite3.DatabaseError as error:
        raise HandoverError(
            gettext("The database file is damaged: %(error)s") % {"error": error}
        ) from None
    if result != ("ok",):
        raise HandoverError(gettext("The database file is damaged: %(error)s") % {"error": result})


def _database_load(engine: str, path: Path) -> None:
    if engine == "postgresql":
        arguments, environment = _pg_environment()
        # One transaction: a restore that fails half-way leaves the database as it was.
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(path),
            ],
            environment,
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
        source.backup(connection.connection)
    source.close()


def backup_restore(*, path: Path) -> dict[str, Any]:
    """Puts the database and uploaded files of the backup at ``path`` back in place.

    Every check (manifest, checksums, engine, migrations, readable dump, unpackable files)
    runs before anything changes; the database is replaced in one transaction. Returns the
    manifest.
    """
    manifest = backup_verify(path=path)
    engine = manifest["engine"]
    database = path / DATABASE_FILES[engine]
    _database_check(engine, database)
    unpacked = _media_unpack(path / MEDIA)
    try:
        if engine == "postgresql":
            connection.close()  # holds no lock that pg_restore's DROP would wait for
        _database_load(engine, database)
    except BaseException:
        shutil.rmtree(unpacked, ignore_errors=True)
        raise
    _media_swap(unpacked)
    return manifest
