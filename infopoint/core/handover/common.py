"""What backup and exchange share: checksums, the migration state and their error."""

import hashlib
from pathlib import Path
from typing import IO

from django.db import connection
from django.db.migrations.loader import MigrationLoader


class HandoverError(Exception):
    """An archive cannot be used: the message (translated) says why; nothing was changed."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_stream(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def migrations_applied() -> list[str]:
    """Every migration applied to the database, as ``app.name``, sorted."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def migrations_unknown(names: list[str]) -> list[str]:
    """Those of ``names`` this version of the code does not have: the archive is newer."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    return sorted(set(names) - known)
