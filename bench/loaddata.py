"""Generated data for the load benchmark, written in SQL on PostgreSQL (seconds, not hours).

``enquiries_grow`` brings the enquiries (each with the enquirer's first message) up to a
count, so one database can be measured at 10,000, then 100,000, then 1,000,000 enquiries;
``appointments_add`` and ``articles_add`` write the appointments and the articles once.
Shares and spreads are those of ``bench/reports.py`` and ``bench/inbox.py``: three years of
enquiries, newer ones more common, mostly closed, in the four languages, 85 % with a topic.
Every writer ends with ``ANALYZE``, as autovacuum would.
"""

from __future__ import annotations

from datetime import datetime

from bench.reports import BOOKINGS_SQL

YEARS = 3
ADVISERS = 5

ENQUIRIES_SQL = """
INSERT INTO enquiries_enquiry (
    reference, tracking_token_hash, channel, status, topic_id, subject, language,
    preferred_language, name, email, phone, safe_contact, consent_version, consent_given_at,
    due_at, waiting_since, created_at, updated_at, first_response_at,
    first_response_working_seconds, closed_at
)
SELECT
    'IP-L-' || lpad(n::text, 7, '0'),
    md5('load-' || n) || md5('token-' || n),
    (ARRAY['web','web','web','web','web','email','email','email','phone','visit','letter'])
        [1 + floor(random() * 11)::int],
    status,
    CASE WHEN random() < 0.85 THEN topics[1 + floor(random() * cardinality(topics))::int] END,
    (ARRAY['Residence card','Work permit','PESEL number','Renting a flat','School for my son',
           'Health insurance','Driving licence','Tax return'])[1 + floor(random() * 8)::int],
    language, language, 'Person ' || n, 'person' || n || '@example.net', '', 'any', '2026-01',
    created, created + interval '48 hours', NULL, created, created,
    CASE WHEN status NOT IN ('new', 'open') THEN created + interval '20 hours' END,
    CASE WHEN status NOT IN ('new', 'open') THEN 8 * 3600 END,
    CASE WHEN status = 'closed' THEN created + interval '10 days' END
FROM (
    SELECT
        n,
        %(now)s::timestamptz - make_interval(secs => %(span)s * power(random(), 1.5)) AS created,
        (ARRAY['closed','closed','closed','closed','closed','closed','closed','answered',
               'answered','referred','open','new','waiting'])[1 + floor(random() * 13)::int]
            AS status,
        (ARRAY['uk','uk','uk','uk','ru','ru','pl','en','en','en'])[1 + floor(random() * 10)::int]
            AS language,
        %(topics)s::bigint[] AS topics
    FROM generate_series(%(first)s, %(last)s) AS n
) AS drawn
"""

# The enquirer's first message: what the inbox search reads besides the enquiry's columns.
MESSAGES_SQL = """
INSERT INTO enquiries_message (
    enquiry_id, direction, author_id, channel, text, email_message_id, automatic, created_at
)
SELECT id, 'in', NULL, channel,
       (ARRAY['How do I renew my residence card? My PESEL is on the old one.',
              'Можна записатися на консультацію юриста щодо дозволу на роботу?',
              'Где получить номер PESEL для ребёнка?',
              'Szukam mieszkania do wynajęcia, jak sprawdzić umowę?',
              'My employer did not pay my salary for two months.'])[1 + (id %% 5)::int],
       '', false, created_at
FROM enquiries_enquiry WHERE id > %(after)s
"""

ARTICLES_SQL = """
WITH originals AS (
    SELECT id, slug, topic_id, reviewed_on, sources, row_number() OVER (ORDER BY id) AS number
    FROM knowledge_article WHERE status = 'published'
), wanted AS (
    SELECT n, (SELECT count(*) FROM originals) AS total FROM generate_series(1, %(count)s) AS n
)
INSERT INTO knowledge_article (
    slug, topic_id, status, reviewed_on, sources, published_at, created_at, updated_at
)
SELECT 'load-' || n || '-' || originals.id, topic_id, 'published', reviewed_on, sources,
       %(now)s, %(now)s, %(now)s
FROM wanted JOIN originals ON originals.number = 1 + (n - 1) %% total
"""

ARTICLE_TEXTS_SQL = """
INSERT INTO knowledge_articletranslation (article_id, language, title, summary, body)
SELECT copy.id, text.language, left(text.title || ' (' || split_part(copy.slug, '-', 2) || ')',
       200), text.summary, text.body
FROM knowledge_article AS copy
JOIN knowledge_articletranslation AS text
    ON text.article_id = split_part(copy.slug, '-', 3)::bigint
WHERE copy.slug LIKE 'load-%%'
"""

ARTICLE_INSTITUTIONS_SQL = """
INSERT INTO knowledge_article_institutions (article_id, institution_id)
SELECT copy.id, link.institution_id
FROM knowledge_article AS copy
JOIN knowledge_article_institutions AS link
    ON link.article_id = split_part(copy.slug, '-', 3)::bigint
WHERE copy.slug LIKE 'load-%%'
"""


def _count(cursor: object, table: str) -> int:
    # Table names are this module's constants, never input.
    cursor.execute(f"SELECT count(*) FROM {table}")  # type: ignore[attr-defined]  # noqa: S608
    return int(cursor.fetchone()[0])  # type: ignore[attr-defined]


def enquiries_grow(*, to: int, now: datetime) -> int:
    """Adds enquiries, each with its first message, until there are ``to``; returns the count."""
    from django.db import connection

    from infopoint.topics.models import Topic

    topics = list(Topic.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM enquiries_enquiry")
        after = cursor.fetchone()[0]
        have = _count(cursor, "enquiries_enquiry")
        if to > have:
            span = YEARS * 365 * 24 * 3600
            cursor.execute(
                ENQUIRIES_SQL,
                {"now": now, "span": span, "topics": topics, "first": have + 1, "last": to},
            )
            cursor.execute(MESSAGES_SQL, {"after": after})
            cursor.execute("ANALYZE enquiries_enquiry")
            cursor.execute("ANALYZE enquiries_message")
        return _count(cursor, "enquiries_enquiry")


def appointments_add(*, count: int, now: datetime) -> int:
    """Five legal advisers with ``count`` appointments between them, going back in time."""
    from django.db import connection

    from infopoint.accounts.models import Role, User
    from infopoint.accounts.services import user_roles_set
    from infopoint.appointments.models import Adviser

    advisers = []
    for number in range(ADVISERS):
        user = User.objects.create_user(
            username=f"load-adviser{number}", first_name="Adviser", last_name=str(number)
        )
        user_roles_set(user=user, roles=[Role.ADVISER])
        advisers.append(Adviser.objects.create(user=user, location="Room 12").pk)
    with connection.cursor() as cursor:
        cursor.execute(
            BOOKINGS_SQL,
            {"advisers": advisers, "per_adviser": count // ADVISERS, "now": now},
        )
        cursor.execute("ANALYZE appointments_booking")
        return _count(cursor, "appointments_booking")


def articles_add(*, to: int, now: datetime) -> tuple[int, int]:
    """Published copies of the default articles (slug ``load-<n>-<original id>``) until there
    are ``to``, each in the languages of its original. Returns (articles, translations)."""
    from django.db import connection

    with connection.cursor() as cursor:
        have = _count(cursor, "knowledge_article")
        if to > have:
            cursor.execute(ARTICLES_SQL, {"count": to - have, "now": now})
            cursor.execute(ARTICLE_TEXTS_SQL)
            cursor.execute(ARTICLE_INSTITUTIONS_SQL)
            cursor.execute("ANALYZE")
        return _count(cursor, "knowledge_article"), _count(cursor, "knowledge_articletranslation")
