import io
import json

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infopoint.knowledge.triage import triage


def test_a_ukrainian_question_on_stay_is_referred_to_the_voivodeship_office(articles) -> None:
    result = triage("Добрий день! Як продовжити карту побиту? Мій дозвіл закінчується.")
    assert result.language == "uk"
    assert result.topic == "legal-stay"
    assert result.referral == "voivodeship-office-foreigners"
    assert 0 < result.referral_confidence <= 1
    assert result.articles[0][:2] == ("temporary-residence-permit", "pl")


def test_a_question_without_referral(articles) -> None:
    result = triage("Jak zapisać córkę do szkoły podstawowej w Krakowie?")
    assert (result.language, result.topic, result.referral) == ("pl", "education", None)
    assert result.articles[0][:2] == ("school-enrolment", "pl")
    assert len(result.articles) <= 5


@pytest.mark.parametrize("text", ["", "🙂", '" OR * NEAR(', "x" * 100_000])
def test_odd_text_gives_a_triage(articles, text: str) -> None:
    result = triage(text)
    assert result.topic is None or isinstance(result.topic, str)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=300))
def test_any_string_is_safe_to_triage(articles, text: str) -> None:
    result = triage(text)
    assert len(result.articles) <= 5


def test_the_command_answers_each_line_as_json(articles, monkeypatch) -> None:
    lines = [
        {"id": 1, "text": "Де продовжити карту побиту?"},
        {"id": "b", "text": "pesel dla dziecka"},
        {"id": 3, "text": ""},
    ]
    stdin = io.StringIO("\n".join(json.dumps(line) for line in lines) + "\nnot json\n\n")
    monkeypatch.setattr("sys.stdin", stdin)
    out = io.StringIO()
    call_command("triage", "--jsonl", stdout=out)
    answers = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [answer["id"] for answer in answers] == [1, "b", 3, None]
    first = answers[0]
    assert set(first) == {"id", "language", "topic", "referral", "articles"}
    assert first["referral"] == "voivodeship-office-foreigners"
    assert set(first["articles"][0]) == {"slug", "language", "score"}
    assert "error" in answers[3] or answers[3]["topic"] is None
