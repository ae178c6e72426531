import json
from pathlib import Path

import pytest

from infopoint.knowledge.evaluation import measure
from infopoint.knowledge.evaluation.baseline import BM25, BaselineSearch
from infopoint.knowledge.evaluation.measure import Prediction, Question, figures
from infopoint.knowledge.models import TriageModel
from infopoint.knowledge.services import triage_correction_record
from infopoint.knowledge.training import referral_threshold_fit, triage_retrain
from infopoint.knowledge.triage import DEFAULT_REFERRAL_THRESHOLD, referral_decide, triage

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


def test_the_referral_threshold_balances_precision_and_recall_on_dev() -> None:
    office = "voivodeship-office-foreigners"
    # Strength of the referred topics over the best other one, and the expected referral.
    evidence = [(office, 3.0), (office, 1.3), (office, 0.8), (office, 1.1), (office, 0.3)]
    expected = [office, office, office, None, None]
    calibration = referral_threshold_fit(evidence, expected)
    # From 0.33 to 0.8 every referral is caught with one unneeded (precision 0.75); 1.25 misses
    # one of three (recall 0.67) with none unneeded; 0.25 adds a second unneeded one. The
    # smaller shortfall against 0.90 / 0.95 wins, and of equals the lowest threshold.
    assert calibration.threshold == 0.33
    assert calibration.recall == 1.0
    assert calibration.precision == pytest.approx(0.75)
    assert referral_decide((office, 0.3), calibration.threshold) is None
    assert referral_decide((office, 0.33), calibration.threshold) == office
    assert referral_decide((None, 5.0), calibration.threshold) is None


def test_no_referral_in_dev_keeps_the_default_threshold() -> None:
    calibration = referral_threshold_fit([(None, 0.0), ("x", 2.0)], [None, None])
    assert calibration.threshold == DEFAULT_REFERRAL_THRESHOLD
