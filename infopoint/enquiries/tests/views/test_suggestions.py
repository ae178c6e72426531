"""Suggestions beside the enquiry form: without JavaScript (the check button), the fragment
the script fetches, and the counted openings."""

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from infopoint.enquiries.deflection import (
    DEFLECTION_WINDOW,
    deflection_counts,
    suggestion_opened_record,
)
from infopoint.enquiries.forms import form_started_token
from infopoint.enquiries.models import Enquiry, SafeContact, SuggestionOpening

pytestmark = pytest.mark.django_db

QUESTION = "Як отримати номер PESEL для дитини?"


def _url(name: str, language: str = "uk", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(f"enquiries:{name}", kwargs=kwargs or None)


def _t(text: str, language: str = "uk") -> str:
    with translation.override(language):
        return translation.gettext(text)


def _typed(**overrides: Any) -> dict[str, Any]:
    data = {
        "topic": "",
        "question": QUESTION,
        "name": "Olena",
        "email": "olena@example.net",
        "phone": "",
        "preferred_language": "uk",
        "safe_contact": SafeContact.EMAIL_ONLY,
        "consent": "on",
        "started": form_started_token(),
        "visit": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_form_has_a_live_region_a_script_and_a_check_button(client: Client) -> None:
    page = client.get(_url("new")).content.decode()
    assert 'aria-live="polite"' in page
    assert f'data-url="{_url("suggestions")}"' in page
    assert "enquiries/suggest.js" in page
    assert "<script>" not in page  # no inline script: a strict CSP comes later
    assert _t("Check for answers first") in page
    assert 'name="visit"' in page


def test_checking_shows_suggestions_and_keeps_everything_typed(articles, client: Client) -> None:
    data = _typed(check="1")
    response = client.post(_url("new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Enquiry.objects.exists()
    assert _t("These pages may answer your question") in page
    link = _url("suggestion", slug="pesel-number")
    assert f'href="{link}?visit={data["visit"]}"' in page
    assert "Номер PESEL" in page
    for value in ("Olena", "olena@example.net", QUESTION, data["visit"]):
        assert value in page
    assert re.search(r'value="email_only"[^>]* checked>', page)
    assert re.search(r'name="consent"[^>]* checked>', page)
    # Nothing was sent yet, so nothing is wrong yet.
    assert _t("There is a problem") not in page
    assert "field--error" not in page


def test_checking_with_no_answer_says_so(articles, client: Client) -> None:
    page = client.post(_url("new"), _typed(check="1", question="")).content.decode()
    assert _t("We found no page that answers this. Send your question: we will answer it.") in page


def test_the_fragment_for_the_script(articles, client: Client) -> None:
    visit = str(uuid.uuid4())
    response = client.get(_url("suggestions"), {"question": QUESTION, "visit": visit})
    assert response.status_code == 200
    assert f"?visit={visit}" in response.content.decode()
    assert "Номер PESEL" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"question": "PESEL"},  # too short to suggest anything
        {"question": "🙂" * 50},
        {"question": '"NEAR" OR * : ' * 10},
        {"question": "я" * 100_000, "visit": "not-a-uuid"},
        {"question": QUESTION, "visit": "<script>"},
    ],
)
def test_the_fragment_never_fails_on_odd_input(articles, client: Client, params) -> None:
    response = client.get(_url("suggestions"), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_the_fragment_is_only_read(client: Client) -> None:
    assert client.post(_url("suggestions"), {"question": QUESTION}).status_code == 405


def test_opening_a_suggestion_is_counted_and_shows_the_article(articles, client: Client) -> None:
    visit = uuid.uuid4()
    response = client.get(_url("suggestion", slug="pesel-number"), {"visit": str(visit)})
    with translation.override("uk"):
        article = reverse("knowledge:article", kwargs={"slug": "pesel-number"})
    assert response.status_code == 302
    assert response["Location"] == f"{article}?from=suggestion"
    opening = SuggestionOpening.objects.get()
    assert (opening.visit, opening.article_slug, opening.language) == (visit, "pesel-number", "uk")
    assert opening.submitted_at is None


def test_an_opening_without_a_valid_visit_is_not_counted(articles, client: Client) -> None:
    response = client.get(_url("suggestion", slug="pesel-number"), {"visit": "x"})
    assert response.status_code == 302
    assert not SuggestionOpening.objects.exists()


def test_an_unknown_or_draft_article_is_not_found(articles, client: Client) -> None:
    from infopoint.knowledge.services import article_unpublish

    article_unpublish(article=articles["pesel-number"])
    for slug in ("pesel-number", "no-such-article"):
        response = client.get(_url("suggestion", slug=slug), {"visit": str(uuid.uuid4())})
        assert response.status_code == 404
    assert not SuggestionOpening.objects.exists()


def test_sending_the_enquiry_marks_the_visits_openings(articles, client: Client) -> None:
    data = _typed()
    client.get(_url("suggestion", slug="pesel-number"), {"visit": data["visit"]})
    other = uuid.uuid4()
    suggestion_opened_record(visit=other, article_slug="pesel-number", language="uk")

    response = client.post(_url("new"), data)

    assert response.status_code == 302
    assert SuggestionOpening.objects.get(visit=data["visit"]).submitted_at is not None
    assert SuggestionOpening.objects.get(visit=other).submitted_at is None


def test_deflection_counts_follow_the_window() -> None:
    now = timezone.now()
    old = now - DEFLECTION_WINDOW - timedelta(minutes=1)
    abandoned, sent, pending = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    suggestion_opened_record(visit=abandoned, article_slug="pesel-number", language="uk", at=old)
    suggestion_opened_record(
        visit=abandoned, article_slug="school-enrolment", language="uk", at=old
    )
    suggestion_opened_record(visit=sent, article_slug="pesel-number", language="pl", at=old)
    SuggestionOpening.objects.filter(visit=sent).update(submitted_at=now)
    suggestion_opened_record(visit=pending, article_slug="pesel-number", language="en", at=now)

    counts = deflection_counts(now=now)

    assert (counts.openings, counts.visits) == (4, 3)
    assert (counts.submitted, counts.abandoned, counts.pending) == (1, 1, 1)
    assert counts.abandoned_share == 0.5
    assert [(row.slug, row.openings, row.abandoned) for row in counts.articles] == [
        ("pesel-number", 3, 1),
        ("school-enrolment", 1, 1),
    ]
    assert deflection_counts(since=now - timedelta(minutes=1), now=now).visits == 1
    assert deflection_counts(now=now).abandoned_share is not None
    SuggestionOpening.objects.all().delete()
    assert deflection_counts(now=now).abandoned_share is None
