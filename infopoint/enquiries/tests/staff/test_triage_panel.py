"""The consultant's panel of suggestions: topic, referral and articles, corrections, drafts."""

import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.html import escape

from infopoint.directory.models import Institution
from infopoint.enquiries.models import Enquiry, EnquiryTriage
from infopoint.enquiries.tests.factories import enquiry_make
from infopoint.enquiries.tests.staff.conftest import staff_url
from infopoint.enquiries.triage import enquiry_triage_run
from infopoint.knowledge.models import TriageExample
from infopoint.topics.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def triaged(articles) -> Enquiry:
    enquiry = enquiry_make(
        text="Де продовжити карту побиту? Закінчується дозвіл на тимчасове перебування.",
        preferred_language="uk",
    )
    enquiry_triage_run(enquiry=enquiry)
    return enquiry


def _page(client: Client, enquiry: Enquiry, **params: str) -> str:
    response = client.get(staff_url("detail", pk=enquiry.pk), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_the_suggestions_in_plain_words(consultant_client, triaged) -> None:
    page = _page(consultant_client, triaged)
    triage = triaged.triage
    assert "Suggestions from the knowledge base" in page
    assert f"{triage.topic} (" in page
    assert escape(str(Institution.objects.get(slug="voivodeship-office-foreigners"))) in page
    assert "Zezwolenie na pobyt czasowy i karta pobytu" in page
    assert "?draft=temporary-residence-permit#reply-title" in page
    assert any(words in page for words in ("very likely", "likely", "possible", "unsure"))
    # The selects start from the suggestion.
    assert f'<option value="{triage.topic_id}" selected>' in page
    assert f'<option value="{triage.referral_id}" selected>' in page


def test_without_a_triage_the_panel_offers_to_make_it(consultant_client, articles) -> None:
    enquiry = enquiry_make(text="Як отримати номер PESEL для дитини?")
    page = _page(consultant_client, enquiry)
    assert "No suggestions yet" in page
    response = consultant_client.post(staff_url("triage_run", pk=enquiry.pk))
    assert response.status_code == 302
    assert EnquiryTriage.objects.get(enquiry=enquiry).topic.slug == "civil-registry"


def test_a_draft_fills_the_answer_in_the_enquirers_language(consultant_client, triaged) -> None:
    page = _page(consultant_client, triaged, draft="pesel-number")
    with translation.override("uk"):
        thanks = translation.gettext("Thank you for your question.")
    answer = re.search(r'<textarea name="reply-text"[^>]*>([^<]*)</textarea>', page)
    assert answer is not None, page
    # No greeting: the reply e-mail opens with one that names the enquirer.
    assert answer.group(1).strip().startswith(thanks)
    assert "Номер PESEL" in answer.group(1)
    assert "Check and edit it before you send it." in page
    # Nothing was sent: the draft is only text in the box.
    assert triaged.messages.count() == 1


def test_a_draft_from_an_unknown_article_says_so(consultant_client, triaged) -> None:
    page = _page(consultant_client, triaged, draft="no-such-article")
    assert "That article is not published any more, so no draft was made." in page


def test_a_correction_is_saved_and_learned(consultant_client, consultant, triaged) -> None:
    education = Topic.objects.get(slug="education")
    response = consultant_client.post(
        staff_url("triage", pk=triaged.pk), {"triage-topic": education.pk, "triage-referral": ""}
    )
    assert response.status_code == 302
    triaged.refresh_from_db()
    assert triaged.topic == education
    assert triaged.triage.reviewed_by == consultant
    assert TriageExample.objects.get(reference=triaged.reference).topic == education
    page = _page(consultant_client, triaged)
    assert f'<option value="{education.pk}" selected>' in page
    assert "Decided by staff" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"triage-topic": ""}, "Choose the topic."),
        ({"triage-topic": "999999"}, "Choose a topic from the list."),
        (
            {"triage-topic": "x", "triage-referral": "999999"},
            "Choose an institution from the list.",
        ),
    ],
)
def test_a_wrong_correction_is_explained(consultant_client, triaged, data, message) -> None:
    response = consultant_client.post(staff_url("triage", pk=triaged.pk), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TriageExample.objects.exists()
    assert triaged.triage.reviewed_at is None


def test_only_desk_staff_see_or_change_the_triage(adviser_client, client, triaged) -> None:
    education = Topic.objects.get(slug="education")
    for view in ("triage", "triage_run"):
        url = staff_url(view, pk=triaged.pk)
        assert adviser_client.post(url, {"triage-topic": education.pk}).status_code == 403
        assert client.post(url, {"triage-topic": education.pk}).status_code == 302  # sign in
        assert adviser_client.get(url).status_code in (403, 405)
    assert not TriageExample.objects.exists()
    missing = staff_url("triage", pk=999999)
    assert adviser_client.post(missing, {"triage-topic": education.pk}).status_code == 403
    assert client.get(staff_url("detail", pk=triaged.pk)).status_code == 302
