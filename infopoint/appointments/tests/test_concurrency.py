"""No double booking under concurrent requests: 50 threads, one slot, one winner (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from infopoint.appointments.exceptions import SlotTaken
from infopoint.appointments.models import Booking
from infopoint.appointments.services import appointment_book
from infopoint.mail.models import OutgoingMessage

from .helpers import at, person

REQUESTS = 50


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frozen")
def test_fifty_concurrent_bookings_of_one_slot_make_exactly_one(adviser) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets one writer in at a "
            "time, so requests cannot race there"
        )
    starts_at = at(2026, 12, 1, 15)
    barrier = threading.Barrier(REQUESTS)

    def book(n: int) -> str:
        # Each thread has its own database connection; all of them start at once.
        try:
            barrier.wait(timeout=30)
            appointment_book(
                adviser=adviser,
                starts_at=starts_at,
                **person(email=f"person{n}@example.com"),
            )
            return "booked"
        except SlotTaken as error:
            assert error.next_slots, "a lost race offers the next free times"
            assert error.next_slots[0].starts_at > starts_at
            return "taken"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        results = list(pool.map(book, range(REQUESTS)))

    assert results.count("booked") == 1
    assert results.count("taken") == REQUESTS - 1
    assert Booking.objects.filter(starts_at=starts_at).count() == 1
    assert OutgoingMessage.objects.count() == 1
