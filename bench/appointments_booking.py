"""Bookings per second under concurrency on PostgreSQL, and one winner per raced slot.

Makes the throw-away PostgreSQL database ``infopoint_bench_appointments``, migrates it, loads
the default content and adds the ten advisers of bench/appointments_slots.py. Then THREADS
threads, each with its own database connection, book through the real service
(``appointment_book``: the slot checked free, the row saved under the database's unique
constraint, the confirmation with its .ics rendered into the outbox and handed to the mail
backend, locmem), in two rounds:

1. distinct: BOOKINGS different free slots shared out between the threads; every one must
   be booked, none refused;
2. race: every thread tries each of RACE_SLOTS slots, in the same order, released together
   at each slot by a barrier; exactly one must win each slot, the others get SlotTaken with
   the next free times.

Prints bookings per second (and attempts per second in the race), conflicts, and the machine;
exits non-zero if any slot has no winner or more than one, or anything else went wrong.

    .venv/bin/python bench/appointments_booking.py [--threads 8] [--bookings 300] [--race-slots 30]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.appointments_slots import DATABASE, advisers_create
from bench.common import (
    data_dir,
    database_version,
    django_start,
    environment,
    machine,
    postgres_database,
    table,
)


def _person(number: int, slot: Any) -> dict[str, Any]:
    from infopoint.appointments.consent import CONSENT_VERSION

    return {
        "name": f"Person {number}",
        "email": f"person{number}@example.net",
        "language": slot.languages[number % len(slot.languages)],
        "description": "Karta pobytu",
        "consent_version": CONSENT_VERSION,
    }


def _book(slot: Any, number: int) -> str:
    """One booking attempt: "booked", "taken", or what else happened."""
    from infopoint.appointments.exceptions import SlotTaken, SlotUnavailable
    from infopoint.appointments.services import appointment_book

    try:
        appointment_book(slot=slot, **_person(number, slot))
    except SlotTaken as error:
        return "taken" if isinstance(error.next_slots, list) else "taken, no next slots"
    except SlotUnavailable as error:
        return f"unavailable ({error.code})"
    except Exception as error:  # every failure is counted and reported
        return f"error ({type(error).__name__}: {error})"
    return "booked"


def distinct_round(slots: list[Any], threads: int) -> tuple[Counter[str], float]:
    """Each thread books its own share of ``slots``; (outcomes, seconds)."""
    from django.db import connections

    shares = [slots[index::threads] for index in range(threads)]
    barrier = threading.Barrier(threads)

    def work(index: int) -> Counter[str]:
        outcomes: Counter[str] = Counter()
        try:
            barrier.wait(timeout=60)
            for offset, slot in enumerate(shares[index]):
                outcomes[_book(slot, 100_000 + index * 10_000 + offset)] += 1
        finally:
            connections.close_all()
        return outcomes

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(work, range(threads)))
    elapsed = time.perf_counter() - started
    return sum(results, Counter()), elapsed


def race_round(slots: list[Any], threads: int) -> tuple[Counter[str], dict[str, int], float]:
    """Every thread tries every slot; (outcomes, winners per slot key, seconds)."""
    from django.db import connections

    barrier = threading.Barrier(threads)
    winners: Counter[str] = Counter()
    lock = threading.Lock()

    def work(index: int) -> Counter[str]:
        outcomes: Counter[str] = Counter()
        try:
            for offset, slot in enumerate(slots):
                barrier.wait(timeout=60)  # all threads at the same slot at once
                outcome = _book(slot, 500_000 + index * 10_000 + offset)
                outcomes[outcome] += 1
                if outcome == "booked":
                    with lock:
                        winners[slot.key] += 1
        finally:
            connections.close_all()
        return outcomes

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(work, range(threads)))
    elapsed = time.perf_counter() - started
    return sum(results, Counter()), dict(winners), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--bookings", type=int, default=300)
    parser.add_argument("--race-slots", type=int, default=30)
    options = parser.parse_args()
    if options.threads < 2 or options.bookings < 1 or options.race_slots < 1:
        parser.error("give at least 2 threads, 1 booking and 1 race slot")

    with data_dir() as folder, postgres_database(DATABASE) as url:
        started = time.perf_counter()
        django_start(environment(database_url=url, folder=folder))
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from infopoint.appointments.models import OCCUPYING, Booking
        from infopoint.appointments.selectors import slots_free
        from infopoint.mail.models import OutgoingMessage

        advisers = advisers_create()
        today = timezone.localdate()
        free = slots_free(
            start=today, end=today + timedelta(days=settings.APPOINTMENTS_HORIZON_DAYS)
        )
        needed = options.bookings + options.race_slots
        if len(free) < needed:
            print(f"Cannot run: {len(free)} free slots, {needed} needed", file=sys.stderr)
            return 2
        # The first slots for the distinct round, the next ones for the race: none shared.
        distinct = free[: options.bookings]
        race = free[options.bookings : needed]
        print(
            f"{len(advisers)} advisers, {len(free):,} free slots, ready in "
            f"{time.perf_counter() - started:.1f} s"
        )
        database = database_version()
        connection.close()

        distinct_outcomes, distinct_seconds = distinct_round(distinct, options.threads)
        race_outcomes, winners, race_seconds = race_round(race, options.threads)

        stored = Booking.objects.filter(status__in=OCCUPYING).count()
        per_slot = Counter(
            (adviser_id, starts_at)
            for adviser_id, starts_at in Booking.objects.filter(status__in=OCCUPYING).values_list(
                "adviser_id", "starts_at"
            )
        )
        confirmations = OutgoingMessage.objects.count()
        connection.close()

    attempts = options.threads * len(race)
    table("Machine", ["figure", "value"], machine(database))
    table(
        f"Bookings under concurrency, PostgreSQL, {options.threads} threads",
        ["round", "attempts", "booked", "conflicts", "seconds", "bookings/s", "attempts/s"],
        [
            (
                f"distinct: {len(distinct)} different slots",
                len(distinct),
                distinct_outcomes["booked"],
                distinct_outcomes["taken"],
                f"{distinct_seconds:.1f}",
                f"{distinct_outcomes['booked'] / distinct_seconds:.1f}",
                f"{len(distinct) / distinct_seconds:.1f}",
            ),
            (
                f"race: {options.threads} threads on each of {len(race)} slots",
                attempts,
                race_outcomes["booked"],
                race_outcomes["taken"],
                f"{race_seconds:.1f}",
                f"{race_outcomes['booked'] / race_seconds:.1f}",
                f"{attempts / race_seconds:.1f}",
            ),
        ],
    )
    checks = [
        ("distinct: every slot booked", len(distinct), distinct_outcomes["booked"]),
        (
            "race: slots with exactly one winner",
            len(race),
            len([key for key, count in winners.items() if count == 1]),
        ),
        ("race: winners", len(race), race_outcomes["booked"]),
        ("race: conflicts (SlotTaken)", attempts - len(race), race_outcomes["taken"]),
        ("bookings in the database", len(distinct) + len(race), stored),
        ("most bookings of one slot", 1, max(per_slot.values(), default=0)),
        ("confirmations in the outbox", len(distinct) + len(race), confirmations),
    ]
    table("Checks", ["check", "expected", "got"], checks)
    others = {
        outcome: count
        for outcome, count in (distinct_outcomes + race_outcomes).items()
        if outcome not in ("booked", "taken")
    }
    if others:
        print(f"\nOther outcomes: {others}", file=sys.stderr)
    wrong = [name for name, expected, got in checks if expected != got]
    if wrong or others:
        print(f"\nFAILED: {', '.join(wrong) or 'unexpected outcomes'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
