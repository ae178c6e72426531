"""The inbox search: a whole reference number first, then the texts through trigram indexes."""

import pytest
from django.db import connection

from infopoint.accounts.models import User
from infopoint.enquiries import inbox
from infopoint.enquiries.inbox import InboxFilters, enquiry_inbox, search_matches
from infopoint.enquiries.tests.factories import desk_user, enquiry_make
from infopoint.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

TRIGRAM_INDEXES = {
    "enquiry_reference_trgm",
    "enquiry_name_trgm",
    "enquiry_email_trgm",
    "enquiry_phone_trgm",
    "enquiry_subject_trgm",
    "enquiry_message_text_trgm",
}


def _found(user: User, query: str) -> set[str]:
    return {e.reference for e in enquiry_inbox(filters=InboxFilters(q=query), user=user)}


def test_a_whole_reference_lists_that_enquiry_alone_in_any_case(consultant: User) -> None:
    asked = enquiry_make(name="Olena")
    quoting = enquiry_make(name="Ivan", text=f"I wrote before as {asked.reference}.")
    assert _found(consultant, "I wrote before as") == {quoting.reference}
    # Read as words, the reference is in the other enquiry's text too: a whole one is not.
    assert _found(consultant, asked.reference) == {asked.reference}
    assert _found(consultant, f"  {asked.reference.lower()} ") == {asked.reference}


def test_a_reference_no_enquiry_has_is_searched_in_the_texts(consultant: User) -> None:
    quoting = enquiry_make(text="My old number was IP-2019-000042, from the paper form.")
    enquiry_make(text="Something else")
    assert _found(consultant, "ip-2019-000042") == {quoting.reference}
    assert _found(consultant, "IP-2019-000043") == set()


def test_a_hidden_enquiry_stays_hidden_when_its_reference_is_typed(consultant: User) -> None:
    topic = TopicFactory(slug="violence")
    topic.restricted_to.add(desk_user(username="trusted"))
    hidden = enquiry_make(topic=topic, text="Help")
    quoting = enquiry_make(text=f"About {hidden.reference}")
    # Not listed, and the search goes on as for a reference nobody has.
    assert _found(consultant, hidden.reference) == {quoting.reference}


def test_partial_texts_still_match_every_field(consultant: User) -> None:
    enquiry = enquiry_make(
        name="Mykola Bondarenko",
        email="mykola@example.org",
        phone="+48 600 123 456",
        subject="Karta pobytu",
    )
    enquiry_make(name="Ivan", email="ivan@example.net", text="Other")
    for query in (enquiry.reference[-4:], "BONDAR", "example.org", "123 456", "pobytu", "pesel"):
        assert _found(consultant, query) == {enquiry.reference}, query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_search_can_read_every_text_through_its_trigram_index(consultant: User) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trgm'")
        assert {row[0] for row in cursor.fetchall()} >= TRIGRAM_INDEXES
        enquiry_make()
        # The tables are tiny here: forbid reading them whole to see that the indexes fit the
        # expressions Django writes (a mismatch would leave a sequential scan as the only way).
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_matches(query="PESEL").explain()
    used = {name for name in TRIGRAM_INDEXES if name in plan}
    assert used == TRIGRAM_INDEXES, plan


@pytest.mark.parametrize("cap", [100, 2], ids=["ids up to the cap", "a common word"])
def test_a_common_word_finds_the_same_as_a_rare_one(
    cap: int, consultant: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With a cap of 2 the five matches are past it: the inbox tests each row instead.
    monkeypatch.setattr(inbox, "SEARCH_CAP", cap)
    by_text = [enquiry_make(text=f"My PESEL number {n}") for n in range(3)]
    by_name = enquiry_make(name="Pesel Kowalska")
    both = enquiry_make(subject="PESEL", text="Where do I get a PESEL?")
    enquiry_make(text="Nothing to find here")
    hidden = TopicFactory(slug="hidden")
    hidden.restricted_to.add(desk_user(username="named"))
    enquiry_make(text="PESEL, but on a restricted topic", topic=hidden)
    found = enquiry_inbox(filters=InboxFilters(q="pesel"), user=consultant)
    assert sorted(e.reference for e in found) == sorted(
        e.reference for e in [*by_text, by_name, both]
    )
    assert len(search_matches(query="pesel")) >= 6
