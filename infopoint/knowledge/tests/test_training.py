import json
from pathlib import Path

import pytest

from infopoint.knowledge.evaluation import measure
from infopoint.knowledge.evaluation.baseline import BM25, BaselineSearch
from infopoint.knowledge.evaluation.measure import Prediction, Question, figures
from infopoint.knowledge.models import TriageModel
from infopoint.knowledge.services import triage_correction_record
from infopoint.knowledge.training import triage_retrain
from infopoint.knowledge.triage import triage

QUESTIONS = [
    ("uk", "Як продовжити карту побиту?", "legal-stay", "voivodeship-office-foreigners"),
    ("pl", "gdzie złożyć wniosek o pobyt czasowy", "legal-stay", "voivodeship-office-foreigners"),
    ("en", "residence permit application", "legal-stay", "voivodeship-office-foreigners"),
    ("ru", "вид на жительство в Польше", "legal-stay", "voivodeship-office-foreigners"),
    ("pl", "pesel dla dziecka", "civil-registry", None),
    ("uk", "номер песель для дитини", "civil-registry", None),
    ("en", "how to get a PESEL", "civil-registry", None),
    ("ru", "как получить песель", "civil-registry", None),
    ("pl", "zapisy do szkoły podstawowej", "education", None),
    ("en", "enrol my son at school", "education", None),
]


@pytest.fixture
def small_evaluation_set(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "questions.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, (language, text, topic, referral) in enumerate(QUESTIONS):
            row = {
                "id": f"{language}-{number}",
                "language": language,
                "text": text,
                "topic": topic,
                "referral": referral,
                "articles": [],
                "split": "dev",
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    monkeypatch.setattr(measure, "QUESTIONS_FILE", path)
    return path


def test_a_model_is_deployed_only_when_it_beats_the_one_in_use(
    articles, small_evaluation_set
) -> None:
    triage_correction_record(
        text="Де продовжити карту побиту?",
        topic_slug="legal-stay",
        referral_slug="voivodeship-office-foreigners",
    )
    first = triage_retrain()
    assert first.examples > len(QUESTIONS)
    assert first.deployed == (first.candidate_score > first.current_score)
    if first.deployed:
        assert TriageModel.objects.get(deployed=True) == first.model
        # The same data cannot beat itself: the model in use stays.
        second = triage_retrain()
        assert not second.deployed
        assert TriageModel.objects.get(deployed=True) == first.model
    assert triage("Як продовжити карту побиту?").topic == "legal-stay"


def test_figures() -> None:
    questions = [
        Question("a", "uk", "one two three four five", "t1", "inst", ("x", "y"), "dev"),
        Question("b", "pl", "short", "t2", None, ("z",), "dev"),
        Question("c", "en", "no answer here at all", "t2", None, (), "dev"),
    ]
    predictions = [
        Prediction("uk", "t1", "inst", ["q", "y", "x"]),
        Prediction("en", "t1", "inst", ["z"]),
        Prediction("en", "t2", None, []),
    ]
    result = figures(questions, predictions)
    assert result.language == pytest.approx(2 / 3)
    assert result.language_long == 1.0
    assert result.topic == pytest.approx(2 / 3)
    assert (result.referral_precision, result.referral_recall) == (0.5, 1.0)
    assert (result.recall_at_1, result.recall_at_3) == (0.5, 1.0)
    assert result.mrr == pytest.approx((1 / 2 + 1) / 2)


def test_plain_bm25_baseline(articles) -> None:
    assert BM25([["a", "b"], ["b", "c"]]).scores(["a"])[0] > 0
    ranked = BaselineSearch().rank("PESEL")
    assert ranked[0][0] == "pesel-number"
    assert not BaselineSearch().rank("песель")  # no transliteration in the baseline
