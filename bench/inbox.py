"""The consultants' inbox with 1,000 and with 100,000 enquiries on PostgreSQL.

Fills a throw-away PostgreSQL database with enquiries spread as a busy point would have them
after a few years (statuses by age, topics, languages, channels, ten consultants and the
unassigned, one to three messages each), written with bulk_create, then ANALYZEd as
autovacuum would. Then a signed-in consultant opens the staff inbox (/en/enquiries/staff/)
through django.test.Client with several filters. For each: the number of SQL queries of one
request (CaptureQueriesContext) and the median and p95 time of REQUESTS requests, measured
first at 1,000 enquiries and again at 100,000, so growth is visible.

    .venv/bin/python bench/inbox.py [--requests 30] [--sizes 1000,100000]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
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
    table,
)
from bench.mail_ingest import ANSWERS, NAMES, QUESTIONS

INBOX = "/en/enquiries/staff/"
BATCH = 5000
SEED = 2026
CONSULTANTS = 10
# How far back the enquiries go: a busy point over three years.
YEARS = 3
RECENT_DAYS = 14


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def enquiries_add(*, first: int, count: int, now: Any, staff: list[Any], topics: list[Any]) -> str:
    """Adds ``count`` enquiries (numbered from ``first``) with their messages; returns a
    reference among them to search for."""
    from infopoint.enquiries.consent import CONSENT_VERSION, CONSENT_VERSION_ORAL
    from infopoint.enquiries.models import Channel, Direction, Enquiry, Message, Status

    rng = random.Random(SEED + first)
    span = timedelta(days=365 * YEARS).total_seconds()
    searched = ""
    for start in range(first, first + count, BATCH):
        enquiries: list[Enquiry] = []
        texts: list[list[tuple[str, str, str]]] = []
        for index in range(start, min(first + count, start + BATCH)):
            # Newer enquiries are more common: the service grew.
            age = timedelta(seconds=span * rng.random() ** 1.5)
            created = now - age
            recent = age < timedelta(days=RECENT_DAYS)
            status = _weighted(
                rng,
                {"new": 25, "open": 30, "waiting": 15, "answered": 25, "referred": 5}
                if recent
                else {"closed": 70, "answered": 19, "referred": 8, "open": 2, "waiting": 1},
            )
            language = _weighted(rng, {"uk": 40, "ru": 20, "pl": 12, "en": 28})
            channel = _weighted(rng, {"web": 50, "email": 35, "phone": 10, "visit": 3, "letter": 2})
            name = rng.choice(NAMES[language])
            subject, question = rng.choice(QUESTIONS[language]).split("\n", 1)
            answered = status not in (Status.NEW, Status.OPEN)
            oral = channel in (Channel.PHONE, Channel.VISIT, Channel.LETTER)
            enquiries.append(
                Enquiry(
                    reference=f"IP-{created.year}-{index + 1:06d}",
                    tracking_token_hash=hashlib.sha256(f"bench-{index}".encode()).hexdigest(),
                    channel=channel,
                    status=status,
                    topic=rng.choice(topics) if rng.random() < 0.85 else None,
                    subject=subject,
                    language=language,
                    preferred_language=language,
                    name=name,
                    email=f"person{index}@example.net" if not oral or rng.random() < 0.3 else "",
                    phone=f"+48 600 {index // 1000 % 1000:03d} {index % 1000:03d}"
                    if oral or rng.random() < 0.3
                    else "",
                    consent_version=CONSENT_VERSION_ORAL if oral else CONSENT_VERSION,
                    consent_given_at=created,
                    due_at=created + timedelta(hours=rng.randint(24, 96)),
                    waiting_since=created + timedelta(hours=20) if status == "waiting" else None,
                    assignee=rng.choice(staff) if answered or rng.random() < 0.6 else None,
                    first_response_at=created + timedelta(hours=rng.randint(1, 40))
                    if answered
                    else None,
                    closed_at=created + timedelta(days=rng.randint(2, 20))
                    if status == "closed"
                    else None,
                    created_at=created,
                )
            )
            thread = [(Direction.IN, question, "")]
            if answered:
                thread.append((Direction.OUT, "Dzień dobry, odpowiadamy na Pana/Pani pytanie.", ""))
                if rng.random() < 0.3:
                    thread.append((Direction.IN, ANSWERS[language], ""))
            if channel == Channel.EMAIL:
                thread = [
                    (direction, text, f"bench.{index}.{number}@example.net")
                    for number, (direction, text, _id) in enumerate(thread)
                ]
            texts.append(thread)
        Enquiry.objects.bulk_create(enquiries, batch_size=BATCH)
        messages = [
            Message(
                enquiry=enquiry,
                direction=direction,
                channel=enquiry.channel,
                text=text,
                email_message_id=message_id,
                created_at=enquiry.created_at + timedelta(hours=number * 20),
            )
            for enquiry, thread in zip(enquiries, texts, strict=True)
            for number, (direction, text, message_id) in enumerate(thread)
        ]
        Message.objects.bulk_create(messages, batch_size=BATCH)
        searched = enquiries[len(enquiries) // 2].reference
    return searched


def matching(query: dict[str, str], user: Any) -> int:
    """How many enquiries the inbox lists with ``query``, read as the page reads it."""
    from infopoint.accounts.selectors import desk_staff
    from infopoint.enquiries.inbox import enquiry_inbox
    from infopoint.enquiries.staff.forms import InboxFilterForm
    from infopoint.topics.selectors import topic_list

    form = InboxFilterForm(query, topics=list(topic_list()), staff=list(desk_staff()))
    if not form.is_valid():
        raise RuntimeError(f"{query}: {form.errors.as_text()}")
    return enquiry_inbox(filters=form.filters(), user=user).count()


def measure(client: Any, query: dict[str, str], requests: int) -> tuple[int, float, float]:
    """(queries of one request, median ms, p95 ms) of the inbox page with ``query``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _warm_up in range(2):
        response = client.get(INBOX, query)
        if response.status_code != 200:
            raise RuntimeError(f"{INBOX} {query}: {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INBOX, query)
    # Read now: the next request empties the connection's query log.
    queries = len(captured)
    times = []
    for _request in range(requests):
        started = time.perf_counter()
        response = client.get(INBOX, query)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{INBOX} {query}: {response.status_code}")
    return queries, 1000 * median(times), 1000 * percentile(times, 0.95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--sizes", default="1000,100000")
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))

    with data_dir() as folder, postgres_database() as url:
        django_start(environment(database_url=url, folder=folder))
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from infopoint.accounts.models import Role, User
        from infopoint.accounts.services import user_roles_set
        from infopoint.topics.models import Topic

        staff = []
        for number in range(CONSULTANTS):
            user = User.objects.create_user(
                username=f"consultant{number}",
                first_name=NAMES["pl"][number % 4].split()[0],
                last_name=f"Consultant {number}",
                languages=[["pl", "uk"], ["pl", "ru", "en"], ["uk", "ru"]][number % 3],
            )
            staff.append(user_roles_set(user=user, roles=[Role.CONSULTANT]))
        topics = list(Topic.objects.all())
        client = Client()
        client.force_login(staff[0])
        now = timezone.now()
        database = database_version()

        rows = []
        generated = 0
        searched = ""
        for size in sizes:
            started = time.perf_counter()
            searched = enquiries_add(
                first=generated, count=size - generated, now=now, staff=staff, topics=topics
            )
            generated = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            print(f"{size:,} enquiries written in {time.perf_counter() - started:.1f} s")
            scenarios = {
                "no filter": {},
                "status=open": {"status": "open"},
                "due=overdue": {"due": "overdue"},
                "language=uk": {"language": "uk"},
                "assignee=me": {"assignee": "me"},
                "q=<a reference>": {"q": searched},
                "q=PESEL (a word)": {"q": "PESEL"},
            }
            for label, query in scenarios.items():
                queries, median_ms, p95_ms = measure(client, query, options.requests)
                rows.append(
                    (
                        f"{size:,}",
                        label,
                        f"{matching(query, staff[0]):,}",
                        queries,
                        f"{median_ms:.0f}",
                        f"{p95_ms:.0f}",
                    )
                )
        connection.close()

    table("Machine", ["figure", "value"], machine(database))
    table(
        f"Staff inbox, {options.requests} requests each",
        ["enquiries", "filter", "matching", "queries", "median ms", "p95 ms"],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
