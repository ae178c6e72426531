import logging

import pytest
from django.core.exceptions import ValidationError

from infopoint.directory.models import Institution
from infopoint.enquiries.models import Channel, EnquiryTriage
from infopoint.enquiries.services import enquiry_create, enquiry_log_contact
from infopoint.enquiries.tests.factories import UserFactory
from infopoint.enquiries.triage import (
    SOURCE_CONFIRMATION,
    SOURCE_CORRECTION,
    confidence_words,
    enquiry_triage_review,
    enquiry_triage_run,
)
from infopoint.knowledge.models import TriageExample
from infopoint.topics.models import Topic

pytestmark = pytest.mark.django_db

QUESTION_UK = "Де продовжити карту побиту? Закінчується дозвіл на тимчасове перебування."


def _create(channel: str = Channel.WEB, text: str = QUESTION_UK, **extra):
    return enquiry_create(channel=channel, text=text, language="uk", email="o@example.net", **extra)


@pytest.mark.parametrize("channel", [Channel.WEB, Channel.EMAIL, Channel.API])
def test_every_incoming_enquiry_is_triaged_after_commit(
    articles, django_capture_on_commit_callbacks, channel
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enquiry, _token = _create(channel=channel)
    # Nothing is computed inside the intake's transaction.
    assert not EnquiryTriage.objects.filter(enquiry=enquiry).exists()
    for callback in callbacks:
        callback()
    triage = EnquiryTriage.objects.get(enquiry=enquiry)
    assert triage.language == "uk"
    assert triage.topic.slug == "legal-stay"
    assert triage.referral.slug == "voivodeship-office-foreigners"
    assert triage.articles[0]["slug"] == "temporary-residence-permit"
    for value in (
        triage.language_confidence,
        triage.topic_confidence,
        triage.referral_confidence,
        *(article["score"] for article in triage.articles),
    ):
        assert 0 < value <= 1
    assert triage.language_confidence > 0.5


def test_a_logged_call_is_triaged_too(articles, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        enquiry, _token = enquiry_log_contact(
            channel=Channel.PHONE,
            author=UserFactory(),
            text="Як отримати номер PESEL для дитини?",
            language="uk",
            consent_given=True,
        )
    assert EnquiryTriage.objects.get(enquiry=enquiry).topic.slug == "civil-registry"


def test_no_triage_is_queued_when_intake_fails(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(ValidationError):
        _create(text="   ")
    assert callbacks == []


def test_a_failing_triage_never_fails_intake(
    articles, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr("infopoint.enquiries.triage.triage", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        enquiry, _token = _create()
    assert enquiry.pk is not None
    assert not EnquiryTriage.objects.filter(enquiry=enquiry).exists()
    assert "triage of enquiry" in caplog.text


@pytest.mark.parametrize("text", ["🙂🙂🙂", '"NEAR" OR * :', "x" * 30_000])
def test_odd_text_gets_a_triage_without_errors(articles, text) -> None:
    enquiry, _token = _create(text=text)
    triage = enquiry_triage_run(enquiry=enquiry)
    assert 0 <= triage.topic_confidence <= 1
    assert 0 <= triage.referral_confidence <= 1
    assert len(triage.articles) <= 5


def test_a_mail_subject_is_part_of_what_is_triaged(articles) -> None:
    enquiry, _token = _create(
        channel=Channel.EMAIL, text="Дякую.", subject="Номер PESEL для дитини"
    )
    assert enquiry_triage_run(enquiry=enquiry).topic.slug == "civil-registry"


def test_a_correction_is_stored_on_the_enquiry_and_kept_for_retraining(articles) -> None:
    enquiry, _token = _create()
    enquiry_triage_run(enquiry=enquiry)
    education = Topic.objects.get(slug="education")
    consultant = UserFactory()

    triage = enquiry_triage_review(
        enquiry=enquiry, topic=education, referral=None, author=consultant
    )

    enquiry.refresh_from_db()
    assert enquiry.topic == education
    assert triage.reviewed_topic == education
    assert triage.reviewed_referral is None
    assert triage.reviewed_by == consultant
    # The suggestion stays, for comparing later.
    assert triage.topic.slug == "legal-stay"
    example = TriageExample.objects.get(reference=enquiry.reference)
    assert example.topic == education
    assert example.referral is None
    assert example.source == SOURCE_CORRECTION
    assert example.text == QUESTION_UK
    assert example.language == "uk"

    # The same decision again teaches nothing new.
    enquiry_triage_review(enquiry=enquiry, topic=education, referral=None, author=consultant)
    assert TriageExample.objects.filter(reference=enquiry.reference).count() == 1


def test_accepting_the_suggestion_is_kept_as_a_confirmation(articles) -> None:
    enquiry, _token = _create()
    suggested = enquiry_triage_run(enquiry=enquiry)
    enquiry_triage_review(
        enquiry=enquiry, topic=suggested.topic, referral=suggested.referral, author=UserFactory()
    )
    example = TriageExample.objects.get(reference=enquiry.reference)
    assert example.source == SOURCE_CONFIRMATION
    assert example.referral == Institution.objects.get(slug="voivodeship-office-foreigners")


def test_running_the_triage_again_keeps_the_consultants_decision(articles) -> None:
    enquiry, _token = _create()
    education = Topic.objects.get(slug="education")
    enquiry_triage_review(enquiry=enquiry, topic=education, referral=None, author=UserFactory())
    triage = enquiry_triage_run(enquiry=enquiry)
    assert triage.reviewed_topic == education
    assert triage.topic.slug == "legal-stay"
    assert EnquiryTriage.objects.filter(enquiry=enquiry).count() == 1


@pytest.mark.parametrize(
    ("value", "words"),
    [(0.95, "very likely"), (0.6, "likely"), (0.3, "possible"), (0.1, "unsure, check it")],
)
def test_confidences_in_plain_words(value, words) -> None:
    assert confidence_words(value) == words
