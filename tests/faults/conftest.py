"""Fixtures of the fault tests: a private PostgreSQL cluster with a migrated template
database, a Redis database number of their own, and the production profile's environment
for the worker processes they start and kill."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from .servers import PrivatePostgres, manage, postgres_bin

# One Redis database number for the fault tests alone; it is emptied before each test.
REDIS_URL = os.environ.get("FAULT_TESTS_REDIS_URL", "redis://127.0.0.1:6379/12")
TEMPLATE = "infopoint_template"


@pytest.fixture(scope="session")
def private_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePostgres]:
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server programs (initdb, pg_ctl) are not installed")
    server = PrivatePostgres(bin_dir).start()
    try:
        server.execute(f"CREATE DATABASE {TEMPLATE}")
        env = production_env(
            database_url=server.url(TEMPLATE),
            data_dir=tmp_path_factory.mktemp("template-data"),
        )
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        yield server
    finally:
        server.destroy()


@pytest.fixture
def broker() -> str:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return REDIS_URL


@pytest.fixture
def database(private_postgres: PrivatePostgres, request: pytest.FixtureRequest) -> str:
    """A fresh, migrated database of its own for one test; returns its name."""
    name = "fault_" + request.node.name.lower()[:40]
    private_postgres.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    private_postgres.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return name


def production_env(*, database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `make prod` (config.settings.production) for a subprocess."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "IMAP_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="fault-tests-" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2,
        DATABASE_URL=database_url,
        DATA_DIR=str(data_dir),
        SECURE_SSL_REDIRECT="false",
        EMAIL_URL="console://",
        REDIS_URL="",
        IMAP_URL="",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env
