from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from infopoint.accounts.models import User
from infopoint.enquiries import inbox
from infopoint.enquiries.inbox import InboxFilters, enquiry_inbox
from infopoint.enquiries.models import Channel, Enquiry, Status
from infopoint.enquiries.services import enquiry_add_enquirer_message, enquiry_set_status
from infopoint.enquiries.tests.factories import desk_user, enquiry_make
from infopoint.topics.tests.factories import TopicFactory, TopicTranslationFactory

from .conftest import MONDAY_10, staff_url

pytestmark = pytest.mark.django_db


def _refs(queryset: object) -> set[str]:
    return {enquiry.reference for enquiry in queryset}  # type: ignore[attr-defined]


def _shown(client: Client, **params: str) -> set[str]:
    response = client.get(staff_url("inbox"), params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return {enquiry.reference for enquiry in response.context["page"].object_list}


def test_filters_each_narrow_the_list(now: object, consultant: User, consultant_client: Client):
    topic = TopicTranslationFactory(topic=TopicFactory(slug="housing"), name="Housing").topic
    colleague = desk_user(username="ivan")
    web = enquiry_make()
    phone = enquiry_make(channel=Channel.PHONE, language="ru", topic=topic, author=consultant)
    mine = enquiry_make(language="en", text="Where can I learn Polish?")
    mine.assignee = consultant
    mine.save()
    theirs = enquiry_make(language="pl", text="Gdzie złożyć wniosek?")
    theirs.assignee = colleague
    theirs.save()
    enquiry_set_status(enquiry=theirs, status=Status.WAITING, author=consultant)

    assert _shown(consultant_client) == _refs([web, phone, mine, theirs])
    assert _shown(consultant_client, status="waiting") == {theirs.reference}
    assert _shown(consultant_client, topic="housing") == {phone.reference}
    assert _shown(consultant_client, language="en") == {mine.reference}
    assert _shown(consultant_client, channel="phone") == {phone.reference}
    assert _shown(consultant_client, assignee="me") == {mine.reference}
    assert _shown(consultant_client, assignee="unassigned") == _refs([web, phone])
    assert _shown(consultant_client, assignee=str(colleague.pk)) == {theirs.reference}
    assert _shown(consultant_client, due="all") == _refs([web, phone, mine, theirs])


def test_due_filters_and_overdue_marking(consultant: User, consultant_client: Client) -> None:
    with time_machine.travel(MONDAY_10 - timedelta(days=7), tick=False):
        late = enquiry_make(text="Old question")
        paused = enquiry_make(text="Waiting question")
        enquiry_set_status(enquiry=paused, status=Status.WAITING, author=consultant)
        answered = enquiry_make(text="Answered question")
        enquiry_set_status(enquiry=answered, status=Status.ANSWERED, author=consultant)
    # Friday 9:00 + 20 working hours (Fri 10, Sat 5, Mon 5) = Monday 14:00.
    with time_machine.travel(MONDAY_10 - timedelta(days=3, hours=1), tick=False):
        due_today = enquiry_make(text="Friday's question")
    with time_machine.travel(MONDAY_10, tick=False):
        fresh = enquiry_make(text="New question")
        assert due_today.due_at.date() == MONDAY_10.date()
        assert _shown(consultant_client, due="overdue") == {late.reference}
        assert _shown(consultant_client, due="today") == _refs([late, due_today])
        rows = {e.reference: e for e in enquiry_inbox(filters=InboxFilters(), user=consultant)}
        assert rows[late.reference].is_overdue
        # The clock is paused while waiting; answered ones are owed nothing.
        assert not rows[paused.reference].is_overdue
        assert not rows[answered.reference].is_overdue
        assert not rows[fresh.reference].is_overdue
        # Owed enquiries first, the most urgent at the top.
        assert next(iter(rows)) == late.reference
        body = consultant_client.get(staff_url("inbox")).content.decode()
        assert 'class="is-overdue"' in body
        assert "Overdue" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("status", "lost", "Choose a status from the list."),
        ("topic", "nope", "Choose a topic from the list."),
        ("language", "xx", "Choose a language from the list."),
        ("channel", "pigeon", "Choose a channel from the list."),
        ("assignee", "99999", "Choose who the enquiry is assigned to from the list."),
        ("assignee", "<script>", "Choose who the enquiry is assigned to from the list."),
        ("due", "yesterday", "Choose a due time from the list."),
        ("q", "x" * 201, "Search for at most 200 characters."),
    ],
)
def test_a_wrong_filter_value_gets_a_message_not_an_error(
    enquiry: Enquiry, consultant_client: Client, field: str, value: str, message: str
) -> None:
    response = consultant_client.get(staff_url("inbox"), {field: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert message in body
    # The wrong filter filters nothing; the list is still shown.
    assert enquiry.reference in body


def test_filter_messages_are_translated(enquiry: Enquiry, consultant_client: Client) -> None:
    english = consultant_client.get(staff_url("inbox", language="en"), {"status": "lost"})
    polish = consultant_client.get(staff_url("inbox", language="pl"), {"status": "lost"})
    assert polish.status_code == 400
    assert polish.context["form"].errors["status"] == english.context["form"].errors["status"]
    assert polish.context["LANGUAGE_CODE"] == "pl"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("reference", True),
        ("kowalenko", True),  # name, any case
        ("OLENA@example", True),  # e-mail
        ("PESEL", True),  # words of the first message
        ("later message", True),  # words of a later message
        ("nothing like this", False),
    ],
)
def test_search_by_reference_name_email_and_text(
    enquiry: Enquiry, consultant_client: Client, query: str, found: bool
) -> None:
    other = enquiry_make(name="Ivan", email="ivan@example.net", text="Karta Polaka")
    enquiry_add_enquirer_message(enquiry=enquiry, text="A later message about school.")
    if query == "reference":
        query = enquiry.reference.lower()
    shown = _shown(consultant_client, q=query)
    assert (enquiry.reference in shown) is found
    assert other.reference not in shown


def _inbox_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(staff_url("inbox"))
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_for_5_and_120_enquiries(
    now: object, consultant: User, consultant_client: Client, django_assert_num_queries: object
) -> None:
    topics = [TopicTranslationFactory(language="en").topic for _ in range(3)]
    colleagues = [desk_user() for _ in range(3)]

    def make(count: int) -> None:
        for index in range(count):
            enquiry = enquiry_make(topic=topics[index % 3], text=f"Question {index}")
            enquiry.assignee = colleagues[index % 3]
            enquiry.save(update_fields=["assignee"])

    make(5)
    queries_for_5 = _inbox_queries(consultant_client)
    make(115)
    with django_assert_num_queries(queries_for_5):  # type: ignore[operator]
        response = consultant_client.get(staff_url("inbox"))
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 3
    with django_assert_num_queries(queries_for_5):  # type: ignore[operator]
        last = consultant_client.get(staff_url("inbox"), {"page": "3", "due": "all"})
    assert last.status_code == 200
    assert 'rel="prev"' in last.content.decode()


def test_the_pager_counts_up_to_a_cap_and_says_there_are_more(
    now: object, consultant_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scaled down: pages of 2 and a cap of 4, so 7 enquiries are more than counted.
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    monkeypatch.setattr(inbox, "COUNT_CAP", 4)
    made = [enquiry_make(text=f"Question {index}") for index in range(7)]

    first = consultant_client.get(staff_url("inbox"))
    paginator = first.context["page"].paginator
    assert (paginator.count, paginator.more, paginator.counted_pages) == (4, True, 2)
    with translation.override("en"):
        assert "More than 4 enquiries: use the filters to see fewer." in first.content.decode()
        assert "Enquiries, page 1 of more than 2" in first.content.decode()

    # The last counted page links on; that page counts further, and the last one exactly.
    second = consultant_client.get(staff_url("inbox"), {"page": "2"})
    assert 'rel="next"' in second.content.decode()
    third = consultant_client.get(staff_url("inbox"), {"page": "3"})
    assert third.context["page"].number == 3
    assert third.context["page"].paginator.more is True
    fourth = consultant_client.get(staff_url("inbox"), {"page": "4"})
    assert fourth.context["page"].paginator.more is False
    assert fourth.context["page"].paginator.num_pages == 4
    assert "7 enquiries" in fourth.content.decode()
    assert 'rel="next"' not in fourth.content.decode()
    shown = [
        enquiry.reference
        for number in ("1", "2", "3", "4")
        for enquiry in consultant_client.get(staff_url("inbox"), {"page": number})
        .context["page"]
        .object_list
    ]
    assert sorted(shown) == sorted(enquiry.reference for enquiry in made)

    # Few matches: the exact number, no "more than".
    narrow = consultant_client.get(staff_url("inbox"), {"q": made[0].reference})
    assert narrow.context["page"].paginator.more is False
    assert "More than" not in narrow.content.decode()


@pytest.mark.parametrize("number", ["x", "-3", "0", "999"])
def test_a_wrong_page_number_shows_a_page(number: str, consultant_client: Client) -> None:
    enquiry_make(text="Question")
    response = consultant_client.get(staff_url("inbox"), {"page": number})
    assert response.status_code == 200
    assert response.context["page"].number == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the order index is PostgreSQL's")
def test_the_inbox_reads_its_first_page_through_the_order_index(consultant: User) -> None:
    enquiry_make()
    with connection.cursor() as cursor:
        # The table is tiny here: forbid reading it whole and sorting it, to see that the index
        # fits the ORDER BY Django writes (a mismatch would leave a sort as the only way).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = enquiry_inbox(filters=InboxFilters(), user=consultant)[:50].explain()
    assert "enquiry_inbox_order" in plan, plan
    assert "Sort" not in plan, plan
