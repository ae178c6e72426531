"""What every benchmark shares: a throw-away database, Django set up on it, and the figures.

A benchmark never touches the developer's database: it makes its own (a SQLite file in a
temporary folder, or a PostgreSQL database it creates and drops), migrates it and loads the
default content. It prints the machine it ran on with its figures, so they can be compared.
"""

from __future__ import annotations

import contextlib
import os
import platform
import secrets
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The server the PostgreSQL benchmarks create their database on (it must allow CREATE DATABASE).
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/")
POSTGRES_DATABASE = "infopoint_bench"
SETTINGS = "bench.settings"
# Other work on the machine slows every figure: how busy it was before the benchmark began.
LOAD_BEFORE = os.getloadavg()[0]


# --- the machine ----------------------------------------------------------------------------


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file, WAL)"
    return connection.vendor


def machine(database: str | None = None) -> list[tuple[str, str]]:
    import django

    rows = [
        ("CPU", cpu_model()),
        ("cores", str(cpu_count())),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("load average before the run (1 min)", f"{LOAD_BEFORE:.1f}"),
    ]
    if database:
        rows.append(("database", database))
    return rows


# --- figures --------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0.95 for p95) of ``values``."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def table(title: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Prints a Markdown table, so the figures can go into docs/benchmarks.md as they are."""
    cells = [[str(cell) for cell in header]] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(header))]

    def line(row: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    print(f"\n### {title}\n")
    print(line(cells[0]))
    print("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    for row in cells[1:]:
        print(line(row))
    sys.stdout.flush()


# --- databases ------------------------------------------------------------------------------


def postgres_url(name: str) -> str:
    parts = urlsplit(POSTGRES_SERVER)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def _postgres_admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def postgres_database(name: str = POSTGRES_DATABASE) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards; yields its URL."""
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(name)
    finally:
        from django.db import connections

        connections.close_all()
        _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def data_dir() -> Iterator[Path]:
    """A temporary DATA_DIR (uploaded files, the SQLite file), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="infopoint-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'bench.sqlite3'}"


def environment(*, database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    """The environment of the production profile for a benchmark (also for gunicorn)."""
    return {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(folder),
        "EMAIL_URL": "locmem://",
        "REDIS_URL": "",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Benchmarks sign staff in with force_login: there is no second factor to type.
        "STAFF_REQUIRE_TWO_FACTOR": "false",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **extra,
    }


def django_start(env: dict[str, str]) -> None:
    """Sets up Django on the benchmark's database: migrated, default content loaded."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from infopoint.core.content import default_content_load

    call_command("migrate", verbosity=0, interactive=False)
    default_content_load()
