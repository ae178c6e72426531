"""Slot computation: 10 advisers over the 6-week horizon with 2,000 existing bookings.

Makes a throw-away database (a SQLite file, then the PostgreSQL database
``infopoint_bench_appointments``, each in a process of its own), migrates it and loads the
default content (the point's opening hours: Mon–Fri 9–19, Sat 9–14; public holidays). Then
adds ten legal advisers as a busy point would have them: each on three to five weekdays,
with appointments of 30, 45 or 60 minutes and breaks of 0 to 15, speaking two or three of
the site's languages, a day of leave or extra hours here and there; and 2,000 bookings on
their free slots (written with bulk_create, then ANALYZEd). Then it times, REQUESTS times
each after two warm-up calls:

- ``slots_free`` for the whole horizon, every adviser (what the staff booking page asks);
- ``slots_free`` for the whole horizon in one language (what a person's request asks);
- ``GET /api/v1/slots?language=uk`` through django.test.Client (the whole Django stack,
  no HTTP server), for the whole horizon (its default range).

Prints the median and p95, the SQL queries of one call, and the machine.

    .venv/bin/python bench/appointments_slots.py [--requests 30] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import time as clock
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    data_dir,
    database_version,
    django_start,
    environment,
    machine,
    median,
    percentile,
    postgres_database,
    sqlite_url,
    table,
)

DATABASE = "infopoint_bench_appointments"
ADVISERS = 10
BOOKINGS = 2000
SEED = 2026
# Each adviser: (weekdays, hours each day, minutes, break, languages).
PLANS: list[tuple[tuple[int, ...], tuple[tuple[int, int], ...], int, int, tuple[str, ...]]] = [
    ((0, 1, 2, 3, 4), ((9, 13), (14, 19)), 45, 15, ("pl", "uk", "ru")),
    ((0, 1, 2, 3, 4), ((9, 19),), 30, 10, ("pl", "uk")),
    ((0, 1, 2, 3, 4), ((9, 19),), 60, 0, ("pl", "en")),
    ((0, 1, 2, 3, 4), ((9, 19),), 45, 15, ("pl", "ru", "en")),
    ((0, 1, 2, 3), ((9, 19),), 45, 15, ("uk", "ru")),
    ((0, 1, 2, 3, 4), ((9, 19),), 30, 15, ("pl", "uk", "en")),
    ((1, 2, 3, 4), ((9, 19),), 60, 15, ("pl", "ru")),
    ((0, 1, 2, 3, 4), ((9, 12), (13, 19)), 45, 15, ("pl", "uk", "ru")),
    ((0, 1, 2, 3, 4), ((9, 19),), 45, 0, ("uk", "en")),
    ((0, 1, 2, 3, 4, 5), ((9, 14),), 30, 10, ("pl", "uk", "ru", "en")),
]


def advisers_create() -> list[Any]:
    """The ten advisers, with their weekly hours and a few exceptions (leave, extra hours)."""
    from django.utils import timezone

    from infopoint.accounts.models import Role, User
    from infopoint.accounts.services import user_roles_set
    from infopoint.appointments.models import (
        Adviser,
        AvailabilityException,
        AvailabilityRule,
        ExceptionKind,
    )

    rng = random.Random(SEED)
    today = timezone.localdate()
    advisers = []
    for number, (weekdays, spans, minutes, pause, languages) in enumerate(PLANS[:ADVISERS]):
        user = User.objects.create_user(
            username=f"adviser{number}",
            first_name=f"Adviser{number}",
            last_name="Bench",
            languages=list(languages),
        )
        user_roles_set(user=user, roles=[Role.ADVISER])
        adviser = Adviser.objects.create(
            user=user,
            appointment_minutes=minutes,
            buffer_minutes=pause,
            location="room 12",
        )
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(
                adviser=adviser, weekday=weekday, starts_at=clock(start), ends_at=clock(end)
            )
            for weekday in weekdays
            for start, end in spans
        )
        # A day of leave and an evening of extra hours somewhere in the horizon.
        AvailabilityException.objects.create(
            adviser=adviser,
            date=today + timedelta(days=rng.randrange(3, 40)),
            kind=ExceptionKind.CLOSED,
        )
        AvailabilityException.objects.create(
            adviser=adviser,
            date=today + timedelta(days=rng.randrange(3, 40)),
            kind=ExceptionKind.EXTRA,
            starts_at=clock(16),
            ends_at=clock(18),
        )
        advisers.append(adviser)
    return advisers


def bookings_add(count: int) -> int:
    """Books ``count`` free slots of the horizon at random (bulk_create); returns how many."""
    from django.db import connection
    from django.utils import timezone

    from infopoint.appointments.consent import CONSENT_VERSION
    from infopoint.appointments.models import Booking
    from infopoint.appointments.selectors import slots_free

    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    free = slots_free(start=today, end=today + timedelta(days=60), now=now, ignore_notice=True)
    if len(free) < count:
        raise RuntimeError(f"only {len(free)} free slots for {count} bookings")
    chosen = rng.sample(free, count)
    Booking.objects.bulk_create(
        (
            Booking(
                adviser_id=slot.adviser_id,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                name=f"Person {index}",
                email=f"person{index}@example.net",
                language=slot.languages[index % len(slot.languages)],
                consent_version=CONSENT_VERSION,
                consent_given_at=now,
                uid=f"{uuid.uuid4().hex}@bench.invalid",
            )
            for index, slot in enumerate(chosen)
        ),
        batch_size=500,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return len(chosen)


def timed(call: Callable[[], Any], requests: int) -> tuple[int, float, float, Any]:
    """(queries of one call, median ms, p95 ms, the last result) of ``requests`` calls."""
    from django.db import connection

    # Counted by a wrapper: a request through the test client resets connection.queries.
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    call()
    with connection.execute_wrapper(count):
        result = call()
    times = []
    for _number in range(requests):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return (
        len(executed),
        1000 * median(times),
        1000 * percentile(times, 0.95),
        result,
    )


def run(database: str, requests: int) -> int:
    extra = {"API_RATE_PER_ADDRESS": "off"}
    with data_dir() as folder:
        if database == "postgres":
            with postgres_database(DATABASE) as url:
                return _measure(
                    database, environment(database_url=url, folder=folder, **extra), requests
                )
        return _measure(
            database,
            environment(database_url=sqlite_url(folder), folder=folder, **extra),
            requests,
        )


def _measure(database: str, env: dict[str, str], requests: int) -> int:
    started = time.perf_counter()
    django_start(env)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from infopoint.appointments.models import Booking
    from infopoint.appointments.selectors import slots_free

    advisers = advisers_create()
    booked = bookings_add(BOOKINGS)
    print(
        f"{database}: {len(advisers)} advisers and {booked:,} bookings ready in "
        f"{time.perf_counter() - started:.1f} s"
    )
    today = timezone.localdate()
    last = today + timedelta(days=settings.APPOINTMENTS_HORIZON_DAYS)
    client = Client()

    def api() -> Any:
        response = client.get("/api/v1/slots", {"language": "uk"}, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/slots: {response.status_code}")
        return response.json()["slots"]

    scenarios: list[tuple[str, Callable[[], Any]]] = [
        ("slots_free, every adviser", lambda: slots_free(start=today, end=last)),
        ("slots_free, language=uk", lambda: slots_free(start=today, end=last, language="uk")),
        ("GET /api/v1/slots?language=uk", api),
    ]
    rows = []
    for label, call in scenarios:
        queries, median_ms, p95_ms, result = timed(call, requests)
        rows.append((label, f"{len(result):,}", queries, f"{median_ms:.1f}", f"{p95_ms:.1f}"))
    checks_ok = Booking.objects.count() == booked
    version = database_version()
    connection.close()

    table(f"Machine ({database})", ["figure", "value"], machine(version))
    table(
        f"Slots over {settings.APPOINTMENTS_HORIZON_DAYS} days, {len(advisers)} advisers, "
        f"{booked:,} bookings, {database}: {requests} calls each",
        ["call", "free slots", "queries", "median ms", "p95 ms"],
        rows,
    )
    if not checks_ok:
        print("FAILED: the bookings are not all in the database", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=30)
    options = parser.parse_args()
    if options.requests < 1:
        parser.error("--requests must be at least 1")
    if options.database:
        return run(options.database, options.requests)
    # Each database in a process of its own: Django is set up once per process.
    codes = [
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--database",
                name,
                "--requests",
                str(options.requests),
            ],
            check=False,
        ).returncode
        for name in ("sqlite", "postgres")
    ]
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
